import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupState } from './group-states.ts';
import {
  readyUpdatedTail,
  rollingUpdateParameters,
  rollingUpdatePartition,
  rollingUpdateReplicas,
  unreadyDesiredGroups,
  wantReplicas,
} from './rollout.ts';
import { makeLeaderSts, makeLws, type LwsOptions } from '../../tooling/testing/lws-core-fixtures.ts';

/** One char per group: R ready+updated, r ready+old, u unready+updated, x unready+old. */
function states(spec: string): GroupState[] {
  return [...spec].map((ch) => ({ ready: ch === 'R' || ch === 'r', updated: ch === 'R' || ch === 'u' }));
}

// Upstream TestCalculateRollingUpdateReplicas: [name, replicas, maxSurge, maxUnavailable, unready, want].
const replicaRows: [string, number, number, number, number, number][] = [
  ['keeps surge until maxUnavailable covers the unready desired groups', 1, 1, 0, 1, 2],
  ['reclaims surge gradually once enough desired groups are ready', 4, 2, 1, 2, 5],
  ['reclaims surge before the partition reaches zero when the budget permits', 2, 2, 1, 2, 3],
  ['back to desired replicas when all are ready', 1, 1, 0, 0, 1],
  ['reclaims surge when maxUnavailable permits an unready desired group', 1, 1, 1, 1, 1],
  ['no surge when maxSurge is zero', 3, 0, 0, 1, 3],
  ['full surge while more groups are unready than maxSurge', 4, 1, 0, 3, 5],
];
for (const [name, replicas, surge, unavailable, unready, want] of replicaRows) {
  test(`rollingUpdateReplicas: ${name}`, () =>
    assert.equal(rollingUpdateReplicas(replicas, surge, unavailable, unready), want));
}

// [name, lws options, current StatefulSet replicas, unready, replicas, notes]
const wantRows: [string, LwsOptions, number, number, number, string[]][] = [
  ['no surge configured', { replicas: 4 }, 4, 2, 4, []],
  ['surge kept while groups are unready', { replicas: 4, maxSurge: 2 }, 6, 3, 6, []],
  ['one surge group removed', { replicas: 4, maxSurge: 2 }, 6, 2, 5, ['deleting surge replica test-sample-5']],
  [
    'two surge groups removed',
    { replicas: 4, maxSurge: 2 },
    6,
    0,
    4,
    ['deleting surge replicas from test-sample-4 to test-sample-5'],
  ],
  ['surge added', { replicas: 4, maxSurge: '50%' }, 4, 4, 6, []],
  [
    'scale-down mid-rollout removes plain groups too',
    { replicas: 3 },
    6,
    3,
    3,
    ['deleting surge replicas from test-sample-3 to test-sample-5'],
  ],
];
for (const [name, options, stsReplicas, unready, replicas, notes] of wantRows) {
  test(`wantReplicas: ${name}`, () => {
    const got = wantReplicas(makeLws(options), stsReplicas, unready);
    assert.deepStrictEqual({ replicas: got.replicas, notes: got.events.map((e) => e.note) }, { replicas, notes });
  });
}

test('unreadyDesiredGroups and readyUpdatedTail', () => {
  assert.equal(unreadyDesiredGroups(states('RrRu'), 4), 2);
  assert.equal(unreadyDesiredGroups(states('RR'), 4), 2); // missing states count as unready
  assert.equal(unreadyDesiredGroups(states('RRxx'), 2), 0); // surge groups do not count
  assert.equal(readyUpdatedTail(states('rrRR')), 2);
  assert.equal(readyUpdatedTail(states('RRRu')), 0);
  assert.equal(readyUpdatedTail(states('')), 0);
});

// [name, states, rollingStep, current partition, want]
const partitionRows: [string, string, number, number, number][] = [
  ['start of a rollout, step 1', 'rrrr', 1, 4, 3],
  ['top group done, step 1', 'rrrR', 1, 3, 2],
  ['top group updated but not ready: hold', 'rrru', 1, 3, 3],
  ['step 2 from the top', 'rrrr', 2, 4, 2],
  ['step larger than the set', 'rrrr', 10, 4, 0],
  ['an unready group below the step keeps one more old group', 'rxrr', 2, 4, 3],
  ['no ready groups: roll the unready ones for free', 'xx', 1, 2, 1],
  ['never moves up', 'rrrr', 1, 2, 2],
  ['an updated but unready group at the floor of the window holds the step', 'rrRu', 1, 4, 3],
  ['an unready group below the window holds the partition', 'rxrR', 1, 3, 3],
  ['updated groups above the floor are rolled over for free', 'xruu', 2, 4, 2],
  ['all updated and ready', 'RRRR', 1, 1, 0],
  ['empty', '', 1, 0, 0],
];
for (const [name, spec, step, current, want] of partitionRows) {
  test(`rollingUpdatePartition: ${name}`, () => {
    const s = states(spec);
    assert.equal(rollingUpdatePartition(s, s.length, step, current), want);
  });
}

interface StsShape {
  replicas: number;
  partition: number;
  recordedReplicas?: number;
}
// [name, lws options, leader STS (or none), states, lwsUpdated, partition, replicas, event notes]
const paramRows: [string, LwsOptions, StsShape | null, string, boolean, number, number, string[]][] = [
  ['no leader StatefulSet yet', { replicas: 3 }, null, '', false, 0, 3, []],
  ['no leader StatefulSet, spec partition', { replicas: 3, partition: 2 }, null, '', false, 2, 3, []],
  ['steady state', { replicas: 4 }, { replicas: 4, partition: 0 }, 'RRRR', false, 0, 4, []],
  // Upstream TestRollingUpdateParametersScaleUpDoesNotCreateExtraSurge.
  [
    'scale up outside a rollout',
    { replicas: 3, maxUnavailable: 0, maxSurge: 1 },
    { replicas: 2, partition: 0, recordedReplicas: 2 },
    'RR',
    false,
    0,
    3,
    [],
  ],
  // Upstream TestRollingUpdateParametersScaleUpWithTemplateUpdateDoesNotCreateExtraSurge.
  [
    'template and scale up together: scale first',
    { replicas: 3, maxUnavailable: 0, maxSurge: 1 },
    { replicas: 2, partition: 0, recordedReplicas: 2 },
    'rr',
    true,
    2,
    3,
    [],
  ],
  // Upstream TestRollingUpdateParametersTemplateUpdateReclaimsSurgeWhenAllowed.
  [
    'template update with surge 2, maxUnavailable 1',
    { replicas: 2, maxUnavailable: 1, maxSurge: 2 },
    { replicas: 2, partition: 0 },
    'rr',
    true,
    2,
    3,
    [],
  ],
  // §4.3 worked examples.
  ['R=4 defaults: update detected', { replicas: 4 }, { replicas: 4, partition: 0 }, 'rrrr', true, 4, 4, []],
  ['R=4 defaults: next pass', { replicas: 4 }, { replicas: 4, partition: 4 }, 'rrrr', false, 3, 4, []],
  ['R=4 defaults: group 3 done', { replicas: 4 }, { replicas: 4, partition: 3 }, 'rrrR', false, 2, 4, []],
  ['R=4 defaults: last group done', { replicas: 4 }, { replicas: 4, partition: 1 }, 'RRRR', false, 0, 4, []],
  [
    'R=4 surge 1 unav 1: update detected',
    { replicas: 4, maxSurge: 1 },
    { replicas: 4, partition: 0 },
    'rrrr',
    true,
    4,
    5,
    [],
  ],
  [
    'R=4 surge 1 unav 1: first step',
    { replicas: 4, maxSurge: 1 },
    { replicas: 5, partition: 4 },
    'rrrrx',
    false,
    3,
    5,
    [],
  ],
  [
    'R=4 surge 1 unav 0: update detected',
    { replicas: 4, maxSurge: 1, maxUnavailable: 0 },
    { replicas: 4, partition: 0 },
    'rrrr',
    true,
    4,
    5,
    [],
  ],
  [
    'R=4 surge 1 unav 0: surge group not ready yet',
    { replicas: 4, maxSurge: 1, maxUnavailable: 0 },
    { replicas: 5, partition: 4 },
    'rrrru',
    false,
    4,
    5,
    [],
  ],
  [
    'R=4 surge 1 unav 0: surge group ready',
    { replicas: 4, maxSurge: 1, maxUnavailable: 0 },
    { replicas: 5, partition: 4 },
    'rrrrR',
    false,
    3,
    5,
    [],
  ],
  [
    'R=4 surge 4 unav 1: update detected',
    { replicas: 4, maxSurge: 4 },
    { replicas: 4, partition: 0 },
    'rrrr',
    true,
    4,
    7,
    [],
  ],
  [
    'R=6 spec partition 4: update detected',
    { replicas: 6, partition: 4 },
    { replicas: 6, partition: 4 },
    'rrrrrr',
    true,
    6,
    6,
    [],
  ],
  [
    'R=6 spec partition 4: stops at 4',
    { replicas: 6, partition: 4 },
    { replicas: 6, partition: 5 },
    'rrrrrR',
    false,
    4,
    6,
    [],
  ],
  [
    'R=6 spec partition 4: holds at 4',
    { replicas: 6, partition: 4 },
    { replicas: 6, partition: 4 },
    'rrrrRR',
    false,
    4,
    6,
    [],
  ],
  // Surge reclaimed.
  [
    'surge 1: all desired groups done',
    { replicas: 4, maxSurge: 1 },
    { replicas: 5, partition: 0 },
    'RRRRR',
    false,
    0,
    4,
    ['deleting surge replica test-sample-4'],
  ],
  [
    'surge 2: all desired groups done',
    { replicas: 4, maxSurge: 2 },
    { replicas: 6, partition: 0 },
    'RRRRRR',
    false,
    0,
    4,
    ['deleting surge replicas from test-sample-4 to test-sample-5'],
  ],
  [
    'surge 2: one desired group left, budget 1',
    { replicas: 4, maxSurge: 2 },
    { replicas: 6, partition: 0 },
    'uRRRRR',
    false,
    0,
    4,
    ['deleting surge replicas from test-sample-4 to test-sample-5'],
  ],
  // Replicas changed mid-rollout.
  [
    'replicas lowered mid-rollout: partition capped at burst',
    { replicas: 3 },
    { replicas: 6, partition: 5, recordedReplicas: 6 },
    'rrrrrr',
    false,
    3,
    3,
    ['deleting surge replicas from test-sample-3 to test-sample-5'],
  ],
  [
    'replicas raised mid-rollout: partition held',
    { replicas: 6 },
    { replicas: 4, partition: 2, recordedReplicas: 4 },
    'rrRR',
    false,
    2,
    6,
    [],
  ],
  [
    'replicas raised and created, annotation already current',
    { replicas: 6 },
    { replicas: 6, partition: 2, recordedReplicas: 6 },
    'rrRRRR',
    false,
    1,
    6,
    [],
  ],
];
for (const [name, options, sts, spec, lwsUpdated, partition, replicas, notes] of paramRows) {
  test(`rollingUpdateParameters: ${name}`, () => {
    const lws = makeLws(options);
    const leaderSts = sts ? makeLeaderSts(lws, { revision: 'cur', ...sts }) : undefined;
    const got = rollingUpdateParameters(lws, leaderSts, states(spec), lwsUpdated);
    assert.deepStrictEqual(
      { partition: got.partition, replicas: got.replicas, notes: got.events.map((e) => e.note) },
      { partition, replicas, notes },
    );
  });
}

test('rollingUpdateParameters: surge deletion events are GroupsProgressing/Delete', () => {
  const lws = makeLws({ replicas: 4, maxSurge: 1 });
  const sts = makeLeaderSts(lws, { replicas: 5, partition: 0, revision: 'cur' });
  assert.deepStrictEqual(rollingUpdateParameters(lws, sts, states('RRRRR'), false).events, [
    { type: 'Normal', reason: 'GroupsProgressing', action: 'Delete', note: 'deleting surge replica test-sample-4' },
  ]);
});

test('rollingUpdateParameters: a leader StatefulSet without the replicas annotation fails mid-rollout', () => {
  const lws = makeLws({ replicas: 2 });
  const sts = makeLeaderSts(lws, { replicas: 2, partition: 2, revision: 'cur' });
  delete sts.metadata.annotations;
  assert.throws(() => rollingUpdateParameters(lws, sts, states('rr'), false), {
    message: 'strconv.Atoi: parsing "": invalid syntax',
  });
});

test('rollingUpdateParameters: an invalid maxSurge fails the pass', () => {
  const lws = makeLws({ replicas: 2, maxSurge: 'abc' });
  const sts = makeLeaderSts(lws, { replicas: 2, partition: 0, revision: 'cur' });
  assert.throws(() => rollingUpdateParameters(lws, sts, states('rr'), true), /string is not a percentage/);
});
