import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusWriteDelay } from './status-pacing.ts';

test('statusWriteDelay: counter-only changes are paced per LWS, everything else is written at once', () => {
  const counters = { changed: true, countersOnly: true };
  const condition = { changed: true, countersOnly: false };
  const rows: Array<[string, { changed: boolean; countersOnly: boolean }, number | undefined, number, number]> = [
    ['first write of this process', counters, undefined, 5_000, 0],
    ['counters 200 ms after the last write: wait the rest of the second', counters, 4_800, 5_000, 800],
    ['counters 999.5 ms after: rounds up, never 0 too early', counters, 4_000.5, 5_000, 1],
    ['counters exactly one interval after', counters, 4_000, 5_000, 0],
    ['counters long after', counters, 1_000, 5_000, 0],
    ['a condition changed 10 ms after the last write', condition, 4_990, 5_000, 0],
    ['nothing changed', { changed: false, countersOnly: false }, 4_990, 5_000, 0],
  ];
  for (const [name, change, last, now, expected] of rows)
    assert.equal(statusWriteDelay(change, last, now), expected, name);
  assert.equal(statusWriteDelay(counters, 4_800, 5_000, 500), 300, 'the interval is a parameter');
});
