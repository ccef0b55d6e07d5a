import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaledMaxSurge, scaledMaxUnavailable } from './lws-spec.ts';

test('maxUnavailable rounds down, maxSurge rounds up and is capped at replicas', () => {
  assert.equal(scaledMaxUnavailable('50%', 3), 1);
  assert.equal(scaledMaxSurge('50%', 3), 2);
  assert.equal(scaledMaxSurge(4, 2), 2);
  assert.equal(scaledMaxSurge('200%', 2), 2);
  assert.equal(scaledMaxSurge(1, 0), 0);
});
