import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './workqueue.ts';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.ts';
import type { MetricsProvider } from './metrics.ts';

/** Mocked setTimeout + Date, and a queue whose clock is the mocked Date. */
function mockedQueue(t: TestContext, options: ConstructorParameters<typeof WorkQueue<string>>[0] = {}) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  return new WorkQueue<string>({ clock: () => Date.now(), ...options });
}

/** Resolves pending microtasks (promise callbacks) without advancing time. */
const settle = () => new Promise<void>((r) => queueMicrotask(r));

test('adds are deduplicated while queued, FIFO otherwise', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  assert.equal(q.len(), 0);
});

test('an item added while processing is held back and queued once more on done', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  const item = await q.get();
  q.add('a');
  q.add('a');
  assert.equal(q.len(), 0, 'not handed to a second worker while in flight');
  q.done(item!);
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'a');
  q.done('a');
  assert.equal(q.len(), 0);
});

test('a waiting getter receives the next add', async () => {
  const q = new WorkQueue<string>();
  const pending = q.get();
  q.add('x');
  assert.equal(await pending, 'x');
});

test('addAfter waits, keeps the earlier time for duplicates, and orders by time', async (t) => {
  const q = mockedQueue(t);
  q.addAfter('late', 100);
  q.addAfter('early', 50);
  q.addAfter('late', 200); // later than already scheduled: ignored
  q.addAfter('now', 0);
  assert.equal(await q.get(), 'now');
  t.mock.timers.tick(49);
  assert.equal(q.len(), 0);
  t.mock.timers.tick(1);
  assert.equal(q.len(), 1);
  t.mock.timers.tick(50);
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), 'early');
  assert.equal(await q.get(), 'late');
  q.addAfter('x', 100);
  q.addAfter('x', 10); // earlier: moves up
  t.mock.timers.tick(10);
  assert.equal(await q.get(), 'x');
});

test('addRateLimited backs off exponentially per item until forget', async (t) => {
  const q = mockedQueue(t, { rateLimiter: new ItemExponentialFailureRateLimiter<string>(10, 1000) });
  const readyAfter = async (item: string) => {
    q.addRateLimited(item);
    let waited = 0;
    while (q.len() === 0) {
      t.mock.timers.tick(1);
      waited++;
    }
    const got = await q.get();
    q.done(got!);
    return waited;
  };
  assert.equal(await readyAfter('a'), 10);
  assert.equal(await readyAfter('a'), 20);
  assert.equal(await readyAfter('a'), 40);
  assert.equal(q.numRequeues('a'), 3);
  assert.equal(await readyAfter('b'), 10, 'per item');
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
  assert.equal(await readyAfter('a'), 10);
});

test('shutDown: adds are ignored, queued items still handed out, then undefined', async () => {
  const q = new WorkQueue<string>();
  const idle = q.get();
  q.add('a');
  assert.equal(await idle, 'a');
  q.add('b');
  q.shutDown();
  q.add('c');
  q.addAfter('d', 1);
  assert.equal(q.shuttingDown, true);
  assert.equal(await q.get(), 'b');
  assert.equal(await q.get(), undefined);
  assert.equal(await q.get(), undefined);
});

test('shutDown wakes idle getters with undefined', async () => {
  const q = new WorkQueue<string>();
  const a = q.get();
  const b = q.get();
  q.shutDown();
  assert.deepEqual(await Promise.all([a, b]), [undefined, undefined]);
});

test('shutDownWithDrain waits for in-flight items', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.add('b');
  const a = (await q.get())!;
  const b = (await q.get())!;
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => (drained = true));
  await settle();
  assert.equal(drained, false);
  q.done(a);
  await settle();
  assert.equal(drained, false);
  q.done(b);
  await drain;
  assert.equal(drained, true);
  await q.shutDownWithDrain(); // nothing in flight: resolves at once
});

test('delayed items are dropped on shutdown (no timers left behind)', async (t) => {
  const q = mockedQueue(t);
  q.addAfter('a', 100);
  q.shutDown();
  t.mock.timers.tick(1000);
  assert.equal(await q.get(), undefined);
});

test('metrics hooks see adds, depth, durations and retries', async (t) => {
  const calls: string[] = [];
  let probe: { unfinishedWorkSeconds(): number; longestRunningProcessorSeconds(): number } | undefined;
  const metrics: MetricsProvider = {
    workqueue: (name, p) => {
      probe = p;
      assert.equal(name, 'ctl');
      return {
        added: () => calls.push('add'),
        depth: (n) => calls.push(`depth=${n}`),
        queueDuration: (s) => calls.push(`queue=${s}`),
        workDuration: (s) => calls.push(`work=${s}`),
        retried: () => calls.push('retry'),
      };
    },
    reconcile: () => assert.fail('not used'),
  };
  const q = mockedQueue(t, { name: 'ctl', metrics, rateLimiter: new ItemExponentialFailureRateLimiter(1000, 1000) });
  q.add('a');
  t.mock.timers.tick(2000);
  await q.get();
  t.mock.timers.tick(3000);
  assert.equal(probe!.unfinishedWorkSeconds(), 3);
  assert.equal(probe!.longestRunningProcessorSeconds(), 3);
  q.done('a');
  q.addRateLimited('a');
  t.mock.timers.tick(1000);
  assert.deepEqual(calls, ['add', 'depth=1', 'depth=0', 'queue=2', 'work=3', 'retry', 'add', 'depth=1']);
});

test('many items: every one is delivered exactly once', async () => {
  const q = new WorkQueue<number>();
  for (let i = 0; i < 1000; i++) q.add(i);
  for (let i = 0; i < 1000; i++) q.add(i);
  const seen: number[] = [];
  while (q.len() > 0) {
    const i = (await q.get())!;
    seen.push(i);
    q.done(i);
  }
  assert.deepEqual(
    seen,
    Array.from({ length: 1000 }, (_, i) => i),
  );
});
