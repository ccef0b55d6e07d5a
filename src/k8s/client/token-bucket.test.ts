import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.ts';

function fakeClock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('a full bucket serves `burst` requests at once, then one per 1/qps', () => {
  const clock = fakeClock();
  const b = new TokenBucket(10, 3, clock.now);
  assert.deepEqual([b.reserve(), b.reserve(), b.reserve()], [0, 0, 0]);
  assert.equal(Math.round(b.reserve()), 100);
  assert.equal(Math.round(b.reserve()), 200); // reservations queue up
  clock.advance(200);
  assert.equal(b.reserve() > 0, true);
});

test('tokens refill with time but never above burst', () => {
  const clock = fakeClock();
  const b = new TokenBucket(2, 2, clock.now);
  assert.ok(b.tryTake());
  assert.ok(b.tryTake());
  assert.ok(!b.tryTake());
  clock.advance(500);
  assert.ok(b.tryTake());
  clock.advance(60_000);
  assert.equal(b.tokens, 2);
});

test('refund returns an unused reservation', () => {
  const clock = fakeClock();
  const b = new TokenBucket(1, 1, clock.now);
  b.reserve();
  assert.equal(b.reserve(), 1000);
  b.refund();
  assert.equal(b.reserve(), 1000);
});

test('qps ≤ 0 or Infinity means unlimited', () => {
  for (const qps of [0, -1, Infinity]) {
    const b = new TokenBucket(qps, 0);
    for (let i = 0; i < 1000; i++) assert.equal(b.reserve(), 0);
    assert.ok(b.tryTake());
  }
  assert.throws(() => new TokenBucket(5, 0), RangeError);
});

test('take waits for its token and gives it back when aborted', async () => {
  const b = new TokenBucket(100, 1);
  await b.take();
  const started = performance.now();
  await b.take(); // ~10 ms
  assert.ok(performance.now() - started >= 5);

  const slow = new TokenBucket(0.001, 1);
  await slow.take();
  const ac = new AbortController();
  const waiting = slow.take(ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(waiting, /stop/);
  assert.ok(slow.tokens > -1, 'the aborted reservation was refunded');
});
