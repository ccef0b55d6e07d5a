/**
 * @module runtime/controller
 * Runs a reconcile function over a workqueue with N async workers, with controller-runtime's
 * result handling:
 *
 * - throws            → `addRateLimited` (per-key exponential backoff), logged, counted as "error";
 *   a TerminalError is logged and counted but not retried;
 * - `{requeueAfter}`  → forget the backoff, `addAfter(requeueAfter)` ("requeue_after");
 * - `{requeue: true}` → `addRateLimited` ("requeue");
 * - otherwise         → forget the backoff ("success").
 *
 * On abort the queue stops accepting keys, workers stop taking new ones, and `run` resolves after the
 * in-flight reconciles return (they see the aborted signal and should stop early).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { WorkQueue } from './workqueue.ts';
import { noopMetrics, type MetricsProvider, type ReconcileMetrics, type ReconcileOutcome } from './metrics.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { Clock } from '../client/token-bucket.ts';
import { silentLogger } from './log.ts';

export interface ReconcileResult {
  /** Reconcile again after this many milliseconds (without counting as a failure). */
  requeueAfter?: number;
  /** Reconcile again after the rate limiter's delay. */
  requeue?: boolean;
}

export type Reconcile<K> = (key: K, signal: AbortSignal) => Promise<ReconcileResult | void> | ReconcileResult | void;

/** Thrown by a reconciler for failures that retrying cannot fix (e.g. an invalid spec). */
export class TerminalError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export interface ControllerOptions<K> {
  name: string;
  reconcile: Reconcile<K>;
  /** Concurrent reconciles (distinct keys only: a key is never reconciled twice at once). Default 1. */
  workers?: number;
  logger?: Logger;
  metrics?: MetricsProvider;
  rateLimiter?: RateLimiter<K>;
  /** Abort a reconcile that runs longer than this (ms); it sees its signal aborted. Default: no limit. */
  reconcileTimeoutMs?: number;
  /** Log fields for a key; default: "namespace/name" strings split into namespace and name. */
  keyFields?: (key: K) => Record<string, unknown>;
  clock?: Clock;
}

export class Controller<K> {
  readonly name: string;
  readonly queue: WorkQueue<K>;
  readonly #options: ControllerOptions<K>;
  readonly #log: Logger;
  readonly #metrics: ReconcileMetrics;
  readonly #now: Clock;
  #started = false;

  constructor(options: ControllerOptions<K>) {
    this.name = options.name;
    this.#options = options;
    this.#now = options.clock ?? (() => performance.now());
    this.#log = (options.logger ?? silentLogger()).child({ controller: options.name });
    const metrics = options.metrics ?? noopMetrics;
    this.#metrics = metrics.reconcile(options.name);
    this.queue = new WorkQueue<K>({
      name: options.name,
      metrics,
      rateLimiter: options.rateLimiter,
      clock: options.clock,
    });
  }

  /** Queues a key (deduplicated); safe to call from event handlers before `run`. */
  enqueue(key: K): void {
    this.queue.add(key);
  }

  enqueueAfter(key: K, delayMs: number): void {
    this.queue.addAfter(key, delayMs);
  }

  /** Runs the workers until `signal` aborts; resolves once in-flight reconciles have finished. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new Error(`controller ${this.name} was already started`);
    this.#started = true;
    const workers = Math.max(1, this.#options.workers ?? 1);
    this.#metrics.maxConcurrentReconciles(workers);
    this.#log.info({ workers }, 'Starting workers');
    const stop = () => void this.queue.shutDownWithDrain();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    try {
      await Promise.all(Array.from({ length: workers }, () => this.#worker(signal)));
      await this.queue.shutDownWithDrain();
    } finally {
      signal.removeEventListener('abort', stop);
    }
    this.#log.info('All workers finished');
  }

  async #worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      if (signal.aborted) {
        // Shutting down: leave queued keys alone, the next leader relists and reconciles them.
        this.queue.done(key);
        return;
      }
      this.#metrics.activeWorkers(1);
      try {
        await this.#process(key, signal);
      } finally {
        this.#metrics.activeWorkers(-1);
        this.queue.done(key);
      }
    }
  }

  async #process(key: K, signal: AbortSignal): Promise<void> {
    const started = this.#now();
    const log = this.#log.child({ ...this.#keyFields(key), reconcileID: randomUUID() });
    const limit = this.#options.reconcileTimeoutMs;
    const reconcileSignal = limit ? AbortSignal.any([signal, AbortSignal.timeout(limit)]) : signal;
    let outcome: ReconcileOutcome;
    try {
      const result = (await this.#options.reconcile(key, reconcileSignal)) ?? {};
      if (result.requeueAfter !== undefined && result.requeueAfter > 0) {
        this.queue.forget(key);
        this.queue.addAfter(key, result.requeueAfter);
        outcome = 'requeue_after';
      } else if (result.requeue) {
        this.queue.addRateLimited(key);
        outcome = 'requeue';
      } else {
        this.queue.forget(key);
        outcome = 'success';
      }
    } catch (error) {
      outcome = 'error';
      const terminal = error instanceof TerminalError;
      this.#metrics.failed(terminal);
      if (terminal) {
        this.queue.forget(key);
      } else if (!signal.aborted) {
        this.queue.addRateLimited(key);
      }
      if (signal.aborted) log.debug({ err: error }, 'Reconcile interrupted by shutdown');
      else log.error({ err: error, terminal, requeues: this.queue.numRequeues(key) }, 'Reconciler error');
    }
    this.#metrics.reconciled(outcome, (this.#now() - started) / 1000);
  }

  #keyFields(key: K): Record<string, unknown> {
    if (this.#options.keyFields) return this.#options.keyFields(key);
    if (typeof key === 'string') {
      const slash = key.indexOf('/');
      return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    }
    return { key };
  }
}
