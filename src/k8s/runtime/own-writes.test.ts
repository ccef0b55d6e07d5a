import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../client/objects.ts';
import { OwnWrites } from './own-writes.ts';

const obj = (rv: string, ready = 0): KubeObject & { status: { ready: number } } => ({
  metadata: { name: 'a', namespace: 'ns', resourceVersion: rv },
  status: { ready },
});

test('OwnWrites: the answer stands in for exactly the version it replaced, until the cache moves on', () => {
  const writes = new OwnWrites<ReturnType<typeof obj>>();
  assert.equal(writes.view('ns/a', obj('1'))?.metadata.resourceVersion, '1', 'nothing written: the cache');

  writes.remember('ns/a', obj('1', 2), obj('2', 2));
  assert.deepEqual(writes.view('ns/a', obj('1')), obj('2', 2), 'cache still at the replaced version: our answer');
  assert.deepEqual(writes.view('ns/a', obj('1')), obj('2', 2), 'asked again before the echo: still our answer');

  assert.deepEqual(writes.view('ns/a', obj('2', 2)), obj('2', 2), 'the echo arrived: the cache');
  assert.equal(writes.size, 0, 'and the memo is gone');
  assert.deepEqual(writes.view('ns/a', obj('1')), obj('1'), 'no memo: whatever the cache says');
});

test('OwnWrites: a newer change by someone else wins over our answer', () => {
  const writes = new OwnWrites<ReturnType<typeof obj>>();
  writes.remember('ns/a', obj('1'), obj('2', 1));
  assert.deepEqual(writes.view('ns/a', obj('3', 9)), obj('3', 9));
  assert.equal(writes.size, 0);
});

test('OwnWrites: deleted objects, forgotten keys and answers without a new version', () => {
  const writes = new OwnWrites<ReturnType<typeof obj>>();
  writes.remember('ns/a', obj('1'), obj('2'));
  assert.equal(writes.view('ns/a', undefined), undefined, 'gone from the cache: gone');
  assert.equal(writes.size, 0);

  writes.remember('ns/a', obj('1'), obj('2'));
  writes.forget('ns/a');
  assert.deepEqual(writes.view('ns/a', obj('1')), obj('1'));

  writes.remember('ns/a', obj('1'), obj('1'));
  writes.remember('ns/a', { metadata: { name: 'a' }, status: { ready: 0 } }, obj('2'));
  assert.equal(writes.size, 0, 'no-op answers and writes without a resourceVersion are not remembered');
});
