import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { Informer, stripManagedFields, type EventHandler } from './informer.ts';
import { FakeListerWatcher } from '../../tooling/testing/fake-lister-watcher.ts';
import { Backoff } from './backoff.ts';
import { labelIndex, BY_OWNER_UID } from './store.ts';
import { GoneError, ForbiddenError } from '../client/errors.ts';
import type { KubeObject } from '../client/objects.ts';

const obj = (name: string, rv: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { namespace: 'ns', name, resourceVersion: rv, uid: `uid-${name}`, labels },
});
const gone = () => new GoneError(410, 'Expired', 'too old resource version');

/** Polls until `check` passes (real timers; the fake source reacts within a few event-loop turns). */
async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (e) {
      if (performance.now() > deadline) throw e;
      await tick();
    }
  }
}

function recorder() {
  const log: string[] = [];
  const handler: EventHandler<KubeObject> = {
    onAdd: (o, initial) =>
      log.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}${initial ? ' (initial)' : ''}`),
    onUpdate: (a, b) =>
      log.push(`update ${b.metadata.name} ${a.metadata.resourceVersion}→${b.metadata.resourceVersion}`),
    onDelete: (o, info) =>
      log.push(`delete ${o.metadata.name}${info.finalStateUnknown ? ' (final state unknown)' : ''}`),
  };
  return { log, handler };
}

function start(
  t: TestContext,
  lw: FakeListerWatcher<KubeObject>,
  options: ConstructorParameters<typeof Informer<KubeObject>>[1] = {},
) {
  const informer = new Informer<KubeObject>(lw, {
    ...options,
    reflector: { backoff: new Backoff({ initialMs: 1, maxMs: 2, jitter: 0 }), pageSize: 2, ...options.reflector },
  });
  const { log, handler } = recorder();
  informer.addEventHandler(handler);
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  t.after(async () => {
    ac.abort();
    await run;
  });
  return { informer, log, stop: () => ac.abort(), run };
}

test('paged initial list fills the cache, then syncs', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  lw.items = [obj('a', '1'), obj('b', '2'), obj('c', '3')];
  lw.resourceVersion = '10';
  const { informer, log } = start(t, lw);
  assert.equal(informer.hasSynced(), false);
  assert.equal(await informer.waitForSync(), true);
  assert.deepEqual(lw.listCalls, [
    { limit: 2, continue: undefined },
    { limit: 2, continue: '2' },
  ]);
  assert.deepEqual(log, ['add a@1 (initial)', 'add b@2 (initial)', 'add c@3 (initial)']);
  assert.equal(informer.get('ns', 'b')?.metadata.resourceVersion, '2');
  assert.equal(informer.list('ns').length, 3);
  assert.equal(informer.list('other').length, 0);
  assert.equal(informer.lastSyncResourceVersion, '10');
  const stream = await lw.stream(0);
  assert.equal(stream.request.resourceVersion, '10');
  assert.equal(stream.request.allowWatchBookmarks, true);
  assert.ok(stream.request.timeoutSeconds >= 300 && stream.request.timeoutSeconds < 600);
});

test('watch events update the cache and reach handlers with old and new objects', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  lw.items = [obj('a', '1')];
  const { informer, log } = start(t, lw);
  const stream = await lw.stream(0);
  stream.emit('ADDED', obj('b', '5'));
  stream.emit('MODIFIED', obj('a', '6'));
  stream.emit('BOOKMARK', { metadata: { resourceVersion: '7' } });
  stream.emit('DELETED', obj('b', '8'));
  await eventually(() => assert.equal(informer.lastSyncResourceVersion, '8'));
  assert.deepEqual(log, ['add a@1 (initial)', 'add b@5', 'update a 1→6', 'delete b']);
  assert.equal(informer.get('ns', 'b'), undefined);
  assert.equal(informer.get('ns', 'a')?.metadata.resourceVersion, '6');
});

test('a cleanly ended watch resumes from the last resourceVersion (bookmarks count) without relisting', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  const { informer } = start(t, lw);
  const first = await lw.stream(0);
  first.emit('ADDED', obj('a', '3'));
  first.emit('BOOKMARK', { metadata: { resourceVersion: '9' } });
  await eventually(() => assert.equal(informer.lastSyncResourceVersion, '9'));
  first.end();
  const second = await lw.stream(1);
  assert.equal(second.request.resourceVersion, '9');
  assert.equal(lw.listCalls.length, 1);
});

test('410 Gone relists and turns the difference into adds, updates and final-state-unknown deletes', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  lw.items = [obj('keep', '1'), obj('change', '1'), obj('vanish', '1')];
  const { informer, log } = start(t, lw, { reflector: { pageSize: 100 } });
  const first = await lw.stream(0);
  log.length = 0;
  lw.items = [obj('keep', '1'), obj('change', '4'), obj('new', '5')];
  lw.resourceVersion = '20';
  first.fail(gone());
  const second = await lw.stream(1);
  assert.equal(second.request.resourceVersion, '20');
  assert.equal(lw.listCalls.length, 2);
  assert.deepEqual(log.sort(), ['add new@5', 'delete vanish (final state unknown)', 'update change 1→4']);
  assert.deepEqual(
    informer
      .list()
      .map((o) => o.metadata.name)
      .sort(),
    ['change', 'keep', 'new'],
  );
});

test('handlers read the fully replaced cache during a relist', async () => {
  const lw = new FakeListerWatcher<KubeObject>();
  lw.items = [obj('a', '1')];
  const informer = new Informer<KubeObject>(lw);
  const sizes: number[] = [];
  informer.addEventHandler({ onAdd: () => sizes.push(informer.list().length) });
  lw.items = [obj('a', '1'), obj('b', '1'), obj('c', '1')];
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  await informer.waitForSync();
  ac.abort();
  await run;
  assert.deepEqual(sizes, [3, 3, 3]);
});

test('other watch errors back off and resume the watch without relisting', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  start(t, lw);
  const first = await lw.stream(0);
  first.emit('ADDED', obj('a', '4'));
  first.fail(new ForbiddenError(403, 'Forbidden', 'no'));
  const second = await lw.stream(1);
  assert.equal(second.request.resourceVersion, '4');
  second.fail(new Error('connection reset'));
  const third = await lw.stream(2);
  assert.equal(third.request.resourceVersion, '4');
  assert.equal(lw.listCalls.length, 1);
});

test('list failures are retried until the list succeeds', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  lw.items = [obj('a', '1')];
  lw.listErrors.push(new Error('refused'), new ForbiddenError(403, 'Forbidden', 'rbac not ready'));
  const { informer } = start(t, lw);
  assert.equal(await informer.waitForSync(), true);
  assert.equal(lw.listCalls.length, 3);
});

test('an expired continue token falls back to one unpaged list', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  lw.items = [obj('a', '1'), obj('b', '1'), obj('c', '1')];
  lw.continueError = gone();
  const { informer } = start(t, lw);
  await informer.waitForSync();
  assert.deepEqual(lw.listCalls, [{ limit: 2, continue: undefined }, { limit: 2, continue: '2' }, {}]);
  assert.equal(informer.list().length, 3);
});

test('the watchdog restarts a silent stream', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  start(t, lw, { reflector: { watchIdleTimeoutMs: 30 } });
  const first = await lw.stream(0);
  first.emit('ADDED', obj('a', '2'));
  const second = await lw.stream(1); // opened after ~30 ms of silence
  assert.ok(first.signal.aborted, 'the silent stream was torn down');
  assert.equal(second.request.resourceVersion, '2');
  assert.equal(lw.listCalls.length, 1);
});

test('stopping aborts the watch and resolves run()', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  const { stop, run } = start(t, lw);
  const stream = await lw.stream(0);
  stop();
  await run;
  assert.ok(stream.signal.aborted);
});

test('waitForSync resolves false when its signal aborts first', async () => {
  const lw = new FakeListerWatcher<KubeObject>();
  const informer = new Informer<KubeObject>(lw);
  const ac = new AbortController();
  const waiting = informer.waitForSync(ac.signal);
  ac.abort();
  assert.equal(await waiting, false);
  assert.equal(await informer.waitForSync(AbortSignal.abort()), false);
});

test('late handlers get the cache replayed; failing handlers do not break others; unsubscribe', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  lw.items = [obj('a', '1'), obj('b', '1')];
  const { informer } = start(t, lw);
  await informer.waitForSync();
  const late = recorder();
  const unsubscribe = informer.addEventHandler({
    onAdd: () => {
      throw new Error('boom');
    },
  });
  informer.addEventHandler(late.handler);
  assert.deepEqual(late.log.sort(), ['add a@1 (initial)', 'add b@1 (initial)']);
  const stream = await lw.stream(0);
  stream.emit('ADDED', obj('c', '2'));
  await eventually(() => assert.ok(late.log.includes('add c@2')));
  unsubscribe();
});

test('custom and built-in indexes over the cache', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  const owned = obj('child', '1', { app: 'x' });
  owned.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'P', name: 'p', uid: 'owner-1' }];
  lw.items = [owned, obj('other', '1', { app: 'y' })];
  const { informer } = start(t, lw, { indexers: { byApp: labelIndex('app') } });
  await informer.waitForSync();
  assert.deepEqual(
    informer.byIndex('byApp', 'x').map((o) => o.metadata.name),
    ['child'],
  );
  assert.deepEqual(
    informer.byIndex(BY_OWNER_UID, 'owner-1').map((o) => o.metadata.name),
    ['child'],
  );
  const stream = await lw.stream(0);
  stream.emit('MODIFIED', obj('other', '2', { app: 'x' }));
  await eventually(() => assert.equal(informer.byIndex('byApp', 'x').length, 2));
  assert.equal(informer.byIndex('byApp', 'y').length, 0);
});

test('resync re-delivers cached objects as updates', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  lw.items = [obj('a', '1')];
  const { log } = start(t, lw, { resyncPeriodMs: 10 });
  await eventually(() => assert.ok(log.includes('update a 1→1')));
});

test('a transform runs on listed and watched objects before they are cached and handed out', async (t) => {
  const lw = new FakeListerWatcher<KubeObject>();
  const withFields = (name: string, rv: string): KubeObject => ({
    ...obj(name, rv),
    metadata: { ...obj(name, rv).metadata, managedFields: [{ manager: 'kubectl' }] },
  });
  lw.items = [withFields('a', '1')];
  const seen: KubeObject[] = [];
  const { informer } = start(t, lw, { transform: stripManagedFields });
  informer.addEventHandler({ onAdd: (o) => seen.push(o), onUpdate: (_, o) => seen.push(o) });
  const stream = await lw.stream(0);
  stream.emit('ADDED', withFields('b', '2'));
  stream.emit('MODIFIED', withFields('a', '3'));
  await eventually(() => assert.equal(informer.lastSyncResourceVersion, '3'));
  assert.deepEqual(
    informer.list().map((o) => [o.metadata.name, o.metadata.managedFields]),
    [
      ['a', undefined],
      ['b', undefined],
    ],
  );
  assert.ok(seen.length === 3 && seen.every((o) => !('managedFields' in o.metadata)));
});
