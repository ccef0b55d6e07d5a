import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { Pod } from '../../k8s/client/objects.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import {
  buildNativeGang,
  buildVolcanoPodGroup,
  injectPodGroupMetadata,
  podGroupCreateFailed,
  podGroupMinResources,
  podGroupName,
  podRequests,
} from './gang-scheduling.ts';
import { quantityString } from '../../k8s/go/quantity.ts';

const SET = 'leaderworkerset.sigs.k8s.io/name';
const GROUP = 'leaderworkerset.sigs.k8s.io/group-index';
const REV = 'leaderworkerset.sigs.k8s.io/template-revision-hash';

function lws(
  spec: Partial<LeaderWorkerSet['spec']> & { size?: number; cpu?: string; leaderCpu?: string },
  annotations?: Record<string, string>,
): LeaderWorkerSet {
  const container = (cpu?: string) => ({
    name: 'c',
    image: 'nginx',
    ...(cpu ? { resources: { requests: { cpu } } } : {}),
  });
  return {
    metadata: { name: 'test-lws', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: {
      startupPolicy: spec.startupPolicy,
      leaderWorkerTemplate: {
        size: spec.size ?? 3,
        workerTemplate: { spec: { containers: [container(spec.cpu)] } },
        ...(spec.leaderCpu ? { leaderTemplate: { spec: { containers: [container(spec.leaderCpu)] } } } : {}),
      },
    },
  };
}

function leader(group: string, revision: string, annotate = true): Pod {
  return {
    metadata: {
      name: `test-lws-${group}`,
      namespace: 'default',
      uid: `uid-${group}`,
      labels: { [SET]: 'test-lws', [GROUP]: group, [REV]: revision, 'leaderworkerset.sigs.k8s.io/worker-index': '0' },
      ...(annotate
        ? { annotations: { 'scheduling.k8s.io/group-name': podGroupName('test-lws', group, revision) } }
        : {}),
    },
  };
}

const owner = (group: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  name: `test-lws-${group}`,
  uid: `uid-${group}`,
  controller: true,
  blockOwnerDeletion: true,
});

// Upstream's TestVolcanoProvider_CreatePodGroupIfNotExists and TestCalculatePGMinResources cases, as tables.
test('Volcano PodGroup per group: name, labels, owner, minMember by startup policy, minResources', () => {
  const cases: { name: string; lws: LeaderWorkerSet; leader: Pod; expected: unknown }[] = [
    {
      name: 'LeaderCreated: minMember is the group size',
      lws: lws({ startupPolicy: 'LeaderCreated', size: 3, cpu: '100m' }),
      leader: leader('0', 'abc123'),
      expected: {
        apiVersion: 'scheduling.volcano.sh/v1beta1',
        kind: 'PodGroup',
        metadata: {
          name: 'test-lws-0-abc123',
          namespace: 'default',
          labels: { [GROUP]: '0', [SET]: 'test-lws', [REV]: 'abc123' },
          ownerReferences: [owner('0')],
        },
        spec: { minMember: 3, minResources: { cpu: '300m' } },
        status: {},
      },
    },
    {
      name: 'LeaderReady: minMember 1, minResources still the whole group',
      lws: lws({ startupPolicy: 'LeaderReady', size: 3, cpu: '100m' }),
      leader: leader('1', 'def456'),
      expected: {
        apiVersion: 'scheduling.volcano.sh/v1beta1',
        kind: 'PodGroup',
        metadata: {
          name: 'test-lws-1-def456',
          namespace: 'default',
          labels: { [GROUP]: '1', [SET]: 'test-lws', [REV]: 'def456' },
          ownerReferences: [owner('1')],
        },
        spec: { minMember: 1, minResources: { cpu: '300m' } },
        status: {},
      },
    },
    {
      name: 'queue and volcano.sh/ annotations are inherited from the LWS',
      lws: lws(
        { size: 2, cpu: '1', leaderCpu: '2' },
        {
          'scheduling.volcano.sh/queue-name': 'q1',
          'volcano.sh/preemptable': 'false',
          'other/x': 'y',
        },
      ),
      leader: leader('2', 'r'),
      expected: {
        apiVersion: 'scheduling.volcano.sh/v1beta1',
        kind: 'PodGroup',
        metadata: {
          name: 'test-lws-2-r',
          namespace: 'default',
          labels: { [GROUP]: '2', [SET]: 'test-lws', [REV]: 'r' },
          annotations: { 'volcano.sh/preemptable': 'false' },
          ownerReferences: [owner('2')],
        },
        spec: { minMember: 2, queue: 'q1', minResources: { cpu: '3' } },
        status: {},
      },
    },
    {
      name: 'no requests: an empty minResources',
      lws: lws({ size: 1 }),
      leader: leader('0', 'x'),
      expected: {
        apiVersion: 'scheduling.volcano.sh/v1beta1',
        kind: 'PodGroup',
        metadata: {
          name: 'test-lws-0-x',
          namespace: 'default',
          labels: { [GROUP]: '0', [SET]: 'test-lws', [REV]: 'x' },
          ownerReferences: [owner('0')],
        },
        spec: { minMember: 1, minResources: {} },
        status: {},
      },
    },
  ];
  for (const c of cases) assert.deepEqual(buildVolcanoPodGroup(c.lws, c.leader), c.expected, c.name);
  assert.equal(buildVolcanoPodGroup(lws({}), leader('0', 'x', false)), undefined, 'no group-name annotation');
});

test('PodRequests: containers summed, init containers as a maximum, sidecars accumulate, pod level and overhead', () => {
  const str = (spec: unknown) =>
    Object.fromEntries([...podRequests(spec)].map(([k, q]) => [k, quantityString(q)]).sort());
  const cases: [string, unknown, Record<string, string>][] = [
    ['nothing', {}, {}],
    [
      'two containers',
      {
        containers: [
          { resources: { requests: { cpu: '100m', memory: '1Gi' } } },
          { resources: { requests: { cpu: '1' } } },
        ],
      },
      { cpu: '1100m', memory: '1Gi' },
    ],
    [
      'a big init container wins',
      {
        containers: [{ resources: { requests: { cpu: '1' } } }],
        initContainers: [{ resources: { requests: { cpu: '4' } } }],
      },
      { cpu: '4' },
    ],
    [
      'a sidecar adds to the containers and to later init containers',
      {
        containers: [{ resources: { requests: { cpu: '1' } } }],
        initContainers: [
          { restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } },
          { resources: { requests: { cpu: '2' } } },
        ],
      },
      { cpu: '2500m' },
    ],
    [
      'pod-level cpu overrides the containers; overhead on top',
      {
        containers: [{ resources: { requests: { cpu: '1', 'nvidia.com/gpu': '1' } } }],
        resources: { requests: { cpu: '3' } },
        overhead: { cpu: '250m' },
      },
      { cpu: '3250m', 'nvidia.com/gpu': '1' },
    ],
  ];
  for (const [name, spec, expected] of cases) assert.deepEqual(str(spec), expected, name);
});

test('minResources: the leader template (or the worker one) plus size-1 workers', () => {
  assert.deepEqual(podGroupMinResources(lws({ size: 4, cpu: '100m' })), { cpu: '400m' });
  assert.deepEqual(podGroupMinResources(lws({ size: 4, cpu: '1', leaderCpu: '500m' })), { cpu: '3500m' });
  assert.deepEqual(podGroupMinResources(lws({ size: 1, cpu: '7' })), { cpu: '7' });
});

test('the webhook step: the group-name annotation (volcano) or spec.schedulingGroup (kubernetes)', () => {
  const pod = (): Pod => ({
    metadata: { name: 'test-lws-1-2', labels: { [SET]: 'test-lws', [GROUP]: '1', [REV]: 'r1' }, annotations: {} },
    spec: { containers: [] },
  });
  const v = pod();
  injectPodGroupMetadata('volcano', v);
  assert.deepEqual(v.metadata.annotations, { 'scheduling.k8s.io/group-name': 'test-lws-1-r1' });
  const n = pod();
  injectPodGroupMetadata('kubernetes', n);
  assert.deepEqual(n.metadata.annotations, {});
  assert.deepEqual((n.spec as unknown as { schedulingGroup: unknown }).schedulingGroup, {
    podGroupName: 'test-lws-1-r1',
  });
});

test('native: a Workload with one gang template and its PodGroup, both owned by the leader', () => {
  const { workload, podGroup } = buildNativeGang(lws({ startupPolicy: 'LeaderCreated', size: 4 }), leader('0', 'r'));
  const metadata = {
    name: 'test-lws-0-r',
    namespace: 'default',
    labels: { [GROUP]: '0', [SET]: 'test-lws', [REV]: 'r' },
    ownerReferences: [{ ...owner('0'), blockOwnerDeletion: false }],
  };
  assert.deepEqual(workload, {
    apiVersion: 'scheduling.k8s.io/v1alpha2',
    kind: 'Workload',
    metadata,
    spec: { podGroupTemplates: [{ name: 'group', schedulingPolicy: { gang: { minCount: 4 } } }] },
  });
  assert.deepEqual(podGroup, {
    apiVersion: 'scheduling.k8s.io/v1alpha2',
    kind: 'PodGroup',
    metadata,
    spec: {
      podGroupTemplateRef: { workload: { workloadName: 'test-lws-0-r', podGroupTemplateName: 'group' } },
      schedulingPolicy: { gang: { minCount: 4 } },
    },
  });
});

// Golden vectors from upstream's own Volcano provider (hack/golden podgroups: InjectPodGroupMetadata and
// CreatePodGroupIfNotExists through a fake client), regenerated by hack/golden/generate.sh.
test('golden: the pod annotations and the PodGroup upstream creates, for every vector', () => {
  const root = new URL('../../../test/golden/', import.meta.url);
  const inputs = JSON.parse(readFileSync(new URL('podgroup-inputs.json', root), 'utf8')) as {
    name: string;
    lws: LeaderWorkerSet;
    pod: Pod;
  }[];
  const vectors = JSON.parse(readFileSync(new URL('podgroup-vectors.json', root), 'utf8')) as {
    name: string;
    podAnnotations: Record<string, string>;
    podGroup: unknown;
  }[];
  assert.equal(vectors.length, inputs.length);
  for (const [i, input] of inputs.entries()) {
    const expected = vectors[i]!;
    assert.equal(expected.name, input.name);
    const pod = structuredClone(input.pod);
    injectPodGroupMetadata('volcano', pod);
    assert.deepEqual(pod.metadata.annotations, expected.podAnnotations, `${input.name}: pod annotations`);
    assert.deepEqual(buildVolcanoPodGroup(input.lws, pod), expected.podGroup, `${input.name}: PodGroup`);
  }
});

test('a pod group that cannot be created is a FailedCreate warning naming the API and the provider', () => {
  const e = podGroupCreateFailed(
    leader('0', 'r'),
    'volcano',
    new Error('the server could not find the requested resource'),
  );
  assert.deepEqual(
    { type: e.type, reason: e.reason, action: e.action, note: e.note },
    {
      type: 'Warning',
      reason: 'FailedCreate',
      action: 'Create',
      note: 'Failed to create podgroups (scheduling.volcano.sh/v1beta1, gang scheduling provider volcano) for leader pod test-lws-0: the server could not find the requested resource',
    },
  );
});
