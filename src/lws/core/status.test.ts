import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { makeCondition } from './conditions.ts';
import { computeStatus, countGroups, hpaPodSelector } from './status.ts';
import {
  makeLeaderPod,
  makeLeaderSts,
  makeLws,
  makeWorkerSts,
  type LwsOptions,
} from '../../tooling/testing/lws-core-fixtures.ts';

const NOW = new Date('2026-02-03T04:05:06.789Z');
const CUR = 'cur';
const OLD = 'old';

/** Group spec: [leader revision, leader ready, worker revision (null: no worker STS), worker ready]. */
type G = [string, boolean, string | null, boolean];
function world(options: LwsOptions, groups: G[]): { lws: LeaderWorkerSet; pods: Pod[]; workers: StatefulSet[] } {
  const lws = makeLws(options);
  const pods: Pod[] = [];
  const workers: StatefulSet[] = [];
  groups.forEach(([rev, ready, wrev, wready], i) => {
    pods.push(makeLeaderPod(lws, i, { revision: rev, ready }));
    if (wrev !== null) workers.push(makeWorkerSts(lws, i, { revision: wrev, ready: wready }));
  });
  return { lws, pods, workers };
}
const up = (ready = true): G => [CUR, ready, CUR, ready];
const old = (ready = true): G => [OLD, ready, OLD, ready];

test('hpaPodSelector is the leader selector, keys sorted', () => {
  assert.equal(
    hpaPodSelector(makeLws()),
    'leaderworkerset.sigs.k8s.io/name=test-sample,leaderworkerset.sigs.k8s.io/worker-index=0',
  );
});

// [name, lws options, groups, ready, updated, condition set True this pass, updateDone]
const rows: [string, LwsOptions, G[], number, number, 'Available' | 'Progressing' | 'UpdateInProgress', boolean][] = [
  ['fresh groups, nothing ready', {}, [up(false), up(false)], 0, 2, 'Progressing', false],
  ['all ready and updated', {}, [up(), up()], 2, 2, 'Available', true],
  ['one group not ready', {}, [up(), up(false)], 1, 2, 'Progressing', false],
  ['template changed, all old and ready', {}, [old(), old()], 2, 0, 'UpdateInProgress', false],
  ['leader updated but worker STS old', {}, [[CUR, true, OLD, true], up()], 2, 1, 'UpdateInProgress', false],
  ['group without worker STS is skipped entirely', {}, [[CUR, true, null, false], up()], 1, 1, 'Progressing', false],
  [
    'worker STS unready (SetStatefulsetToUnReady)',
    { replicas: 1 },
    [[CUR, true, CUR, false]],
    0,
    1,
    'Progressing',
    false,
  ],
  [
    'size 1: no worker StatefulSets needed',
    { size: 1 },
    [
      [CUR, true, null, false],
      [CUR, true, null, false],
    ],
    2,
    2,
    'Available',
    true,
  ],
  ['replicas 0 is Available', { replicas: 0 }, [], 0, 0, 'Available', true],
  [
    'surge group beyond replicas counts in totals only',
    { replicas: 2, maxSurge: 1 },
    [up(), up(), old()],
    3,
    2,
    'Available',
    true,
  ],
  ['surge group not updated does not block', { replicas: 1, maxSurge: 1 }, [up(), old(false)], 1, 1, 'Available', true],
  ['scale up: new groups not ready yet', { replicas: 3 }, [up(), up(), up(false)], 2, 3, 'Progressing', false],
  [
    'groups below the spec partition are out of scope',
    { replicas: 3, partition: 2 },
    [old(), old(), up()],
    3,
    1,
    'Available',
    false,
  ],
  [
    'in-scope group old under a partition',
    { replicas: 3, partition: 1 },
    [old(), old(), up()],
    3,
    1,
    'UpdateInProgress',
    false,
  ],
];
for (const [name, options, groups, ready, updated, condition, updateDone] of rows) {
  test(`computeStatus: ${name}`, () => {
    const { lws, pods, workers } = world(options, groups);
    const sts = makeLeaderSts(lws, { replicas: lws.spec.replicas!, partition: 0, revision: CUR });
    const result = computeStatus(lws, sts, pods, workers, CUR, NOW);
    assert.equal(result.status.readyReplicas ?? 0, ready);
    assert.equal(result.status.updatedReplicas ?? 0, updated);
    assert.equal(result.updateDone, updateDone);
    // A first pass sets exactly the first wanted condition.
    assert.deepStrictEqual(result.status.conditions, [makeCondition(condition, 1, NOW)]);
    assert.equal(result.changed, true);
    assert.equal(result.events.length, 1);
  });
}

test('computeStatus: full status of a first pass, zero values left out', () => {
  const { lws, pods, workers } = world({}, [up(false), up(false)]);
  const sts = makeLeaderSts(lws, { replicas: 2, partition: 0, revision: CUR });
  sts.status = { replicas: 2 };
  const result = computeStatus(lws, sts, pods, workers, CUR, NOW);
  assert.deepStrictEqual(result.status, {
    conditions: [makeCondition('Progressing', 1, NOW)],
    updatedReplicas: 2,
    replicas: 2,
    hpaPodSelector: 'leaderworkerset.sigs.k8s.io/name=test-sample,leaderworkerset.sigs.k8s.io/worker-index=0',
    observedGeneration: 1,
  });
  assert.deepStrictEqual(result.events, [
    {
      type: 'Normal',
      reason: 'GroupsProgressing',
      action: 'Update',
      note: 'Replicas are progressing, with 0 groups ready of total 2 groups',
    },
  ]);
});

test('computeStatus: a second identical pass changes nothing and says nothing', () => {
  const { lws, pods, workers } = world({}, [up(), up()]);
  const sts = makeLeaderSts(lws, { replicas: 2, partition: 0, revision: CUR });
  lws.status = computeStatus(lws, sts, pods, workers, CUR, NOW).status;
  const again = computeStatus(lws, sts, pods, workers, CUR, new Date('2026-02-03T05:00:00Z'));
  assert.deepStrictEqual(again.status, lws.status);
  assert.equal(again.changed, false);
  assert.deepStrictEqual(again.events, []);
});

// Upstream "Testing condition switch from progressing to available to progressing".
test('computeStatus: Progressing → Available → Progressing with the upstream event notes', () => {
  const notes: string[] = [];
  const first = world({}, [up(false), up(false)]);
  const lws = first.lws;
  let { pods, workers } = first;
  const sts = makeLeaderSts(lws, { replicas: 2, partition: 0, revision: CUR });
  const pass = () => {
    const r = computeStatus(lws, sts, pods, workers, CUR, NOW);
    lws.status = r.status;
    notes.push(...r.events.map((e) => `${e.reason}: ${e.note}`));
  };
  pass();
  ({ pods, workers } = world({}, [up(), up()]));
  pass();
  lws.spec.replicas = 3;
  lws.metadata.generation = 2;
  pass();
  assert.deepStrictEqual(notes, [
    'GroupsProgressing: Replicas are progressing, with 0 groups ready of total 2 groups',
    'AllGroupsReady: All replicas are ready, with 2 groups ready of total 2 groups',
    'GroupsProgressing: Replicas are progressing, with 2 groups ready of total 3 groups',
  ]);
  assert.deepStrictEqual(
    lws.status?.conditions?.map((c) => [c.type, c.status, c.message, c.observedGeneration]),
    [
      ['Progressing', 'True', 'Replicas are progressing', 2],
      ['Available', 'False', 'All replicas are ready', 2],
    ],
  );
});

// Upstream "resize should update the size of the replicas": the pass that sees the new revision.
test('computeStatus: update detected while all groups still ready', () => {
  const { lws, pods, workers } = world({}, [old(), old()]);
  const sts = makeLeaderSts(lws, { replicas: 2, partition: 2, revision: CUR });
  lws.status = { conditions: [makeCondition('Available', 1, NOW)] };
  lws.metadata.generation = 2;
  const r = computeStatus(lws, sts, pods, workers, CUR, NOW);
  assert.deepStrictEqual(
    r.events.map((e) => `${e.reason}: ${e.note}`),
    ['GroupsUpdating: Rolling Upgrade is in progress, with 2 groups ready of total 2 groups'],
  );
});

test('computeStatus: generation bump alone re-stamps conditions and emits the event', () => {
  const { lws, pods, workers } = world({}, [up(), up()]);
  const sts = makeLeaderSts(lws, { replicas: 2, partition: 0, revision: CUR });
  lws.status = computeStatus(lws, sts, pods, workers, CUR, NOW).status;
  lws.metadata.generation = 2;
  const r = computeStatus(lws, sts, pods, workers, CUR, NOW);
  assert.equal(r.changed, true);
  assert.equal(r.status.observedGeneration, 2);
  assert.equal(r.status.conditions?.[0]?.observedGeneration, 2);
  assert.deepStrictEqual(
    r.events.map((e) => e.note),
    ['All replicas are ready, with 2 groups ready of total 2 groups'],
  );
});

test('computeStatus: an existing hpaPodSelector is kept', () => {
  const { lws, pods, workers } = world({}, [up(), up()]);
  lws.status = { hpaPodSelector: 'custom' };
  const r = computeStatus(lws, undefined, pods, workers, CUR, NOW);
  assert.equal(r.status.hpaPodSelector, 'custom');
  assert.equal(r.status.replicas, undefined); // no leader StatefulSet read: 0
});

test('countGroups: a leader pod with an unparseable group index fails the pass', () => {
  const { lws, pods, workers } = world({}, [up()]);
  pods[0]!.metadata.labels!['leaderworkerset.sigs.k8s.io/group-index'] = 'x';
  assert.throws(() => countGroups(lws, pods, workers, CUR), { message: 'strconv.Atoi: parsing "x": invalid syntax' });
});
