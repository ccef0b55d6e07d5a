import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { groupStates, parseGroupIndex, type GroupState } from './group-states.ts';
import { GROUP_INDEX_LABEL } from '../api/keys.ts';
import {
  makeLeaderPod,
  makeLeaderSts,
  makeLws,
  makeWorkerSts,
  type LwsOptions,
} from '../../tooling/testing/lws-core-fixtures.ts';

const CUR = 'cur';
const R: GroupState = { ready: true, updated: true };
const r: GroupState = { ready: true, updated: false };
const u: GroupState = { ready: false, updated: true };
const x: GroupState = { ready: false, updated: false };

type Build = (lws: ReturnType<typeof makeLws>) => { pods: Pod[]; workers: StatefulSet[] };

// [name, lws options, leader STS replicas, objects, states]
const rows: [string, LwsOptions, number, Build, GroupState[]][] = [
  [
    'ready/updated combinations',
    { replicas: 4 },
    4,
    (lws) => ({
      pods: [
        makeLeaderPod(lws, 0, { revision: CUR, ready: true }),
        makeLeaderPod(lws, 1, { revision: 'old', ready: true }),
        makeLeaderPod(lws, 2, { revision: CUR, ready: false }),
        makeLeaderPod(lws, 3, { revision: CUR, ready: true }),
      ],
      workers: [
        makeWorkerSts(lws, 0, { revision: CUR, ready: true }),
        makeWorkerSts(lws, 1, { revision: 'old', ready: true }),
        makeWorkerSts(lws, 2, { revision: CUR, ready: true }),
        makeWorkerSts(lws, 3, { revision: 'old', ready: false }),
      ],
    }),
    [R, r, u, x],
  ],
  [
    'missing leader pod or worker StatefulSet: absent',
    {},
    3,
    (lws) => ({
      pods: [
        makeLeaderPod(lws, 0, { revision: CUR, ready: true }),
        makeLeaderPod(lws, 2, { revision: CUR, ready: true }),
      ],
      workers: [
        makeWorkerSts(lws, 0, { revision: CUR, ready: true }),
        makeWorkerSts(lws, 1, { revision: CUR, ready: true }),
      ],
    }),
    [R, x, x],
  ],
  [
    'size 1: leader alone decides',
    { size: 1 },
    2,
    (lws) => ({
      pods: [
        makeLeaderPod(lws, 0, { revision: CUR, ready: true }),
        makeLeaderPod(lws, 1, { revision: 'old', ready: false }),
      ],
      workers: [],
    }),
    [R, x],
  ],
  [
    'objects beyond the leader StatefulSet replicas and the leader StatefulSet itself are ignored',
    {},
    1,
    (lws) => ({
      pods: [
        makeLeaderPod(lws, 0, { revision: CUR, ready: true }),
        makeLeaderPod(lws, 1, { revision: CUR, ready: true }),
      ],
      workers: [
        makeLeaderSts(lws, { replicas: 1, partition: 0, revision: CUR }),
        makeWorkerSts(lws, 0, { revision: CUR, ready: true }),
        makeWorkerSts(lws, 1, { revision: CUR, ready: true }),
      ],
    }),
    [R],
  ],
  [
    'a pod labelled with a group index but named otherwise does not count',
    {},
    1,
    (lws) => {
      const pod = makeLeaderPod(lws, 0, { revision: CUR, ready: true });
      pod.metadata.name = 'impostor';
      return { pods: [pod], workers: [makeWorkerSts(lws, 0, { revision: CUR, ready: true })] };
    },
    [x],
  ],
];
for (const [name, options, stsReplicas, build, want] of rows) {
  test(`groupStates: ${name}`, () => {
    const lws = makeLws(options);
    const { pods, workers } = build(lws);
    const sts = makeLeaderSts(lws, { replicas: stsReplicas, partition: 0, revision: CUR });
    assert.deepStrictEqual(groupStates(lws, sts, pods, workers, CUR), want);
  });
}

test('groupStates: no leader StatefulSet, no states', () => {
  const lws = makeLws();
  assert.deepStrictEqual(groupStates(lws, undefined, [makeLeaderPod(lws, 0, { revision: CUR })], [], CUR), []);
});

test('parseGroupIndex: Go strconv.Atoi of the group-index label (fast path for plain digits)', () => {
  const at = (value?: string) =>
    parseGroupIndex({ metadata: { name: 'p', labels: value === undefined ? {} : { [GROUP_INDEX_LABEL]: value } } });
  const cases: Array<[string | undefined, number | undefined]> = [
    ['0', 0],
    ['12', 12],
    ['499', 499],
    ['007', 7],
    ['+3', 3],
    ['-1', -1],
    ['999999999999999', 999999999999999],
    ['9007199254740991', 9007199254740991],
    ['9007199254740993', undefined],
    ['', undefined],
    [undefined, undefined],
    ['a', undefined],
    ['1a', undefined],
    [' 1', undefined],
    ['1.5', undefined],
  ];
  for (const [value, want] of cases) assert.equal(at(value), want, JSON.stringify(value));
});
