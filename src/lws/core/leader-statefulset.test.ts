import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaderWorkerSet } from '../api/types.ts';
import { buildLeaderStatefulSet, leaderMaxUnavailable } from './leader-statefulset.ts';
import { makeLeaderPodSpec, makeWorkerPodSpec } from '../../tooling/testing/lws-core-fixtures.ts';

/** Upstream BuildBasicLeaderWorkerSet: no defaults beyond what each case sets. */
function basic(
  spec: Partial<LeaderWorkerSet['spec']> & { size?: number },
  meta: Partial<LeaderWorkerSet['metadata']> = {},
) {
  const { size, ...rest } = spec;
  const lws: LeaderWorkerSet = {
    metadata: { name: 'test-sample', namespace: 'default', uid: 'lws-uid', ...meta },
    spec: {
      replicas: 1,
      leaderWorkerTemplate: { workerTemplate: { spec: makeWorkerPodSpec() }, size: size ?? 1 },
      rolloutStrategy: { type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable: 1 } },
      ...rest,
    },
  };
  return lws;
}

test('leader StatefulSet: 1 replica, size 1, no leader template (full object)', () => {
  const lws = basic({});
  assert.deepStrictEqual(buildLeaderStatefulSet(lws, { revisionKey: 'rev2', partition: 0, replicas: 1 }), {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: 'test-sample',
      namespace: 'default',
      labels: {
        'leaderworkerset.sigs.k8s.io/name': 'test-sample',
        'leaderworkerset.sigs.k8s.io/template-revision-hash': 'rev2',
      },
      annotations: { 'leaderworkerset.sigs.k8s.io/replicas': '1' },
      ownerReferences: [
        {
          apiVersion: 'leaderworkerset.x-k8s.io/v1',
          kind: 'LeaderWorkerSet',
          name: 'test-sample',
          uid: 'lws-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      serviceName: 'test-sample',
      replicas: 1,
      podManagementPolicy: 'Parallel',
      template: {
        metadata: {
          labels: {
            'leaderworkerset.sigs.k8s.io/name': 'test-sample',
            'leaderworkerset.sigs.k8s.io/worker-index': '0',
            'leaderworkerset.sigs.k8s.io/template-revision-hash': 'rev2',
          },
          annotations: { 'leaderworkerset.sigs.k8s.io/size': '1' },
        },
        spec: makeWorkerPodSpec(),
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, partition: 0 } },
      selector: {
        matchLabels: {
          'leaderworkerset.sigs.k8s.io/name': 'test-sample',
          'leaderworkerset.sigs.k8s.io/worker-index': '0',
        },
      },
    },
  });
});

// Upstream TestLeaderStatefulSetApplyConfig rows, by the field each one pins: [name, lws, maxUnavailable].
const strategy = (replicas: number, maxUnavailable: number | string, maxSurge?: number | string) =>
  basic({
    replicas,
    rolloutStrategy: { type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable, maxSurge } },
  });
const budgets: [string, LeaderWorkerSet, number][] = [
  ['1 replica, maxUnavailable 1', strategy(1, 1), 1],
  ['2 maxUnavailable, 1 maxSurge, 1 replica', strategy(1, 2, 1), 3],
  ['0 maxUnavailable, 2 maxSurge, 1 replica (surge capped at replicas)', strategy(1, 0, 2), 1],
  ['0 replicas, 0 maxUnavailable, 0 maxSurge (floor of 1)', strategy(0, 0, 0), 1],
  ['1 maxUnavailable, 50% maxSurge, 2 replicas', strategy(2, 1, '50%'), 2],
  ['25% maxUnavailable of 10, 25% maxSurge of 10', strategy(10, '25%', '25%'), 2 + 3],
];
for (const [name, lws, want] of budgets) {
  test(`leader StatefulSet maxUnavailable: ${name}`, () => {
    assert.equal(leaderMaxUnavailable(lws), want);
    const sts = buildLeaderStatefulSet(lws, { revisionKey: 'r', partition: 0, replicas: 3 });
    assert.equal(sts.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, want);
    // Replicas and partition come from the caller (e.g. 3 while surging over 2 desired).
    assert.equal(sts.spec?.replicas, 3);
  });
}

test('leader StatefulSet: partition and replicas are the given ones', () => {
  const sts = buildLeaderStatefulSet(strategy(4, 1, 1), { revisionKey: 'r', partition: 3, replicas: 5 });
  assert.deepStrictEqual(sts.spec?.updateStrategy, {
    type: 'RollingUpdate',
    rollingUpdate: { maxUnavailable: 2, partition: 3 },
  });
  assert.equal(sts.spec?.replicas, 5);
  assert.equal(sts.metadata.annotations?.['leaderworkerset.sigs.k8s.io/replicas'], '4');
});

// [name, lws, template annotations]
const exclusive = { 'leaderworkerset.sigs.k8s.io/exclusive-topology': 'topologyKey' };
const subgroupExclusive = { 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology': 'topologyKey' };
const annotationRows: [string, LeaderWorkerSet, Record<string, string>][] = [
  [
    'size 2, exclusive placement',
    basic({ size: 2 }, { annotations: exclusive }),
    { 'leaderworkerset.sigs.k8s.io/size': '2', ...exclusive },
  ],
  [
    'empty exclusive-topology value is not copied',
    basic({ size: 2 }, { annotations: { 'leaderworkerset.sigs.k8s.io/exclusive-topology': '' } }),
    { 'leaderworkerset.sigs.k8s.io/size': '2' },
  ],
  [
    'subgroup policy LeaderWorker with subgroup exclusive placement',
    basic(
      {
        size: 2,
        leaderWorkerTemplate: {
          workerTemplate: { spec: makeWorkerPodSpec() },
          size: 2,
          subGroupPolicy: { subGroupPolicyType: 'LeaderWorker', subGroupSize: 2 },
        },
      },
      { annotations: subgroupExclusive },
    ),
    {
      'leaderworkerset.sigs.k8s.io/size': '2',
      'leaderworkerset.sigs.k8s.io/subgroup-size': '2',
      'leaderworkerset.sigs.k8s.io/subgroup-policy-type': 'LeaderWorker',
      ...subgroupExclusive,
    },
  ],
  [
    'subgroup exclusive placement without subgroup policy is ignored',
    basic({ size: 2 }, { annotations: subgroupExclusive }),
    { 'leaderworkerset.sigs.k8s.io/size': '2' },
  ],
  [
    'UniquePerReplica marks the leader template',
    basic({ networkConfig: { subdomainPolicy: 'UniquePerReplica' } }),
    { 'leaderworkerset.sigs.k8s.io/size': '1', 'leaderworkerset.sigs.k8s.io/subdomainPolicy': 'UniquePerReplica' },
  ],
  [
    'Shared adds nothing',
    basic({ networkConfig: { subdomainPolicy: 'Shared' } }),
    { 'leaderworkerset.sigs.k8s.io/size': '1' },
  ],
];
for (const [name, lws, want] of annotationRows) {
  test(`leader pod template annotations: ${name}`, () => {
    const sts = buildLeaderStatefulSet(lws, { revisionKey: 'r', partition: 0, replicas: 1 });
    assert.deepStrictEqual(sts.spec?.template.metadata?.annotations, want);
    assert.equal(sts.spec?.serviceName, 'test-sample'); // always the LWS name
  });
}

test('leader template wins over worker template; user template metadata is kept', () => {
  const lws = basic({ size: 2 });
  lws.spec.leaderWorkerTemplate.leaderTemplate = {
    metadata: { labels: { app: 'x', 'leaderworkerset.sigs.k8s.io/worker-index': '7' }, annotations: { a: 'b' } },
    spec: makeLeaderPodSpec(),
  };
  const sts = buildLeaderStatefulSet(lws, { revisionKey: 'rev1', partition: 0, replicas: 1 });
  assert.deepStrictEqual(sts.spec?.template, {
    metadata: {
      labels: {
        app: 'x',
        'leaderworkerset.sigs.k8s.io/worker-index': '0',
        'leaderworkerset.sigs.k8s.io/name': 'test-sample',
        'leaderworkerset.sigs.k8s.io/template-revision-hash': 'rev1',
      },
      annotations: { a: 'b', 'leaderworkerset.sigs.k8s.io/size': '2' },
    },
    spec: makeLeaderPodSpec(),
  });
  // The LWS object itself is not modified.
  assert.equal(
    lws.spec.leaderWorkerTemplate.leaderTemplate.metadata?.labels?.['leaderworkerset.sigs.k8s.io/worker-index'],
    '7',
  );
});

test('volumeClaimTemplates copy only name and five spec fields; retention policy copied', () => {
  const lws = basic({});
  lws.spec.leaderWorkerTemplate.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Delete' };
  lws.spec.leaderWorkerTemplate.volumeClaimTemplates = [
    {
      metadata: { name: 'pvc1', labels: { dropped: 'yes' } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
        resources: { requests: { storage: '1Gi' }, limits: { storage: '2Gi' } },
        selector: { matchLabels: { dropped: 'yes' } },
      },
    },
    { metadata: { name: 'bare' }, spec: { accessModes: [] } },
  ];
  const sts = buildLeaderStatefulSet(lws, { revisionKey: 'r', partition: 0, replicas: 1 });
  assert.deepStrictEqual(sts.spec?.persistentVolumeClaimRetentionPolicy, {
    whenDeleted: 'Retain',
    whenScaled: 'Delete',
  });
  assert.deepStrictEqual(sts.spec?.volumeClaimTemplates, [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'pvc1', namespace: 'default' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
        resources: { requests: { storage: '1Gi' }, limits: { storage: '2Gi' } },
      },
    },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'bare', namespace: 'default' }, spec: {} },
  ]);
});

test('no claim templates, no retention policy: fields left out', () => {
  const sts = buildLeaderStatefulSet(basic({}), { revisionKey: 'r', partition: 0, replicas: 1 });
  assert.equal('volumeClaimTemplates' in sts.spec!, false);
  assert.equal('persistentVolumeClaimRetentionPolicy' in sts.spec!, false);
});

test('retention policy with an unset field sends it empty, as upstream', () => {
  const lws = basic({});
  lws.spec.leaderWorkerTemplate.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Delete' };
  const sts = buildLeaderStatefulSet(lws, { revisionKey: 'r', partition: 0, replicas: 1 });
  assert.deepStrictEqual(sts.spec?.persistentVolumeClaimRetentionPolicy, { whenDeleted: '', whenScaled: 'Delete' });
});

// Upstream TestLeaderStatefulSetApplyConfigPropagatesObjectMeta: controller keys win.
test('LWS labels and annotations propagate to the StatefulSet object', () => {
  const lws = basic(
    { replicas: 2 },
    {
      labels: { app: 'inference', 'leaderworkerset.sigs.k8s.io/name': 'user-value' },
      annotations: { owner: 'platform', 'leaderworkerset.sigs.k8s.io/replicas': 'user-value' },
    },
  );
  const sts = buildLeaderStatefulSet(lws, { revisionKey: 'revision-1', partition: 0, replicas: 2 });
  assert.deepStrictEqual(sts.metadata.labels, {
    app: 'inference',
    'leaderworkerset.sigs.k8s.io/name': 'test-sample',
    'leaderworkerset.sigs.k8s.io/template-revision-hash': 'revision-1',
  });
  assert.deepStrictEqual(sts.metadata.annotations, { owner: 'platform', 'leaderworkerset.sigs.k8s.io/replicas': '2' });
  // ...but not to the pod template.
  assert.equal(sts.spec?.template.metadata?.labels?.app, undefined);
  assert.equal(sts.spec?.template.metadata?.annotations?.owner, undefined);
});
