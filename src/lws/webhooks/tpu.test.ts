import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1EnvVar, V1PodSpec } from '@kubernetes/client-node';
import type { Pod } from '../../k8s/client/objects.ts';
import {
  LEADER_REQUESTS_TPUS_ANNOTATION as LEADER_TPUS,
  SUBGROUP_INDEX_LABEL as SG_INDEX,
  SUBGROUP_POLICY_TYPE_ANNOTATION,
  SUBGROUP_SIZE_ANNOTATION as SG_SIZE,
  TPU_PROCESS_PORT,
  TPU_RESOURCE_NAME,
  TPU_WORKER_ID,
  WORKER_INDEX_LABEL as WI,
} from '../api/keys.ts';
import { AdmissionError } from '../../k8s/admission/errors.ts';
import {
  makeContainerWithTPU,
  makeLeaderPodSpec,
  makeLeaderPodSpecWithTPUResource,
  makeLeaderPodSpecWithTPUResourceMultipleContainers,
} from '../../tooling/testing/lws-webhook-fixtures.ts';
import { addTPUVariables, podRequestsTPUs, tpuContainers } from './tpu.ts';

function pod(
  name: string | undefined,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  spec: V1PodSpec,
): Pod {
  return { metadata: { name, namespace: 'default', labels, annotations }, spec };
}

/** The TPU variables in upstream's order; TPU_PROCESS_PORT only when the container did not define it. */
function tpuEnv(hosts: string, id: string, name: string, addresses: string, port?: string): V1EnvVar[] {
  const env = [
    { name: 'TPU_WORKER_HOSTNAMES', value: hosts },
    { name: 'TPU_WORKER_ID', value: id },
    { name: 'TPU_NAME', value: name },
    { name: 'TPU_PROCESS_ADDRESSES', value: addresses },
  ];
  return port === undefined ? env : [...env, { name: 'TPU_PROCESS_PORT', value: port }];
}

const hosts2 = 'test-sample-0.default,test-sample-0-1.default';
const addrs2 = 'test-sample-0.default:8476,test-sample-0-1.default:8476';

interface TpuCase {
  name: string;
  pod: Pod;
  size: number;
  /** Env of each TPU container after injection (containers, then init containers). */
  expected?: V1EnvVar[][];
  error?: string;
}

// Upstream pkg/utils/accelerators/tpu_test.go TestAddTPUVariables and TestAddTPUVariablesSubGroup, with the full
// expected environment per TPU container instead of per-variable checks.
const cases: TpuCase[] = [
  {
    name: 'leader requests TPU resources, leader pod',
    pod: pod('test-sample-0', { [WI]: '0' }, { [LEADER_TPUS]: 'true' }, makeLeaderPodSpecWithTPUResource()),
    size: 2,
    expected: [tpuEnv(hosts2, '0', 'test-sample-0', addrs2, '8476')],
  },
  {
    name: 'leader requests TPU resources, worker pod',
    pod: pod('test-sample-0-1', { [WI]: '1' }, { [LEADER_TPUS]: 'true' }, makeLeaderPodSpecWithTPUResource()),
    size: 2,
    expected: [tpuEnv(hosts2, '1', 'test-sample-0', addrs2, '8476')],
  },
  {
    name: 'leader pod without the annotation is still a TPU host',
    pod: pod('test-sample-0', { [WI]: '0' }, {}, makeLeaderPodSpecWithTPUResource()),
    size: 2,
    expected: [tpuEnv(hosts2, '0', 'test-sample-0', addrs2, '8476')],
  },
  {
    name: 'leader does not request TPU resources, worker pod',
    pod: pod('test-sample-0-1', { [WI]: '1' }, {}, makeLeaderPodSpecWithTPUResource()),
    size: 2,
    expected: [tpuEnv('test-sample-0-1.default', '0', 'test-sample-0', 'test-sample-0-1.default:8476', '8476')],
  },
  {
    name: 'multi-container TPU_PROCESS_ADDRESSES, leader pod',
    pod: pod(
      'test-sample-0',
      { [WI]: '0' },
      { [LEADER_TPUS]: 'true' },
      { containers: [makeContainerWithTPU('c1'), makeContainerWithTPU('c2')], subdomain: 'default' },
    ),
    size: 2,
    expected: [0, 1].map((i) =>
      tpuEnv(
        'test-sample-0.default,test-sample-0.default,test-sample-0-1.default,test-sample-0-1.default',
        String(i),
        'test-sample-0',
        'test-sample-0.default:8476,test-sample-0.default:8477,test-sample-0-1.default:8476,test-sample-0-1.default:8477',
        String(8476 + i),
      ),
    ),
  },
  {
    name: 'multi-container TPU_PROCESS_ADDRESSES with custom ports',
    pod: pod(
      'test-sample-0',
      { [WI]: '0' },
      { [LEADER_TPUS]: 'true' },
      {
        containers: [
          makeContainerWithTPU('c1', [{ name: TPU_PROCESS_PORT, value: '8478' }]),
          makeContainerWithTPU('c2', [{ name: TPU_PROCESS_PORT, value: '8479' }]),
        ],
        subdomain: 'default',
      },
    ),
    size: 2,
    expected: ['8478', '8479'].map((port, i) => [
      { name: TPU_PROCESS_PORT, value: port },
      ...tpuEnv(
        'test-sample-0.default,test-sample-0.default,test-sample-0-1.default,test-sample-0-1.default',
        String(i),
        'test-sample-0',
        'test-sample-0.default:8478,test-sample-0.default:8479,test-sample-0-1.default:8478,test-sample-0-1.default:8479',
      ),
    ]),
  },
  {
    name: 'TPU resources in init containers',
    pod: pod(
      'sample-0',
      { [WI]: '0' },
      {},
      { containers: [], initContainers: [makeContainerWithTPU('i1')], subdomain: 'default' },
    ),
    size: 1,
    expected: [tpuEnv('sample-0.default', '0', 'sample-0', 'sample-0.default:8476', '8476')],
  },
  {
    name: 'invalid pod name',
    pod: pod('invalidname', {}, {}, { containers: [makeContainerWithTPU('c1')], subdomain: 'default' }),
    size: 1,
    error: 'parsing parent name from pod invalidname',
  },
  {
    name: 'zero containers requesting TPUs',
    pod: pod(undefined, {}, {}, { containers: [{ name: 'c1' }], subdomain: 'default' }),
    size: 1,
    expected: [],
  },
  // Subgroups: only the first TPU container, hostnames limited to the subgroup.
  {
    name: 'subgroup: leader requests TPU resources, leader pod',
    pod: pod('test-sample-0', { [WI]: '0', [SG_INDEX]: '0' }, { [SG_SIZE]: '1' }, makeLeaderPodSpecWithTPUResource()),
    size: 1,
    expected: [tpuEnv('test-sample-0.default', '0', 'test-sample-0', 'test-sample-0.default:8476', '8476')],
  },
  {
    name: 'subgroup: leader requests TPU resources, leader pod, subgroup size 2',
    pod: pod('test-sample-0', { [WI]: '0', [SG_INDEX]: '0' }, { [SG_SIZE]: '2' }, makeLeaderPodSpecWithTPUResource()),
    size: 2,
    expected: [tpuEnv(hosts2, '0', 'test-sample-0', addrs2, '8476')],
  },
  {
    name: 'subgroup: leader requests TPU resources, worker in subgroup 0',
    pod: pod(
      'test-sample-1-3',
      { [WI]: '3', [SG_INDEX]: '0' },
      { [LEADER_TPUS]: 'true', [SG_SIZE]: '5' },
      makeLeaderPodSpecWithTPUResource(),
    ),
    size: 5,
    expected: [
      tpuEnv(
        'test-sample-1.default,test-sample-1-1.default,test-sample-1-2.default,test-sample-1-3.default,test-sample-1-4.default',
        '3',
        'test-sample-1',
        'test-sample-1.default:8476,test-sample-1-1.default:8476,test-sample-1-2.default:8476,test-sample-1-3.default:8476,test-sample-1-4.default:8476',
        '8476',
      ),
    ],
  },
  {
    name: 'subgroup: leader requests TPU resources, worker with subgroup index > 0',
    pod: pod(
      'test-sample-1-7',
      { [WI]: '7', [SG_INDEX]: '1' },
      { [LEADER_TPUS]: 'true', [SG_SIZE]: '4' },
      makeLeaderPodSpecWithTPUResource(),
    ),
    size: 8,
    expected: [
      tpuEnv(
        'test-sample-1-4.default,test-sample-1-5.default,test-sample-1-6.default,test-sample-1-7.default',
        '3',
        'test-sample-1',
        'test-sample-1-4.default:8476,test-sample-1-5.default:8476,test-sample-1-6.default:8476,test-sample-1-7.default:8476',
        '8476',
      ),
    ],
  },
  {
    name: 'subgroup: leader does not request TPU resources, worker with subgroup index > 0',
    pod: pod('test-sample-1-5', { [WI]: '5', [SG_INDEX]: '1' }, { [SG_SIZE]: '4' }, makeLeaderPodSpecWithTPUResource()),
    size: 9,
    expected: [
      tpuEnv(
        'test-sample-1-5.default,test-sample-1-6.default,test-sample-1-7.default,test-sample-1-8.default',
        '0',
        'test-sample-1',
        'test-sample-1-5.default:8476,test-sample-1-6.default:8476,test-sample-1-7.default:8476,test-sample-1-8.default:8476',
        '8476',
      ),
    ],
  },
  {
    name: 'subgroup: leader does not request TPU resources, LeaderExcluded worker',
    pod: pod(
      'test-sample-0-2',
      { [WI]: '2', [SG_INDEX]: '0' },
      { [SG_SIZE]: '2', [SUBGROUP_POLICY_TYPE_ANNOTATION]: 'LeaderExcluded' },
      makeLeaderPodSpecWithTPUResource(),
    ),
    size: 3,
    expected: [
      tpuEnv(
        'test-sample-0-1.default,test-sample-0-2.default',
        '1',
        'test-sample-0',
        'test-sample-0-1.default:8476,test-sample-0-2.default:8476',
        '8476',
      ),
    ],
  },
  {
    name: 'subgroup: TPU_PROCESS_PORT is already set',
    pod: pod(
      'test-sample-1-5',
      { [WI]: '5', [SG_INDEX]: '1' },
      { [SG_SIZE]: '4' },
      {
        containers: [makeContainerWithTPU('worker', [{ name: TPU_PROCESS_PORT, value: '8478' }])],
        subdomain: 'default',
      },
    ),
    size: 9,
    expected: [
      [
        { name: TPU_PROCESS_PORT, value: '8478' },
        ...tpuEnv(
          'test-sample-1-5.default,test-sample-1-6.default,test-sample-1-7.default,test-sample-1-8.default',
          '0',
          'test-sample-1',
          'test-sample-1-5.default:8478,test-sample-1-6.default:8478,test-sample-1-7.default:8478,test-sample-1-8.default:8478',
        ),
      ],
    ],
  },
  {
    name: 'subgroup: invalid size',
    pod: pod(undefined, {}, { [SG_SIZE]: 'invalid' }, { containers: [makeContainerWithTPU('c1')] }),
    size: 1,
    error: 'strconv.Atoi: parsing "invalid": invalid syntax',
  },
  {
    name: 'subgroup: invalid index',
    pod: pod(undefined, { [SG_INDEX]: 'invalid' }, { [SG_SIZE]: '1' }, { containers: [makeContainerWithTPU('c1')] }),
    size: 1,
    error: 'strconv.Atoi: parsing "invalid": invalid syntax',
  },
  {
    name: 'subgroup: missing index (a LeaderExcluded leader with TPUs)',
    pod: pod('lws-0', { [WI]: '0' }, { [SG_SIZE]: '1' }, { containers: [makeContainerWithTPU('c1')] }),
    size: 1,
    error: 'strconv.Atoi: parsing "": invalid syntax',
  },
  {
    name: 'subgroup: invalid worker index',
    pod: pod(
      undefined,
      { [SG_INDEX]: '0', [WI]: 'invalid' },
      { [SG_SIZE]: '1' },
      { containers: [makeContainerWithTPU('c1')] },
    ),
    size: 1,
    error: 'strconv.Atoi: parsing "invalid": invalid syntax',
  },
  {
    name: 'subgroup: invalid name',
    pod: pod(
      'invalidname',
      { [SG_INDEX]: '0', [WI]: '1' },
      { [SG_SIZE]: '1' },
      { containers: [makeContainerWithTPU('c1')] },
    ),
    size: 1,
    error: 'parsing parent name from pod invalidname',
  },
  ...[
    ['worker 1 of group size 3 with subgroup size 1', '1', 'true'],
    ['worker 2 of group size 3 with subgroup size 1', '2', 'true'],
    ['leader does not request TPU resources, subGroupSize=1, worker 1', '1', undefined],
    ['leader does not request TPU resources, subGroupSize=1, worker 2', '2', undefined],
  ].map(([name, w, leaderTpus]) => ({
    name: `subgroup: ${name}`,
    pod: pod(
      `prefill-0-${w}`,
      { [WI]: w!, [SG_INDEX]: w! },
      { [SG_SIZE]: '1', ...(leaderTpus ? { [LEADER_TPUS]: leaderTpus } : {}) },
      makeLeaderPodSpecWithTPUResource(),
    ),
    size: 3,
    expected: [tpuEnv(`prefill-0-${w}.default`, '0', 'prefill-0', `prefill-0-${w}.default:8476`, '8476')],
  })),
  {
    name: 'subgroup: zero containers requesting TPUs',
    pod: pod(undefined, {}, { [SG_SIZE]: '1' }, { containers: [{ name: 'c1' }] }),
    size: 1,
    expected: [],
  },
];

for (const c of cases) {
  test(`TPU variables: ${c.name}`, () => {
    const p = structuredClone(c.pod);
    if (c.error) {
      assert.throws(() => addTPUVariables(p, c.size), new AdmissionError(c.error));
      return;
    }
    addTPUVariables(p, c.size);
    const containers = tpuContainers(p.spec);
    const injected = c.pod.metadata.annotations?.[SG_SIZE] ? containers.slice(0, 1) : containers;
    assert.deepStrictEqual(
      injected.map((container) => container.env),
      c.expected,
    );
    // Containers without TPUs are never touched.
    for (const container of p.spec!.containers) {
      if (!containers.includes(container)) assert.equal(container.env, undefined);
    }
  });
}

test('TPU variables: skip injection if TPU_WORKER_ID already exists (with and without subgroups)', () => {
  for (const annotations of [{}, { [SG_SIZE]: '1' }] as Record<string, string>[]) {
    const p = pod(undefined, {}, annotations, {
      containers: [
        { name: 'c1', resources: { limits: { [TPU_RESOURCE_NAME]: '1' } }, env: [{ name: TPU_WORKER_ID, value: '0' }] },
      ],
    });
    addTPUVariables(p, 1);
    assert.deepStrictEqual(p.spec!.containers[0]!.env, [{ name: TPU_WORKER_ID, value: '0' }]);
  }
});

test('TPU variables: only the first TPU container of a subgroup pod is set up', () => {
  const p = pod(
    'lws-0',
    { [WI]: '0', [SG_INDEX]: '0' },
    { [SG_SIZE]: '1' },
    {
      containers: [makeContainerWithTPU('a'), makeContainerWithTPU('b')],
      subdomain: 'lws',
    },
  );
  addTPUVariables(p, 2);
  assert.deepStrictEqual(p.spec!.containers[0]!.env, tpuEnv('lws-0.lws', '0', 'lws-0', 'lws-0.lws:8476', '8476'));
  assert.equal(p.spec!.containers[1]!.env, undefined);
});

const tpuContainerCases: { name: string; spec: V1PodSpec; containers: string[]; requests: boolean }[] = [
  {
    name: 'pod requests TPU resources',
    spec: { containers: [makeContainerWithTPU('c1')] },
    containers: ['c1'],
    requests: true,
  },
  {
    name: 'pod does not request TPU resources',
    spec: { containers: [{ name: 'c1' }] },
    containers: [],
    requests: false,
  },
  {
    name: 'pod requests multiple TPU resources',
    spec: { containers: [makeContainerWithTPU('c1'), makeContainerWithTPU('c2')] },
    containers: ['c1', 'c2'],
    requests: true,
  },
  {
    name: 'mixed containers',
    spec: makeLeaderPodSpecWithTPUResourceMultipleContainers(),
    containers: ['worker'],
    requests: true,
  },
  {
    name: 'init containers requested TPUs',
    spec: { containers: [], initContainers: [makeContainerWithTPU('i1')] },
    containers: ['i1'],
    requests: true,
  },
  {
    name: 'TPU resource in requests, not limits',
    spec: { containers: [{ name: 'c1', resources: { requests: { [TPU_RESOURCE_NAME]: '1' } } }] },
    containers: ['c1'],
    requests: true,
  },
  {
    name: 'a zero limit falls back to requests',
    spec: {
      containers: [
        { name: 'c1', resources: { limits: { [TPU_RESOURCE_NAME]: '0' }, requests: { [TPU_RESOURCE_NAME]: '2' } } },
      ],
    },
    containers: ['c1'],
    requests: true,
  },
  {
    name: 'zero quantities in any notation do not count',
    spec: {
      containers: [
        { name: 'c1', resources: { limits: { [TPU_RESOURCE_NAME]: '0.0' }, requests: { [TPU_RESOURCE_NAME]: '0m' } } },
      ],
    },
    containers: [],
    requests: false,
  },
  { name: 'no TPU resource at all', spec: makeLeaderPodSpec(), containers: [], requests: false },
];

for (const c of tpuContainerCases) {
  test(`TPU containers: ${c.name}`, () => {
    assert.deepStrictEqual(
      tpuContainers(c.spec).map((x) => x.name),
      c.containers,
    );
    assert.equal(podRequestsTPUs(c.spec), c.requests);
  });
}

// Found by the differential tests (docs/differential.md): with no TPU host to list, upstream's patch writes
// TPU_WORKER_HOSTNAMES and TPU_PROCESS_ADDRESSES without a value (corev1.EnvVar's value is omitempty).
test('empty TPU variables are written without a value, as Go encodes them', () => {
  const worker = pod('test-sample-0-1', { [WI]: '1' }, {}, { containers: [makeContainerWithTPU('worker')] });
  addTPUVariables(worker, 1);
  assert.deepEqual(worker.spec!.containers[0]!.env, [
    { name: 'TPU_WORKER_HOSTNAMES' },
    { name: 'TPU_WORKER_ID', value: '0' },
    { name: 'TPU_NAME', value: 'test-sample-0' },
    { name: 'TPU_PROCESS_ADDRESSES' },
    { name: 'TPU_PROCESS_PORT', value: '8476' },
  ]);
});
