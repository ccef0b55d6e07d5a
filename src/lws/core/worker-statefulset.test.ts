import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { Pod } from '../../k8s/client/objects.ts';
import { buildWorkerStatefulSet } from './worker-statefulset.ts';
import { podRequestsTPUs } from '../webhooks/tpu.ts';
import { makeWorkerPodSpec } from '../../tooling/testing/lws-core-fixtures.ts';

function basic(size: number, meta: Partial<LeaderWorkerSet['metadata']> = {}): LeaderWorkerSet {
  return {
    metadata: { name: 'test-sample', namespace: 'default', uid: 'lws-uid', ...meta },
    spec: { replicas: 1, leaderWorkerTemplate: { workerTemplate: { spec: makeWorkerPodSpec() }, size } },
  };
}

/** The leader pod of upstream's TestConstructWorkerStatefulSetApplyConfiguration. */
function leader(spec?: Pod['spec']): Pod {
  const pod: Pod = {
    metadata: {
      name: 'test-sample',
      namespace: 'default',
      uid: 'leader-uid',
      labels: {
        'leaderworkerset.sigs.k8s.io/worker-index': '0',
        'leaderworkerset.sigs.k8s.io/name': 'test-sample',
        'leaderworkerset.sigs.k8s.io/group-index': '1',
        'leaderworkerset.sigs.k8s.io/group-key': 'test-key',
        'leaderworkerset.sigs.k8s.io/template-revision-hash': 'rev-1',
      },
    },
  };
  if (spec) pod.spec = spec;
  return pod;
}

const groupLabels = {
  'leaderworkerset.sigs.k8s.io/group-index': '1',
  'leaderworkerset.sigs.k8s.io/name': 'test-sample',
  'leaderworkerset.sigs.k8s.io/group-key': 'test-key',
};
const labels = { ...groupLabels, 'leaderworkerset.sigs.k8s.io/template-revision-hash': 'rev-1' };

test('worker StatefulSet: 1 replica, size 1 (full object)', () => {
  assert.deepStrictEqual(buildWorkerStatefulSet(basic(1), leader()), {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: 'test-sample',
      namespace: 'default',
      labels,
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          name: 'test-sample',
          uid: 'leader-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      serviceName: 'test-sample',
      replicas: 0,
      podManagementPolicy: 'Parallel',
      template: {
        metadata: {
          labels,
          annotations: {
            'leaderworkerset.sigs.k8s.io/size': '1',
            'leaderworkerset.sigs.k8s.io/leader-name': 'test-sample',
          },
        },
        spec: makeWorkerPodSpec(),
      },
      ordinals: { start: 1 },
      selector: { matchLabels: groupLabels },
    },
  });
});

// [name, lws, leader pod, StatefulSet annotations, template annotations, replicas]
const rows: [string, LeaderWorkerSet, Pod, Record<string, string> | undefined, Record<string, string>, number][] = [
  [
    'size 2, exclusive placement',
    basic(2, { annotations: { 'leaderworkerset.sigs.k8s.io/exclusive-topology': 'topologyKey' } }),
    leader(),
    { 'leaderworkerset.sigs.k8s.io/exclusive-topology': 'topologyKey' },
    {
      'leaderworkerset.sigs.k8s.io/size': '2',
      'leaderworkerset.sigs.k8s.io/leader-name': 'test-sample',
      'leaderworkerset.sigs.k8s.io/exclusive-topology': 'topologyKey',
    },
    1,
  ],
  [
    'size 2, subgroup size 2 LeaderExcluded, subgroup exclusive placement',
    (() => {
      const lws = basic(2, {
        annotations: { 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology': 'topologyKey' },
      });
      lws.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupPolicyType: 'LeaderExcluded', subGroupSize: 2 };
      return lws;
    })(),
    leader(),
    { 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology': 'topologyKey' },
    {
      'leaderworkerset.sigs.k8s.io/size': '2',
      'leaderworkerset.sigs.k8s.io/leader-name': 'test-sample',
      'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology': 'topologyKey',
      'leaderworkerset.sigs.k8s.io/subgroup-size': '2',
      'leaderworkerset.sigs.k8s.io/subgroup-policy-type': 'LeaderExcluded',
    },
    1,
  ],
  [
    'subgroup policy without a type: only the size is written',
    (() => {
      const lws = basic(4);
      lws.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupSize: 2 };
      return lws;
    })(),
    leader(),
    undefined,
    {
      'leaderworkerset.sigs.k8s.io/size': '4',
      'leaderworkerset.sigs.k8s.io/leader-name': 'test-sample',
      'leaderworkerset.sigs.k8s.io/subgroup-size': '2',
    },
    3,
  ],
  [
    'leader requesting TPUs marks the worker template',
    basic(3),
    leader({ containers: [{ name: 'c', resources: { limits: { 'google.com/tpu': '4' } } }] }),
    undefined,
    {
      'leaderworkerset.sigs.k8s.io/size': '3',
      'leaderworkerset.sigs.k8s.io/leader-name': 'test-sample',
      'leaderworkerset.sigs.k8s.io/leader-requests-tpus': 'true',
    },
    2,
  ],
];
for (const [name, lws, pod, stsAnnotations, templateAnnotations, replicas] of rows) {
  test(`worker StatefulSet: ${name}`, () => {
    const sts = buildWorkerStatefulSet(lws, pod);
    assert.deepStrictEqual(sts.metadata.annotations, stsAnnotations);
    assert.deepStrictEqual(sts.spec?.template.metadata?.annotations, templateAnnotations);
    assert.equal(sts.spec?.replicas, replicas);
    assert.deepStrictEqual(sts.spec?.ordinals, { start: 1 });
    assert.equal(sts.spec?.updateStrategy, undefined); // StatefulSet defaults
  });
}

// [name, pod spec, requests TPUs]
const tpuRows: [string, Pod['spec'], boolean][] = [
  ['no resources', { containers: [{ name: 'c' }] }, false],
  ['limits', { containers: [{ name: 'c', resources: { limits: { 'google.com/tpu': '4' } } }] }, true],
  ['requests only', { containers: [{ name: 'c', resources: { requests: { 'google.com/tpu': '1' } } }] }, true],
  [
    'zero limit falls back to requests',
    {
      containers: [
        { name: 'c', resources: { limits: { 'google.com/tpu': '0' }, requests: { 'google.com/tpu': '2' } } },
      ],
    },
    true,
  ],
  ['zero everywhere', { containers: [{ name: 'c', resources: { limits: { 'google.com/tpu': '0' } } }] }, false],
  [
    'init container',
    { containers: [{ name: 'c' }], initContainers: [{ name: 'i', resources: { limits: { 'google.com/tpu': '4' } } }] },
    true,
  ],
  ['other resource', { containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': '4' } } }] }, false],
];
for (const [name, spec, want] of tpuRows) {
  test(`podRequestsTPUs: ${name}`, () => assert.equal(podRequestsTPUs(leader(spec).spec), want));
}

test('worker StatefulSet: claim templates and retention policy from the (revision) LWS', () => {
  const lws = basic(1);
  lws.spec.leaderWorkerTemplate.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Delete' };
  lws.spec.leaderWorkerTemplate.volumeClaimTemplates = [
    {
      metadata: { name: 'pvc1' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  ];
  const sts = buildWorkerStatefulSet(lws, leader());
  assert.deepStrictEqual(sts.spec?.persistentVolumeClaimRetentionPolicy, {
    whenDeleted: 'Retain',
    whenScaled: 'Delete',
  });
  assert.deepStrictEqual(sts.spec?.volumeClaimTemplates, [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'pvc1', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  ]);
});

// Upstream TestWorkerStatefulSetApplyConfigPropagatesObjectMeta.
test('worker StatefulSet: LWS labels and annotations propagate, controller labels win', () => {
  const lws = basic(2, {
    labels: { app: 'inference', 'leaderworkerset.sigs.k8s.io/group-index': 'user-value' },
    annotations: { owner: 'platform' },
  });
  const sts = buildWorkerStatefulSet(lws, leader());
  assert.deepStrictEqual(sts.metadata.labels, { app: 'inference', ...labels });
  assert.deepStrictEqual(sts.metadata.annotations, { owner: 'platform' });
  assert.deepStrictEqual(sts.spec?.template.metadata?.labels, labels);
});

test('worker StatefulSet: serviceName follows the (revision) subdomain policy', () => {
  const shared = basic(2);
  shared.spec.networkConfig = { subdomainPolicy: 'Shared' };
  const unique = basic(2);
  unique.spec.networkConfig = { subdomainPolicy: 'UniquePerReplica' };
  const leaderPod = leader();
  leaderPod.metadata.name = 'test-sample-1';
  assert.equal(buildWorkerStatefulSet(basic(2), leaderPod).spec?.serviceName, 'test-sample');
  assert.equal(buildWorkerStatefulSet(shared, leaderPod).spec?.serviceName, 'test-sample');
  assert.equal(buildWorkerStatefulSet(unique, leaderPod).spec?.serviceName, 'test-sample-1');
  assert.equal(buildWorkerStatefulSet(unique, leaderPod).metadata.name, 'test-sample-1');
});

test('worker StatefulSet: exclusive placement node selector is merged into the template', () => {
  const lws = basic(2);
  lws.spec.leaderWorkerTemplate.workerTemplate.spec!.nodeSelector = { pool: 'a' };
  const sts = buildWorkerStatefulSet(lws, leader(), { nodeSelector: { 'topology.kubernetes.io/zone': 'z1' } });
  assert.deepStrictEqual(sts.spec?.template.spec?.nodeSelector, { pool: 'a', 'topology.kubernetes.io/zone': 'z1' });
  assert.deepStrictEqual(buildWorkerStatefulSet(basic(2), leader()).spec?.template.spec?.nodeSelector, undefined);
  // The LWS is not modified.
  assert.deepStrictEqual(lws.spec.leaderWorkerTemplate.workerTemplate.spec?.nodeSelector, { pool: 'a' });
});

test('worker StatefulSet: revision label comes from the leader pod, empty when it has none', () => {
  const pod = leader();
  delete pod.metadata.labels!['leaderworkerset.sigs.k8s.io/template-revision-hash'];
  const sts = buildWorkerStatefulSet(basic(2), pod);
  assert.equal(sts.metadata.labels?.['leaderworkerset.sigs.k8s.io/template-revision-hash'], '');
});
