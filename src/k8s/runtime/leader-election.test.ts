import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { AlreadyExistsError, ConflictError } from '../client/errors.ts';
import { LeaderElector, LeaderWorkEndedError, LeadershipLostError } from './leader-election.ts';
import type { Lease, LeaseLock, LeaseSpec } from './lease-lock.ts';

/** One Lease in memory with resourceVersion preconditions; each candidate gets its own (breakable) view. */
class LeaseStore {
  lease: Lease | undefined;
  #rv = 0;
  writes: LeaseSpec[] = [];
  reads = 0;
  readonly #watchers = new Set<(lease: Lease) => void>();

  view(): LeaseLock & { mode: 'up' | 'fail' | 'hang' } {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the view's closures write to this store
    const store = this;
    const guard = <T>(signal: AbortSignal, body: () => T): Promise<T> => {
      if (view.mode === 'fail') return Promise.reject(new Error('connection refused'));
      if (view.mode === 'hang') {
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
      }
      try {
        return Promise.resolve(body());
      } catch (e) {
        return Promise.reject(e);
      }
    };
    const view = {
      mode: 'up' as 'up' | 'fail' | 'hang',
      description: 'lws-system/b8b2488c.x-k8s.io',
      get: (signal: AbortSignal) =>
        guard(signal, () => {
          store.reads++;
          return structuredClone(store.lease);
        }),
      create: (spec: LeaseSpec, signal: AbortSignal) =>
        guard(signal, () => {
          if (store.lease) throw new AlreadyExistsError(409, 'AlreadyExists', 'exists');
          return store.#write({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {}, spec });
        }),
      update: (lease: Lease, spec: LeaseSpec, signal: AbortSignal) =>
        guard(signal, () => {
          if (lease.metadata.resourceVersion !== store.lease?.metadata.resourceVersion) {
            throw new ConflictError(409, 'Conflict', 'the object has been modified');
          }
          return store.#write({ ...lease, spec: { ...lease.spec, ...spec } });
        }),
      watch: (onChange: (lease: Lease) => void, signal: AbortSignal) => {
        const deliver = (lease: Lease) => view.mode === 'up' && onChange(structuredClone(lease));
        store.#watchers.add(deliver);
        signal.addEventListener('abort', () => store.#watchers.delete(deliver), { once: true });
      },
    };
    return view;
  }

  #write(lease: Lease, notify = true): Lease {
    this.lease = { ...structuredClone(lease), metadata: { ...lease.metadata, resourceVersion: String(++this.#rv) } };
    this.writes.push(structuredClone(lease.spec!));
    const written = this.lease;
    if (notify) queueMicrotask(() => this.#watchers.forEach((w) => w(written)));
    return structuredClone(this.lease);
  }

  /** Another writer takes the Lease and no watch event reaches anyone (a watch that lags). */
  stealSilently(holderIdentity: string): void {
    this.#write({ ...this.lease!, spec: { ...this.lease!.spec, holderIdentity } }, false);
  }

  get holder(): string {
    return this.lease?.spec?.holderIdentity ?? '';
  }
}

const TIMINGS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function elector(lock: LeaseLock, identity: string) {
  return new LeaderElector({ lock, identity, ...TIMINGS, now: () => Date.now(), random: () => 0.5 });
}

/** Moves mocked time forward in small steps, letting promise chains run in between. */
async function advance(ms: number, step = 50): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    mock.timers.tick(step);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
}

/** A `lead` function that records its term and waits for the term to end. */
function recorder(log: string[], name: string) {
  return (term: AbortSignal) =>
    new Promise<void>((resolve) => {
      log.push(`${name} leads at ${Date.now()}`);
      term.addEventListener('abort', () => {
        log.push(`${name} stops at ${Date.now()} (${(term.reason as Error).name})`);
        resolve();
      });
    });
}

describe('LeaderElector', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  test('acquires a free lease, renews it with MicroTime timestamps, releases it on shutdown', async () => {
    const store = new LeaseStore();
    const log: string[] = [];
    const shutdown = new AbortController();
    const done = elector(store.view(), 'a').run(shutdown.signal, recorder(log, 'a'));
    await advance(100);
    assert.equal(store.holder, 'a');
    assert.deepEqual(log, ['a leads at 50']);
    await advance(6_000);
    assert.ok(store.writes.length >= 3, `renewed: ${store.writes.length} writes`);
    const spec = store.lease!.spec!;
    assert.match(spec.renewTime!, /^1970-01-01T00:00:0\d\.\d{6}Z$/);
    assert.equal(spec.acquireTime, '1970-01-01T00:00:00.000000Z', 'acquireTime stays while renewing');
    assert.equal(spec.leaseDurationSeconds, 15);
    assert.equal(spec.leaseTransitions, 0);
    shutdown.abort();
    await advance(100);
    await done;
    assert.equal(store.holder, '', 'released');
    assert.equal(store.lease!.spec!.leaseDurationSeconds, 1);
    assert.match(log[1]!, /^a stops at/);
  });

  test('a leader renews with one write and no read; a write by someone else sends it back to reading', async () => {
    const store = new LeaseStore();
    const log: string[] = [];
    const shutdown = new AbortController();
    const done = elector(store.view(), 'a').run(shutdown.signal, recorder(log, 'a'));
    await advance(100);
    assert.equal(store.reads, 1, 'one read to acquire');
    const writesAfterAcquire = store.writes.length;
    await advance(9_000);
    assert.equal(store.writes.length - writesAfterAcquire, 4, 'a renewal every 2 s');
    assert.equal(store.reads, 1, 'renewals write against the Lease as last written, without reading it');
    store.stealSilently('b');
    await advance(2_100);
    assert.equal(store.reads, 2, 'the optimistic write conflicted: the elector read the Lease');
    assert.equal(store.holder, 'b', 'and left the new holder alone');
    await advance(10_000);
    assert.match(log.find((l) => l.startsWith('a stops')) ?? 'a never stopped', /LeadershipLostError/);
    shutdown.abort();
    await advance(100);
    await done;
    assert.equal(store.holder, 'b', 'not released: b holds it');
  });

  test('exactly one of two candidates leads; a released lease is taken over at once', async () => {
    const store = new LeaseStore();
    const log: string[] = [];
    const stopA = new AbortController();
    const stopB = new AbortController();
    const a = elector(store.view(), 'a').run(stopA.signal, recorder(log, 'a'));
    await advance(100);
    const b = elector(store.view(), 'b').run(stopB.signal, recorder(log, 'b'));
    await advance(30_000);
    assert.deepEqual(log, ['a leads at 50'], 'b never leads while a renews');
    stopA.abort();
    await advance(5_000);
    await a;
    assert.equal(store.holder, 'b');
    assert.equal(log.length, 3);
    const bLeads = Number(/b leads at (\d+)/.exec(log[2]!)![1]);
    assert.ok(bLeads - 30_100 <= 500, `b took over ${bLeads - 30_100} ms after the release (the watch saw it)`);
    assert.equal(store.lease!.spec!.leaseTransitions, 1);
    stopB.abort();
    await advance(100);
    await b;
  });

  test('a leader cut off from the apiserver stops at the renew deadline, before the standby takes over', async () => {
    const store = new LeaseStore();
    const log: string[] = [];
    const viewA = store.view();
    const stopA = new AbortController();
    const stopB = new AbortController();
    const a = elector(viewA, 'a').run(stopA.signal, recorder(log, 'a'));
    await advance(100);
    const b = elector(store.view(), 'b').run(stopB.signal, recorder(log, 'b'));
    await advance(10_000);
    viewA.mode = 'hang'; // requests never answer: only the deadline can end the term
    const cutAt = Date.now();
    await advance(25_000);
    const aStops = log.find((l) => l.startsWith('a stops'))!;
    assert.match(aStops, /LeadershipLostError/);
    const aStopsAt = Number(/at (\d+)/.exec(aStops)![1]);
    const bLeadsAt = Number(/at (\d+)/.exec(log.find((l) => l.startsWith('b leads'))!)![1]);
    assert.ok(aStopsAt - cutAt <= 10_000, `a stopped ${aStopsAt - cutAt} ms after losing the apiserver`);
    assert.ok(bLeadsAt > aStopsAt, 'b leads only after a stopped');
    // The watch times a's last renewal exactly: b takes over one lease duration after it.
    assert.ok(bLeadsAt - cutAt <= 15_200, `b took over ${bLeadsAt - cutAt} ms after a was cut off`);
    assert.equal(store.holder, 'b');
    stopA.abort();
    stopB.abort();
    await advance(6_000);
    await Promise.all([a, b]);
  });

  test('a leader that lost its term competes again and resumes when the apiserver is back', async () => {
    const store = new LeaseStore();
    const log: string[] = [];
    const view = store.view();
    const stop = new AbortController();
    const run = elector(view, 'a').run(stop.signal, recorder(log, 'a'));
    await advance(100);
    view.mode = 'fail';
    await advance(12_000);
    assert.match(log[1]!, /a stops at \d+ \(LeadershipLostError\)/);
    view.mode = 'up';
    await advance(5_000);
    assert.match(log[2]!, /a leads at/);
    assert.equal(store.lease!.spec!.leaseTransitions, 0, 'the same holder: no transition');
    stop.abort();
    await advance(100);
    await run;
  });

  test('work that fails ends the term, releases the lease and fails run', async () => {
    const store = new LeaseStore();
    const run = elector(store.view(), 'a').run(new AbortController().signal, async () => {
      throw new Error('controllers crashed');
    });
    const outcome = assert.rejects(run, (e: Error) => e instanceof LeaderWorkEndedError && /crashed/.test(e.message));
    await advance(200);
    await outcome;
    assert.equal(store.holder, '');
  });

  test('LeadershipLostError names the lease', () => {
    assert.match(new LeadershipLostError('ns/x', 'why').message, /leader election lost: ns\/x: why/);
  });
});

test('a leader paused past its renew deadline ends its term when it resumes (real timers)', async () => {
  // A frozen process (SIGSTOP, a VM pause) resumes with every timer overdue: the renew loop's may run before the
  // deadline's, and the term must still end (found by npm run chaos: the resumed leader kept leading).
  const store = new LeaseStore();
  const log: string[] = [];
  const stop = new AbortController();
  const e = new LeaderElector({
    lock: store.view(),
    identity: 'a',
    leaseDurationMs: 400,
    renewDeadlineMs: 300,
    retryPeriodMs: 50,
  });
  const run = e.run(stop.signal, recorder(log, 'a'));
  while (!log.some((l) => l.startsWith('a leads'))) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 60)); // inside the renew loop's sleep
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 800); // the whole process frozen for 800 ms
  for (let i = 0; i < 200 && !log.some((l) => l.startsWith('a stops')); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.match(log.find((l) => l.startsWith('a stops')) ?? 'never stopped', /LeadershipLostError/);
  stop.abort();
  await run;
});
