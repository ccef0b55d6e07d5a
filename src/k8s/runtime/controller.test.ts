import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { Controller, TerminalError, type Reconcile } from './controller.ts';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.ts';
import type { MetricsProvider, ReconcileOutcome } from './metrics.ts';
import { noopMetrics } from './metrics.ts';

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

function metricsSpy() {
  const outcomes: ReconcileOutcome[] = [];
  const failures: boolean[] = [];
  let active = 0;
  let maxActive = 0;
  const metrics: MetricsProvider = {
    workqueue: noopMetrics.workqueue,
    reconcile: () => ({
      reconciled: (o) => outcomes.push(o),
      failed: (terminal) => failures.push(terminal),
      activeWorkers: (d) => {
        active += d;
        maxActive = Math.max(maxActive, active);
      },
      maxConcurrentReconciles: () => {},
    }),
  };
  return { metrics, outcomes, failures, maxActive: () => maxActive };
}

function controller(reconcile: Reconcile<string>, extra: { workers?: number; metrics?: MetricsProvider } = {}) {
  return new Controller<string>({
    name: 'test',
    reconcile,
    rateLimiter: new ItemExponentialFailureRateLimiter(1, 10),
    ...extra,
  });
}

test('reconciles queued keys; success forgets the backoff', async () => {
  const seen: string[] = [];
  const spy = metricsSpy();
  const c = controller((key) => void seen.push(key), { metrics: spy.metrics });
  c.enqueue('ns/a');
  c.enqueue('ns/b');
  c.enqueue('ns/a');
  const ac = new AbortController();
  const run = c.run(ac.signal);
  await eventually(() => assert.deepEqual(seen, ['ns/a', 'ns/b']));
  ac.abort();
  await run;
  assert.deepEqual(spy.outcomes, ['success', 'success']);
  assert.equal(c.queue.numRequeues('ns/a'), 0);
});

test('errors are retried with backoff until success', async () => {
  let attempts = 0;
  const spy = metricsSpy();
  const c = controller(
    () => {
      if (++attempts < 3) throw new Error('transient');
    },
    { metrics: spy.metrics },
  );
  c.enqueue('k');
  const ac = new AbortController();
  const run = c.run(ac.signal);
  await eventually(() => assert.equal(attempts, 3));
  ac.abort();
  await run;
  assert.deepEqual(spy.outcomes, ['error', 'error', 'success']);
  assert.deepEqual(spy.failures, [false, false]);
  assert.equal(c.queue.numRequeues('k'), 0);
});

test('a TerminalError is counted but not retried', async () => {
  let attempts = 0;
  const spy = metricsSpy();
  const c = controller(
    () => {
      attempts++;
      throw new TerminalError('invalid spec');
    },
    { metrics: spy.metrics },
  );
  c.enqueue('k');
  const ac = new AbortController();
  const run = c.run(ac.signal);
  await eventually(() => assert.equal(attempts, 1));
  await new Promise((r) => setTimeout(r, 30));
  ac.abort();
  await run;
  assert.equal(attempts, 1);
  assert.deepEqual(spy.failures, [true]);
});

test('requeueAfter and requeue schedule another reconcile', async () => {
  const times: number[] = [];
  const spy = metricsSpy();
  const c = controller(
    () => {
      times.push(performance.now());
      if (times.length === 1) return { requeueAfter: 40 };
      if (times.length === 2) return { requeue: true };
      return undefined;
    },
    { metrics: spy.metrics },
  );
  c.enqueue('k');
  const ac = new AbortController();
  const run = c.run(ac.signal);
  await eventually(() => assert.equal(times.length, 3));
  ac.abort();
  await run;
  assert.ok(times[1]! - times[0]! >= 35, 'waited for requeueAfter');
  assert.deepEqual(spy.outcomes, ['requeue_after', 'requeue', 'success']);
});

test('a key is never reconciled twice at once, even with many workers', async () => {
  let running = 0;
  let overlap = false;
  let count = 0;
  const spy = metricsSpy();
  const c = controller(
    async () => {
      if (++running > 1) overlap = true;
      count++;
      await new Promise((r) => setTimeout(r, 5));
      running--;
    },
    { workers: 4, metrics: spy.metrics },
  );
  const ac = new AbortController();
  const run = c.run(ac.signal);
  c.enqueue('same');
  await tick();
  c.enqueue('same'); // while in flight: runs once more afterwards
  c.enqueue('same');
  await eventually(() => assert.equal(count, 2));
  ac.abort();
  await run;
  assert.equal(overlap, false);
});

test('workers run distinct keys concurrently', async () => {
  const spy = metricsSpy();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started = 0;
  const c = controller(
    async () => {
      started++;
      await gate;
    },
    { workers: 3, metrics: spy.metrics },
  );
  const ac = new AbortController();
  const run = c.run(ac.signal);
  for (const k of ['a', 'b', 'c', 'd']) c.enqueue(k);
  await eventually(() => assert.equal(started, 3));
  release();
  await eventually(() => assert.equal(started, 4));
  ac.abort();
  await run;
  assert.equal(spy.maxActive(), 3);
});

test('shutdown drains in-flight reconciles, which see the aborted signal; queued keys are left', async () => {
  let sawAbort = false;
  const seen: string[] = [];
  const c = controller(async (key, signal) => {
    seen.push(key);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    sawAbort = signal.aborted;
  });
  const ac = new AbortController();
  const run = c.run(ac.signal);
  c.enqueue('first');
  c.enqueue('second');
  await eventually(() => assert.deepEqual(seen, ['first']));
  ac.abort();
  await run;
  assert.equal(sawAbort, true);
  assert.deepEqual(seen, ['first']);
  await assert.rejects(c.run(new AbortController().signal), /already started/);
});

test('reconcileTimeoutMs aborts a slow reconcile', async () => {
  let reason: unknown;
  const c = new Controller<string>({
    name: 't',
    reconcileTimeoutMs: 20,
    rateLimiter: new ItemExponentialFailureRateLimiter(1000, 1000),
    reconcile: async (_key, signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      reason = signal.reason;
      throw signal.reason;
    },
  });
  c.enqueue('k');
  const ac = new AbortController();
  const run = c.run(ac.signal);
  await eventually(() => assert.ok(reason));
  ac.abort();
  await run;
  assert.equal((reason as Error).name, 'TimeoutError');
});
