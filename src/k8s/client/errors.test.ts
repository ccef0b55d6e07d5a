import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AlreadyExistsError,
  ApiError,
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidError,
  NotFoundError,
  TimeoutError,
  TooManyRequestsError,
  errorFromResponse,
  errorFromStatus,
  ignoreNotFound,
  orUndefinedIfNotFound,
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
} from './errors.ts';

const status = (code: number, reason: string, extra: object = {}) =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message: `m ${reason}`,
    ...extra,
  });

test('Status reasons map to error classes', () => {
  const cases: Array<[number, string, new (...a: never[]) => ApiError]> = [
    [404, 'NotFound', NotFoundError],
    [409, 'Conflict', ConflictError],
    [409, 'AlreadyExists', AlreadyExistsError],
    [410, 'Expired', GoneError],
    [410, 'Gone', GoneError],
    [422, 'Invalid', InvalidError],
    [403, 'Forbidden', ForbiddenError],
    [429, 'TooManyRequests', TooManyRequestsError],
    [504, 'Timeout', TimeoutError],
    [500, 'ServerTimeout', TimeoutError],
  ];
  for (const [code, reason, Class] of cases) {
    const e = errorFromResponse(code, status(code, reason));
    assert.ok(e instanceof Class, `${reason} → ${Class.name}, got ${e.name}`);
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    assert.equal(e.message, `m ${reason}`);
    assert.equal(e.name, Class.name);
  }
});

test('409 is told apart by reason: AlreadyExists is not a Conflict', () => {
  const exists = errorFromResponse(409, status(409, 'AlreadyExists'));
  assert.ok(isAlreadyExists(exists));
  assert.ok(!isConflict(exists));
  assert.ok(isConflict(errorFromResponse(409, status(409, 'Conflict'))));
});

test('the HTTP code decides when the body is not a Status', () => {
  const e = errorFromResponse(404, '404 page not found');
  assert.ok(isNotFound(e));
  assert.equal(e.reason, 'NotFound');
  assert.match(e.message, /HTTP 404: 404 page not found/);
  const odd = errorFromResponse(418, '');
  assert.equal(odd.constructor, ApiError);
  assert.equal(odd.reason, 'Unknown');
});

test('details, causes and Retry-After are kept', () => {
  const e = errorFromResponse(
    422,
    status(422, 'Invalid', {
      details: {
        name: 'x',
        kind: 'pods',
        causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name', message: 'bad' }],
      },
    }),
  );
  assert.deepEqual(e.causes, [{ reason: 'FieldValueInvalid', field: 'metadata.name', message: 'bad' }]);
  assert.equal(e.details?.name, 'x');
  const limited = errorFromResponse(429, status(429, 'TooManyRequests'), '3');
  assert.equal(limited.retryAfterSeconds, 3);
  const fromDetails = errorFromResponse(429, status(429, 'TooManyRequests', { details: { retryAfterSeconds: 2 } }));
  assert.equal(fromDetails.retryAfterSeconds, 2);
});

test('a watch ERROR Status becomes a GoneError', () => {
  const e = errorFromStatus({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
  assert.ok(isGone(e));
  assert.ok(e instanceof ApiError && e instanceof Error);
});

test('ignoreNotFound and orUndefinedIfNotFound swallow only NotFound', async () => {
  const notFound = errorFromStatus({ code: 404, reason: 'NotFound', message: 'gone' } as never);
  const conflict = errorFromStatus({ code: 409, reason: 'Conflict', message: 'busy' } as never);
  assert.doesNotThrow(() => ignoreNotFound(notFound));
  assert.throws(() => ignoreNotFound(conflict), /busy/);
  assert.equal(await orUndefinedIfNotFound(Promise.reject(notFound)), undefined);
  assert.equal(await orUndefinedIfNotFound(Promise.resolve(7)), 7);
  await assert.rejects(orUndefinedIfNotFound(Promise.reject(conflict)), /busy/);
});
