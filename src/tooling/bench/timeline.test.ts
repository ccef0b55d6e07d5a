import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSteps, stepsOf, type TimelineEvent } from './timeline.ts';

const ev = (t: number, kind: TimelineEvent['kind'], name: string, ready = false, type = 'MODIFIED'): TimelineEvent => ({
  t,
  kind,
  type,
  name,
  ready,
});

test('stepsOf takes each set apart from created to Available, and ignores other sets and deletions', () => {
  const events: TimelineEvent[] = [
    ev(0, 'lws', 'a', false, 'ADDED'),
    ev(5, 'lws', 'a-b', false, 'ADDED'), // another set whose name extends "a": never Available, left out
    ev(10, 'sts', 'a', false, 'ADDED'),
    ev(12, 'sts', 'a-b', false, 'ADDED'),
    ev(30, 'pod', 'a-0', false, 'ADDED'),
    ev(40, 'sts', 'a-0', false, 'ADDED'),
    ev(45, 'pod', 'a-b-0', false, 'ADDED'),
    ev(60, 'pod', 'a-0-1', false, 'ADDED'),
    ev(70, 'pod', 'a-0', true),
    ev(80, 'pod', 'a-0-1', true),
    ev(85, 'sts', 'a', true),
    ev(90, 'sts', 'a-0', true),
    ev(95, 'pod', 'a-0-1', false, 'DELETED'),
    ev(120, 'lws', 'a', true),
    ev(130, 'lws', 'a', true), // later updates do not move the first time
  ];
  const steps = stepsOf(events);
  const medians = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, v.medianMs]));
  assert.deepEqual(medians, {
    'LWS → leader StatefulSet': 10,
    'leader StatefulSet → leader pods': 20,
    'leader pods → worker StatefulSets': 10,
    'worker StatefulSets → worker pods': 20,
    'pods created → all Ready': 20,
    'pods Ready → StatefulSets Ready': 10,
    'StatefulSets Ready → Available': 30,
    total: 120,
  });
  assert.equal(steps.total.sets, 1);
  assert.match(
    formatSteps(steps),
    /^LWS → leader StatefulSet 10\/10, .* total 120\/120 \(ms, median\/max over sets\)$/,
  );
});

test('stepsOf: median and max over several sets; no Available set gives NaN', () => {
  const set = (name: string, offset: number, availableAfter: number): TimelineEvent[] => [
    ev(offset, 'lws', name, false, 'ADDED'),
    ev(offset + availableAfter, 'lws', name, true),
  ];
  const steps = stepsOf([...set('x', 0, 100), ...set('y', 0, 300), ...set('z', 50, 200)]);
  assert.deepEqual([steps.total.medianMs, steps.total.maxMs, steps.total.sets], [200, 300, 3]);
  assert.ok(Number.isNaN(stepsOf([ev(0, 'lws', 'x', false, 'ADDED')]).total.medianMs));
});
