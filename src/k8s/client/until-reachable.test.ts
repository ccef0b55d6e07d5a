import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError, TransportError } from './errors.ts';
import { untilReachable } from './until-reachable.ts';

test('asks again while the apiserver is unreachable, then returns the answer', async () => {
  let calls = 0;
  const retries: number[] = [];
  const answer = await untilReachable(
    async () => {
      if (++calls < 3) throw new TransportError('GET', '/apis/x', new Error('connect ECONNREFUSED'));
      return 'served';
    },
    new AbortController().signal,
    (_e, delayMs) => retries.push(delayMs),
  );
  assert.equal(answer, 'served');
  assert.deepEqual(retries, [500, 1000]);
});

test('any other error is thrown at once', async () => {
  let calls = 0;
  await assert.rejects(
    untilReachable(async () => {
      calls++;
      throw new NotFoundError(404, 'NotFound', 'not found');
    }, new AbortController().signal),
    NotFoundError,
  );
  assert.equal(calls, 1);
});

test('stops when the signal aborts', async () => {
  const ac = new AbortController();
  const pending = untilReachable(async () => {
    throw new TransportError('GET', '/', new Error('down'));
  }, ac.signal);
  setTimeout(() => ac.abort(new Error('stopping')), 50);
  await assert.rejects(pending, /stopping|aborted/);
});
