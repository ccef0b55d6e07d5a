// The rollout budget, sampled: while 8 groups roll with maxUnavailable 2 and maxSurge 1, no sample may show
// more of the first 8 groups unavailable than maxUnavailable plus the surge groups standing in for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../src/tooling/testing/wait.ts';
import { withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { queries } from '../../src/tooling/testing/cluster-queries.ts';
import { GroupSampler, testClient, type Sample } from '../../src/tooling/testing/group-sampler.ts';
import { revisionKey } from '../../src/lws/core/revision.ts';
import * as keys from '../../src/lws/api/keys.ts';

const REPLICAS = 8;
const MAX_UNAVAILABLE = 2;
const MAX_SURGE = 1;
const READY_DELAY = 'pod-ready.stage.kwok.x-k8s.io/delay';

/** Unavailable groups among the first `replicas` indices, minus available surge groups (Deployment-style budget). */
export function budgetUsed(sample: Sample, replicas: number): { unavailable: number; surgeAvailable: number } {
  const byIndex = new Map(sample.groups.map((g) => [g.index, g]));
  let unavailable = 0;
  for (let i = 0; i < replicas; i++) if (!byIndex.get(i)?.available) unavailable++;
  const surgeAvailable = sample.groups.filter((g) => g.index >= replicas && g.available).length;
  return { unavailable, surgeAvailable };
}

test('a rollout of 8 groups with maxUnavailable 2 and maxSurge 1 never exceeds its budget', async () => {
  const client = await testClient();
  try {
    await withNamespace('budget', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(
        withChange(defaultLws(ns), (l) => {
          l.spec.replicas = REPLICAS;
          l.spec.rolloutStrategy!.rollingUpdateConfiguration = {
            partition: 0,
            maxUnavailable: MAX_UNAVAILABLE,
            maxSurge: MAX_SURGE,
          };
          l.spec.leaderWorkerTemplate.leaderTemplate!.metadata = { annotations: { [READY_DELAY]: '1s' } };
          l.spec.leaderWorkerTemplate.workerTemplate.metadata = { annotations: { [READY_DELAY]: '1s' } };
        }),
      );
      await eventually(async () => assert.equal((await q.lws('test-sample')).status?.readyReplicas, REPLICAS), {
        timeoutMs: 120_000,
      });
      const sampler = new GroupSampler(client, ns, 'test-sample', () => 2).start(100);
      await kubectl(
        'patch',
        'leaderworkerset',
        'test-sample',
        '-n',
        ns,
        '--type=json',
        '-p',
        JSON.stringify([
          {
            op: 'replace',
            path: '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/image',
            value: 'nginx:1.29',
          },
        ]),
      );
      const final = await eventually(
        async () => {
          const lws = await q.lws('test-sample');
          assert.equal(lws.status?.conditions?.find((c) => c.type === 'Available')?.status, 'True');
          assert.equal(lws.status?.updatedReplicas, REPLICAS);
          assert.equal(lws.status?.readyReplicas, REPLICAS);
          const pods = (await q.pods()).filter((p) => !p.metadata.deletionTimestamp);
          assert.equal(pods.length, REPLICAS * 2);
          const key = revisionKey(lws);
          for (const p of pods) assert.equal(p.metadata.labels?.[keys.REVISION_KEY_LABEL], key);
          const ours = (await q.revisions()).filter((r) => r.metadata.ownerReferences?.[0]?.kind === 'LeaderWorkerSet');
          assert.equal(ours.length, 1, 'only the current ControllerRevision is left');
          return lws;
        },
        { timeoutMs: 180_000, message: 'rollout finished' },
      );
      const samples = sampler.stop();
      assert.ok(samples.length > 20, `enough samples (${samples.length})`);
      let worst = 0;
      for (const s of samples) {
        const { unavailable, surgeAvailable } = budgetUsed(s, REPLICAS);
        worst = Math.max(worst, unavailable - surgeAvailable);
        assert.ok(
          unavailable - surgeAvailable <= MAX_UNAVAILABLE,
          `at +${s.at - samples[0]!.at} ms: ${unavailable} of the first ${REPLICAS} groups unavailable, ${surgeAvailable} surge group(s) available; groups ${JSON.stringify(s.groups.map((g) => [g.index, g.available]))}, partition ${s.partition}, replicas ${s.leaderReplicas}`,
        );
        assert.ok(
          (s.leaderReplicas ?? 0) <= REPLICAS + MAX_SURGE,
          `leader StatefulSet never above ${REPLICAS + MAX_SURGE}`,
        );
      }
      assert.ok(worst > 0, 'the rollout was observed while it made groups unavailable');
      assert.equal(final.status?.replicas, REPLICAS);
    });
  } finally {
    client.close();
  }
});
