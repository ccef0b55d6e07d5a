import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GROUP_INDEX_LABEL, REVISION_KEY_LABEL, SET_NAME_LABEL } from '../../lws/api/keys.ts';
import { revisionKey } from '../../lws/core/revision.ts';
import { defaultLws } from '../testing/lws-builder.ts';
import {
  brokenInvariants,
  budgetExceeded,
  groupsUnderPartition,
  seededRandom,
  type NamespaceState,
  type Owned,
} from './invariants.ts';

function converged(): NamespaceState {
  const lws = defaultLws('ns', 's');
  lws.metadata.uid = 'lws-uid';
  lws.status = {
    replicas: 2,
    readyReplicas: 2,
    updatedReplicas: 2,
    conditions: [{ type: 'Available', status: 'True' }],
  } as never;
  const key = revisionKey(lws);
  const labels = (g?: number) => ({
    [SET_NAME_LABEL]: 's',
    [REVISION_KEY_LABEL]: key,
    ...(g === undefined ? {} : { [GROUP_INDEX_LABEL]: String(g) }),
  });
  const owned = (name: string, kind: string, uid: string, g?: number): Owned => ({
    metadata: {
      name,
      uid: `${name}-uid`,
      labels: labels(g),
      ownerReferences: [{ kind, uid, name: '', controller: true }],
    },
  });
  return {
    sets: [lws],
    statefulSets: [
      owned('s', 'LeaderWorkerSet', 'lws-uid'),
      owned('s-0', 'Pod', 's-0-uid'),
      owned('s-1', 'Pod', 's-1-uid'),
    ],
    pods: [
      owned('s-0', 'StatefulSet', 's-uid', 0),
      owned('s-1', 'StatefulSet', 's-uid', 1),
      owned('s-0-1', 'StatefulSet', 's-0-uid', 0),
      owned('s-1-1', 'StatefulSet', 's-1-uid', 1),
    ],
    services: [owned('s', 'LeaderWorkerSet', 'lws-uid')],
    revisions: [owned('s-abc', 'LeaderWorkerSet', 'lws-uid')],
  };
}

test('a converged namespace breaks nothing; each kind of damage is named', () => {
  assert.deepEqual(brokenInvariants(converged()), []);
  const cases: Array<[string, (s: NamespaceState) => void, RegExp]> = [
    ['a missing worker pod', (s) => s.pods.pop(), /s: pods s-0,s-0-1,s-1 ≠/],
    [
      'a duplicate revision',
      (s) => s.revisions.push({ ...s.revisions[0]!, metadata: { ...s.revisions[0]!.metadata, name: 's-def' } }),
      /duplicate ControllerRevisions/,
    ],
    [
      'an extra Service',
      (s) => s.services.push({ metadata: { ...s.services[0]!.metadata, name: 's-extra' } }),
      /Services s,s-extra ≠ s/,
    ],
    ['not Available', (s) => (s.sets[0]!.status!.conditions![0]!.status = 'False'), /Available is False/],
    ['a set deleted, its objects left', (s) => (s.sets = []), /orphaned StatefulSet s \(LeaderWorkerSet s is gone\)/],
    [
      'a pod on an old revision',
      (s) => (s.pods[0]!.metadata.labels![REVISION_KEY_LABEL] = 'old'),
      /pod s-0 runs revision old/,
    ],
  ];
  for (const [name, damage, message] of cases) {
    const state = converged();
    damage(state);
    assert.match(brokenInvariants(state).join('\n'), message, name);
  }
});

test('a partition holding groups back keeps surge groups, as upstream computes them', () => {
  const lws = (maxSurge: number, maxUnavailable: number) => {
    const l = defaultLws('ns', 's');
    l.spec.rolloutStrategy!.rollingUpdateConfiguration = { partition: 2, maxSurge, maxUnavailable };
    return l;
  };
  assert.equal(groupsUnderPartition(lws(1, 1), 3, 2), 4, 'two held back > maxSurge 1: the surge group stays');
  assert.equal(groupsUnderPartition(lws(0, 1), 3, 2), 3);
  assert.equal(groupsUnderPartition(lws(2, 1), 3, 2), 4, 'two held back ≤ maxSurge 2: 2 − maxUnavailable 1 surge');
  assert.equal(groupsUnderPartition(lws(3, 2), 3, 2), 3);
});

test('the rollout budget counts surge groups standing in for unavailable ones', () => {
  const sample = (groups: Array<[number, boolean]>) => ({
    at: 0,
    groups: groups.map(([index, available]) => ({ index, available, revisions: [] })),
  });
  assert.equal(
    budgetExceeded(
      sample([
        [0, false],
        [1, true],
        [2, true],
      ]),
      3,
      1,
    ),
    undefined,
  );
  assert.match(
    budgetExceeded(
      sample([
        [0, false],
        [1, false],
        [2, true],
      ]),
      3,
      1,
    )!,
    /2 of 3 groups unavailable/,
  );
  assert.equal(
    budgetExceeded(
      sample([
        [0, false],
        [1, false],
        [2, true],
        [3, true],
      ]),
      3,
      1,
    ),
    undefined,
  );
});

test('the same seed gives the same sequence', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const xs = Array.from({ length: 5 }, () => a());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});
