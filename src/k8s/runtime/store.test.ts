import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BY_NAMESPACE, BY_OWNER_UID, Store, labelIndex, objectKey } from './store.ts';
import type { KubeObject } from '../client/objects.ts';

const obj = (namespace: string | undefined, name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  metadata: { namespace, name, resourceVersion: '1', ...extra },
});

test('keys are namespace/name, or name when cluster-scoped', () => {
  assert.equal(objectKey(obj('ns', 'a')), 'ns/a');
  assert.equal(objectKey(obj(undefined, 'node1')), 'node1');
});

test('get, list by namespace, upsert returns the previous object, delete', () => {
  const s = new Store();
  assert.equal(s.upsert(obj('a', 'x')), undefined);
  s.upsert(obj('a', 'y'));
  s.upsert(obj('b', 'x'));
  const old = s.upsert(obj('a', 'x', { resourceVersion: '2' }));
  assert.equal(old?.metadata.resourceVersion, '1');
  assert.equal(s.get('a/x')?.metadata.resourceVersion, '2');
  assert.equal(s.size, 3);
  assert.deepEqual(s.list('a').map(objectKey).sort(), ['a/x', 'a/y']);
  assert.deepEqual(s.list().length, 3);
  assert.equal(s.delete('a/x')?.metadata.name, 'x');
  assert.equal(s.delete('a/x'), undefined);
  assert.deepEqual(s.list('a').map(objectKey), ['a/y']);
  assert.deepEqual(s.indexValues(BY_NAMESPACE).sort(), ['a', 'b']);
});

test('owner uid index follows updates and deletes', () => {
  const s = new Store();
  const owned = (name: string, ...uids: string[]) =>
    obj('ns', name, { ownerReferences: uids.map((uid) => ({ apiVersion: 'v1', kind: 'X', name: 'o', uid })) });
  s.upsert(owned('a', 'u1'));
  s.upsert(owned('b', 'u1', 'u2'));
  assert.deepEqual(s.byIndex(BY_OWNER_UID, 'u1').map(objectKey).sort(), ['ns/a', 'ns/b']);
  s.upsert(owned('a', 'u2')); // owner changed
  assert.deepEqual(s.byIndex(BY_OWNER_UID, 'u1').map(objectKey), ['ns/b']);
  assert.deepEqual(s.byIndex(BY_OWNER_UID, 'u2').map(objectKey).sort(), ['ns/a', 'ns/b']);
  s.delete('ns/b');
  assert.deepEqual(s.byIndex(BY_OWNER_UID, 'u1'), []);
  assert.deepEqual(s.indexValues(BY_OWNER_UID), ['u2']);
});

test('custom label index, also when added after objects exist', () => {
  const s = new Store({ byApp: labelIndex('app') });
  s.upsert(obj('n1', 'a', { labels: { app: 'web', tier: 't1' } }));
  s.upsert(obj('n2', 'b', { labels: { app: 'web', tier: 't2' } }));
  s.upsert(obj('n2', 'c'));
  assert.deepEqual(s.byIndex('byApp', 'web').map(objectKey).sort(), ['n1/a', 'n2/b']);
  s.addIndexers({ byTier: labelIndex('tier', { namespaced: true }) });
  assert.deepEqual(s.byIndex('byTier', 'n2/t2').map(objectKey), ['n2/b']);
  assert.deepEqual(s.byIndex('byTier', 't2'), []);
  assert.throws(() => s.addIndexers({ byApp: labelIndex('other') }), /already defined/);
  assert.throws(() => s.byIndex('nope', 'x'), /no index/);
});
