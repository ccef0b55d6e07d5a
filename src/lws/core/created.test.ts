import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATE_PATIENCE_MS, createPendingMs } from './created.ts';

test('createPendingMs: wait only for our own recent create for the same owner', () => {
  const record = { ownerUid: 'pod-a', basedOn: '', at: 1_000 };
  const cases: Array<[string, Parameters<typeof createPendingMs>, number]> = [
    ['no record: create', [undefined, 'pod-a', 1_000], 0],
    ['just created: wait the whole patience', [record, 'pod-a', 1_000], CREATE_PATIENCE_MS],
    ['part of the patience gone', [record, 'pod-a', 1_400.5], CREATE_PATIENCE_MS - 400],
    [
      'patience over: create again (deleted before the cache showed it)',
      [record, 'pod-a', 1_000 + CREATE_PATIENCE_MS],
      0,
    ],
    ['a recreated leader pod (new UID): create', [record, 'pod-b', 1_000], 0],
    [
      'no UID on either side still matches',
      [{ ownerUid: undefined, basedOn: '', at: 0 }, undefined, 10],
      CREATE_PATIENCE_MS - 10,
    ],
  ];
  for (const [name, args, want] of cases) assert.equal(createPendingMs(...args), want, name);
});
