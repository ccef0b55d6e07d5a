// LeaderWorkerSet admission end to end: the apiserver calls our webhooks, which default and validate
// with upstream's field paths and messages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { queries } from '../../src/tooling/testing/cluster-queries.ts';
import type { LeaderWorkerSet } from '../../src/lws/api/types.ts';

async function rejection(create: () => Promise<unknown>): Promise<string> {
  try {
    await create();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected the apiserver to reject the object');
}

describe('LeaderWorkerSet admission', () => {
  test('defaults are filled in by the mutating webhook and the schema', async () => {
    await withNamespace('adm', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create({
        apiVersion: 'leaderworkerset.x-k8s.io/v1',
        kind: 'LeaderWorkerSet',
        metadata: { name: 'minimal', namespace: ns },
        spec: {
          leaderWorkerTemplate: {
            restartPolicy: 'Default',
            workerTemplate: { spec: { containers: [{ name: 'w', image: 'nginx' }] } },
          },
        },
      });
      const lws = await q.lws('minimal');
      assert.equal(lws.spec.replicas, 1);
      assert.equal(lws.spec.leaderWorkerTemplate.size, 1);
      assert.equal(lws.spec.leaderWorkerTemplate.restartPolicy, 'None', 'Default is rewritten to None');
      assert.equal(lws.spec.startupPolicy, 'LeaderCreated');
      assert.deepEqual(lws.spec.rolloutStrategy, {
        type: 'RollingUpdate',
        rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1, maxSurge: 0 },
      });
      assert.deepEqual(lws.spec.networkConfig, { subdomainPolicy: 'Shared' });
    });
  });

  const invalid: Array<[string, (l: LeaderWorkerSet) => void, string]> = [
    [
      'size 0',
      (l) => (l.spec.leaderWorkerTemplate.size = 0),
      'spec.leaderWorkerTemplate.size: Invalid value: 0: size must be equal or greater than 1',
    ],
    [
      'maxUnavailable and maxSurge both 0',
      (l) => (l.spec.rolloutStrategy!.rollingUpdateConfiguration = { partition: 0, maxUnavailable: 0, maxSurge: 0 }),
      'must not be 0 when `maxSurge` is 0',
    ],
    [
      'maxSurge above 100%',
      (l) => (l.spec.rolloutStrategy!.rollingUpdateConfiguration!.maxSurge = '150%'),
      'spec.rolloutStrategy.rollingUpdateConfiguration.maxSurge: Invalid value: "150%": must not be greater than 100%',
    ],
    [
      'subGroupSize larger than size',
      (l) => (l.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupSize: 4 }),
      'subGroupSize cannot be larger than size',
    ],
  ];
  for (const [name, change, message] of invalid) {
    test(`rejects ${name} with upstream's message`, async () => {
      await withNamespace('adm', async (ns, kubectl) => {
        const text = await rejection(() => queries(kubectl, ns).create(withChange(defaultLws(ns), change)));
        assert.match(text, /admission webhook "vleaderworkerset\.kb\.io" denied the request/);
        assert.ok(text.includes(message), `message ${JSON.stringify(text)} should contain ${JSON.stringify(message)}`);
      });
    });
  }

  test('subGroupSize cannot be enabled after creation', async () => {
    await withNamespace('adm', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(defaultLws(ns));
      const text = await rejection(() =>
        q.apply(withChange(defaultLws(ns), (l) => (l.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupSize: 2 }))),
      );
      assert.ok(text.includes('cannot enable subGroupSize after the lws is already created'), text);
    });
  });
});
