import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './rate-limiter.ts';
import { TokenBucket } from '../client/token-bucket.ts';

test('per-item exponential: base·2^n capped at max, per item, reset by forget', () => {
  const l = new ItemExponentialFailureRateLimiter<string>(5, 1000_000);
  assert.deepEqual(
    Array.from({ length: 5 }, () => l.when('a')),
    [5, 10, 20, 40, 80],
  );
  assert.equal(l.when('b'), 5);
  assert.equal(l.numRequeues('a'), 5);
  for (let i = 0; i < 2000; i++) l.when('a');
  assert.equal(l.when('a'), 1000_000, 'capped, even past 2^1023');
  l.forget('a');
  assert.equal(l.numRequeues('a'), 0);
  assert.equal(l.when('a'), 5);
});

test('bucket limiter: burst free, then 1/qps apart', () => {
  let now = 0;
  const l = new BucketRateLimiter<string>(new TokenBucket(10, 100, () => now));
  for (let i = 0; i < 100; i++) assert.equal(l.when(`k${i}`), 0);
  assert.equal(Math.round(l.when('x')), 100);
  assert.equal(Math.round(l.when('y')), 200);
  now = 1000;
  assert.equal(l.numRequeues('x'), 0);
});

test('max-of takes the longest delay and forwards forget', () => {
  const a = new ItemExponentialFailureRateLimiter<string>(1, 100);
  const b = new ItemExponentialFailureRateLimiter<string>(10, 100);
  const m = new MaxOfRateLimiter(a, b);
  assert.equal(m.when('k'), 10);
  assert.equal(m.when('k'), 20);
  assert.equal(m.numRequeues('k'), 2);
  m.forget('k');
  assert.equal(a.numRequeues('k'), 0);
  assert.equal(b.numRequeues('k'), 0);
});

test('the default controller limiter: 5 ms per item, and the overall bucket after 100 retries', () => {
  const now = 0;
  const l = defaultControllerRateLimiter<string>(() => now);
  assert.equal(l.when('a'), 5);
  assert.equal(l.when('a'), 10);
  for (let i = 0; i < 98; i++) l.when(`other${i}`);
  // The bucket is now empty: the next fresh item waits for a token (100 ms at 10 qps), not 5 ms.
  assert.equal(Math.round(l.when('fresh')), 100);
});
