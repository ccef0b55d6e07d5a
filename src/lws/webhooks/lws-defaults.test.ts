import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaderWorkerSet, LeaderWorkerSetSpec } from '../api/types.ts';
import { applyCrdDefaults } from './crd-defaults.ts';
import { defaultLeaderWorkerSet } from './lws-defaults.ts';
import { admit, buildLeaderWorkerSet, edit } from '../../tooling/testing/lws-webhook-fixtures.ts';

const base = buildLeaderWorkerSet();
const spec = (change: (s: LeaderWorkerSetSpec) => void = () => {}) => edit(base, (l) => change(l.spec)).spec;
const defaultRollout = {
  type: 'RollingUpdate' as const,
  rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1, maxSurge: 0 },
};

// Upstream test/integration/webhooks/leaderworkerset_test.go "test defaulting", run through CRD + webhook
// defaulting, plus the webhook-only paths those cases reach when a client sends empty values.
const cases: { name: string; input: LeaderWorkerSet; expected: LeaderWorkerSetSpec }[] = [
  {
    name: 'apply defaulting logic for replicas',
    input: edit(base, (l) => delete l.spec.replicas),
    expected: spec((s) => (s.replicas = 1)),
  },
  {
    name: 'apply defaulting logic for size',
    input: edit(base, (l) => delete l.spec.leaderWorkerTemplate.size),
    expected: spec((s) => (s.leaderWorkerTemplate.size = 1)),
  },
  { name: "defaulting logic won't apply when shouldn't", input: base, expected: spec() },
  {
    name: 'restartPolicy absent gets RecreateGroupOnPodRestart',
    input: edit(base, (l) => delete l.spec.leaderWorkerTemplate.restartPolicy),
    expected: spec(),
  },
  {
    name: 'restartPolicy "" gets RecreateGroupOnPodRestart (webhook path)',
    input: edit(base, (l) => (l.spec.leaderWorkerTemplate.restartPolicy = '' as never)),
    expected: spec(),
  },
  {
    name: "defaulting logic won't apply when restartPolicy is set",
    input: edit(base, (l) => (l.spec.leaderWorkerTemplate.restartPolicy = 'None')),
    expected: spec((s) => (s.leaderWorkerTemplate.restartPolicy = 'None')),
  },
  {
    name: 'RecreateGroupAfterStart is kept',
    input: edit(base, (l) => (l.spec.leaderWorkerTemplate.restartPolicy = 'RecreateGroupAfterStart')),
    expected: spec((s) => (s.leaderWorkerTemplate.restartPolicy = 'RecreateGroupAfterStart')),
  },
  {
    name: 'DeprecatedDefaultRestartPolicy is shifted to None',
    input: edit(base, (l) => (l.spec.leaderWorkerTemplate.restartPolicy = 'Default')),
    expected: spec((s) => (s.leaderWorkerTemplate.restartPolicy = 'None')),
  },
  {
    name: 'startupPolicy absent gets LeaderCreated',
    input: edit(base, (l) => delete l.spec.startupPolicy),
    expected: spec(),
  },
  {
    name: 'startupPolicy LeaderReady is kept',
    input: edit(base, (l) => (l.spec.startupPolicy = 'LeaderReady')),
    expected: spec((s) => (s.startupPolicy = 'LeaderReady')),
  },
  {
    name: 'subdomainPolicy defaults to Shared when networkConfig is absent',
    input: edit(base, (l) => delete l.spec.networkConfig),
    expected: spec(),
  },
  {
    name: 'subdomainPolicy defaults to Shared when networkConfig is empty',
    input: edit(base, (l) => (l.spec.networkConfig = {})),
    expected: spec(),
  },
  {
    name: 'UniquePerReplica is kept',
    input: edit(base, (l) => (l.spec.networkConfig = { subdomainPolicy: 'UniquePerReplica' })),
    expected: spec((s) => (s.networkConfig = { subdomainPolicy: 'UniquePerReplica' })),
  },
  {
    name: 'apply default rollout strategy to RolloutStrategy{} (Go sends type "")',
    input: edit(base, (l) => (l.spec.rolloutStrategy = { type: '' as never })),
    expected: spec((s) => (s.rolloutStrategy = defaultRollout)),
  },
  {
    name: 'apply default rollout strategy when rolloutStrategy is absent',
    input: edit(base, (l) => delete l.spec.rolloutStrategy),
    expected: spec((s) => (s.rolloutStrategy = defaultRollout)),
  },
  {
    name: 'apply default rollingUpdateConfiguration when only the type is set',
    input: edit(base, (l) => (l.spec.rolloutStrategy = { type: 'RollingUpdate' })),
    expected: spec((s) => (s.rolloutStrategy = defaultRollout)),
  },
  {
    name: 'schema defaults fill a partial rollingUpdateConfiguration',
    input: edit(base, (l) => (l.spec.rolloutStrategy = { rollingUpdateConfiguration: { maxSurge: '25%' } })),
    expected: spec(
      (s) =>
        (s.rolloutStrategy = {
          type: 'RollingUpdate',
          rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1, maxSurge: '25%' },
        }),
    ),
  },
  {
    name: "wouldn't apply default rollout strategy when configured",
    input: edit(
      base,
      (l) =>
        (l.spec.rolloutStrategy = {
          type: 'RollingUpdate',
          rollingUpdateConfiguration: { partition: 2, maxUnavailable: 2, maxSurge: 1 },
        }),
    ),
    expected: spec(
      (s) =>
        (s.rolloutStrategy = {
          type: 'RollingUpdate',
          rollingUpdateConfiguration: { partition: 2, maxUnavailable: 2, maxSurge: 1 },
        }),
    ),
  },
  {
    name: 'subGroupPolicyType defaults to LeaderWorker',
    input: edit(base, (l) => (l.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupSize: 1 })),
    expected: spec(
      (s) => (s.leaderWorkerTemplate.subGroupPolicy = { subGroupSize: 1, subGroupPolicyType: 'LeaderWorker' }),
    ),
  },
];

for (const c of cases) {
  test(`LWS defaulting: ${c.name}`, () => {
    const outcome = admit(c.input);
    assert.equal(outcome.denied, undefined);
    assert.deepStrictEqual(outcome.object!.spec, c.expected);
  });
}

test('webhook defaulting alone leaves schema-defaulted fields to the apiserver', () => {
  const input = edit(base, (l) => {
    delete l.spec.replicas;
    delete l.spec.startupPolicy;
    delete l.spec.rolloutStrategy;
    delete l.spec.networkConfig;
    l.spec.leaderWorkerTemplate.restartPolicy = 'Default';
  });
  const out = defaultLeaderWorkerSet(input);
  assert.equal(out.spec.replicas, undefined);
  assert.equal(out.spec.startupPolicy, undefined);
  assert.equal(out.spec.leaderWorkerTemplate.restartPolicy, 'None');
  assert.deepStrictEqual(out.spec.rolloutStrategy, defaultRollout);
  assert.deepStrictEqual(out.spec.networkConfig, { subdomainPolicy: 'Shared' });
  // Pure: the input is untouched.
  assert.equal(input.spec.leaderWorkerTemplate.restartPolicy, 'Default');
  assert.equal(input.spec.networkConfig, undefined);
});

test('an unknown rollout type gets no rollingUpdateConfiguration (left for the schema to reject)', () => {
  const out = defaultLeaderWorkerSet(edit(base, (l) => (l.spec.rolloutStrategy = { type: 'Recreate' as never })));
  assert.deepStrictEqual(out.spec.rolloutStrategy, { type: 'Recreate' });
});

test('CRD defaults do not create optional objects', () => {
  const input = edit(base, (l) => {
    delete l.spec.rolloutStrategy;
    delete l.spec.networkConfig;
  });
  const out = applyCrdDefaults(input);
  assert.equal(out.spec.rolloutStrategy, undefined);
  assert.equal(out.spec.networkConfig, undefined);
  assert.equal(out.spec.leaderWorkerTemplate.subGroupPolicy, undefined);
});

// Found by the differential tests (docs/differential.md): the apiserver prunes explicit nulls of
// non-nullable fields before defaulting, so they end up absent or defaulted, never null.
test('CRD defaults drop explicit nulls, or default them where the schema has a default', () => {
  const input = edit(base, (l) => {
    const nulls = l as any;
    nulls.spec.replicas = null;
    nulls.spec.networkConfig = null;
    nulls.spec.leaderWorkerTemplate.subGroupPolicy = null;
    nulls.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].ports = null;
    nulls.spec.rolloutStrategy = { type: null, rollingUpdateConfiguration: { partition: null, maxSurge: null } };
    nulls.metadata.labels = null;
  });
  const out = applyCrdDefaults(input) as any;
  assert.equal(out.spec.replicas, 1);
  assert.equal('networkConfig' in out.spec, false);
  assert.equal('subGroupPolicy' in out.spec.leaderWorkerTemplate, false);
  assert.equal('ports' in out.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0], false);
  assert.deepEqual(out.spec.rolloutStrategy, {
    type: 'RollingUpdate',
    rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1, maxSurge: 0 },
  });
  // The root metadata has no schema: left to the apiserver's ObjectMeta handling.
  assert.equal(out.metadata.labels, null);
});
