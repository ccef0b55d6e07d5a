import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATUS_WRITE_PATIENCE_MS, cacheBehindStatusWrite, statusWriteRecord } from './status-writes.ts';

test('statusWriteRecord: kept only when the write produced a new version', () => {
  assert.deepEqual(statusWriteRecord({ uid: 'u', resourceVersion: '10' }, { resourceVersion: '11' }, 5), {
    uid: 'u',
    basedOn: '10',
    at: 5,
  });
  assert.equal(statusWriteRecord({ uid: 'u', resourceVersion: '10' }, { resourceVersion: '10' }, 5), undefined);
  assert.equal(statusWriteRecord({ uid: 'u', resourceVersion: '10' }, undefined, 5), undefined);
  assert.equal(statusWriteRecord({ resourceVersion: '10' }, { resourceVersion: '11' }, 5), undefined);
});

const last = { uid: 'u', basedOn: '10', at: 1000 };
// [name, cached, last, now, behind]
const cases: [string, { uid?: string; resourceVersion?: string }, typeof last | undefined, number, boolean][] = [
  ['no write yet', { uid: 'u', resourceVersion: '10' }, undefined, 1000, false],
  ['cache still holds the version the write replaced', { uid: 'u', resourceVersion: '10' }, last, 1100, true],
  ['cache shows our write', { uid: 'u', resourceVersion: '11' }, last, 1100, false],
  ['cache shows something newer than our write', { uid: 'u', resourceVersion: '57' }, last, 1100, false],
  ['a recreated set of the same name', { uid: 'v', resourceVersion: '10' }, last, 1100, false],
  [
    'waited long enough: write anyway',
    { uid: 'u', resourceVersion: '10' },
    last,
    1000 + STATUS_WRITE_PATIENCE_MS + 1,
    false,
  ],
];
for (const [name, cached, record, now, want] of cases) {
  test(`cacheBehindStatusWrite: ${name}`, () => assert.equal(cacheBehindStatusWrite(cached, record, now), want));
}
