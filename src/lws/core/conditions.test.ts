import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from '../../k8s/client/objects.ts';
import { exclusiveConditionTypes, formatTime, makeCondition, setCondition, setConditions } from './conditions.ts';

const T0 = new Date('2026-01-01T00:00:00.123Z');
const T1 = new Date('2026-01-01T00:05:00.999Z');

// Upstream TestExclusiveConditionTypes.
const pairs: [string, string, boolean][] = [
  ['Available', 'Progressing', true],
  ['Progressing', 'Available', true],
  ['Progressing', 'Progressing', false],
  ['UpdateInProgress', 'Available', true],
  ['Available', 'UpdateInProgress', true],
  ['Progressing', 'UpdateInProgress', false],
  ['UpdateInProgress', 'Progressing', false],
];
for (const [a, b, want] of pairs) {
  test(`exclusiveConditionTypes(${a}, ${b}) = ${want}`, () => assert.equal(exclusiveConditionTypes(a, b), want));
}

test('makeCondition texts and time format', () => {
  assert.equal(formatTime(T0), '2026-01-01T00:00:00Z');
  assert.deepStrictEqual(makeCondition('Available', 3, T0), {
    type: 'Available',
    status: 'True',
    lastTransitionTime: '2026-01-01T00:00:00Z',
    observedGeneration: 3,
    reason: 'AllGroupsReady',
    message: 'All replicas are ready',
  });
  assert.equal(makeCondition('Progressing', 1, T0).reason, 'GroupsProgressing');
  assert.equal(makeCondition('Progressing', 1, T0).message, 'Replicas are progressing');
  assert.equal(makeCondition('UpdateInProgress', 1, T0).reason, 'GroupsUpdating');
  assert.equal(makeCondition('UpdateInProgress', 1, T0).message, 'Rolling Upgrade is in progress');
});

const c = (type: string, status: Condition['status'], observedGeneration?: number): Condition => {
  const out: Condition = { type, status };
  if (observedGeneration !== undefined) out.observedGeneration = observedGeneration;
  return out;
};

// Upstream TestSetCondition: [name, existing, new condition, changed].
const rows: [string, Condition[], Condition, boolean][] = [
  ['same type, different status', [c('Progressing', 'False', 1)], c('Progressing', 'True', 1), true],
  ['different type, new condition true', [c('Available', 'False', 1)], c('Progressing', 'True', 1), true],
  ['no initial condition', [], c('Progressing', 'True', 1), true],
  ['same type, same status', [c('Progressing', 'False')], c('Progressing', 'False'), false],
  ['same type and status, generation advanced', [c('Available', 'True', 1)], c('Available', 'True', 2), true],
  ['same type and status, same generation', [c('Available', 'True', 2)], c('Available', 'True', 2), false],
  ['a False condition is never added', [], c('Progressing', 'False', 1), false],
];
for (const [name, existing, wanted, changed] of rows) {
  test(`setCondition: ${name}`, () => assert.equal(setCondition(structuredClone(existing), wanted, T0), changed));
}

test('setCondition: Available flips True Progressing and UpdateInProgress to False, keeping their texts', () => {
  const conditions = [makeCondition('Progressing', 1, T0), makeCondition('UpdateInProgress', 1, T0)];
  assert.equal(setCondition(conditions, makeCondition('Available', 2, T1), T1), true);
  assert.deepStrictEqual(conditions, [
    { ...makeCondition('Progressing', 2, T1), status: 'False' },
    { ...makeCondition('UpdateInProgress', 2, T1), status: 'False' },
    makeCondition('Available', 2, T1),
  ]);
});

test('setCondition: Progressing leaves a True UpdateInProgress alone', () => {
  const conditions = [makeCondition('UpdateInProgress', 1, T0)];
  assert.equal(setCondition(conditions, makeCondition('Progressing', 1, T1), T1), true);
  assert.deepStrictEqual(conditions, [makeCondition('UpdateInProgress', 1, T0), makeCondition('Progressing', 1, T1)]);
});

test('setCondition: an unchanged condition keeps its lastTransitionTime', () => {
  const conditions = [makeCondition('Available', 1, T0)];
  assert.equal(setCondition(conditions, makeCondition('Available', 1, T1), T1), false);
  assert.equal(conditions[0]!.lastTransitionTime, '2026-01-01T00:00:00Z');
});

test('setConditions: after the first change the rest wait for the next pass', () => {
  const conditions: Condition[] = [makeCondition('Available', 1, T0)];
  const wanted = [makeCondition('UpdateInProgress', 2, T1), makeCondition('Progressing', 2, T1)];
  assert.equal(setConditions(conditions, wanted, 2, T1), true);
  assert.deepStrictEqual(
    conditions.map((x) => [x.type, x.status, x.observedGeneration]),
    [
      ['Available', 'False', 2],
      ['UpdateInProgress', 'True', 2],
    ],
  );
  // Next pass: UpdateInProgress is unchanged, so Progressing gets its turn.
  assert.equal(setConditions(conditions, wanted, 2, T1), true);
  assert.deepStrictEqual(
    conditions.map((x) => [x.type, x.status]),
    [
      ['Available', 'False'],
      ['UpdateInProgress', 'True'],
      ['Progressing', 'True'],
    ],
  );
  assert.equal(setConditions(conditions, wanted, 2, T1), false);
});

test('setConditions: observedGeneration is stamped on every condition', () => {
  const conditions: Condition[] = [
    makeCondition('Available', 1, T0),
    { ...makeCondition('Progressing', 1, T0), status: 'False' },
  ];
  assert.equal(setConditions(conditions, [makeCondition('Available', 1, T1)], 3, T1), true);
  assert.deepStrictEqual(
    conditions.map((x) => x.observedGeneration),
    [3, 3],
  );
  assert.equal(conditions[1]!.lastTransitionTime, '2026-01-01T00:00:00Z');
});
