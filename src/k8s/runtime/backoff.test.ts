import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.ts';

test('doubles up to max, with jitter, and resets after a quiet period', () => {
  let now = 0;
  const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0, resetAfterMs: 10_000, clock: () => now });
  assert.deepEqual(
    Array.from({ length: 6 }, () => b.next()),
    [100, 200, 400, 800, 1000, 1000],
  );
  now = 20_000;
  assert.equal(b.next(), 100);
  const jittered = new Backoff({ initialMs: 100, jitter: 1, random: () => 0.5 });
  assert.equal(jittered.next(), 150);
  b.reset();
  assert.equal(b.next(), 100);
});
