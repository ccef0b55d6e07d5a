/**
 * @module runtime/workqueue
 * A rate-limited, delaying work queue with client-go's semantics:
 *
 * - an item is in the queue at most once (dedupe through the `dirty` set);
 * - an item is processed by at most one worker at a time: added while processing, it is held back and
 *   queued once more when that worker calls `done`;
 * - `addAfter` parks items on a timer heap; `addRateLimited` delays by the rate limiter's verdict;
 * - after `shutDown`, adds are ignored and `get` still hands out what is queued, then `undefined`;
 *   `shutDownWithDrain` also waits until every in-flight item is `done`.
 */
import { monotonicClock, type Clock } from '../client/token-bucket.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { noopMetrics, type MetricsProvider, type WorkqueueMetrics, type WorkqueueProbe } from './metrics.ts';
import { DelayHeap } from './delay-heap.ts';

export interface WorkQueueOptions<K> {
  /** Metric label; usually the controller name. */
  name?: string;
  rateLimiter?: RateLimiter<K>;
  metrics?: MetricsProvider;
  /** Milliseconds, monotonic. Tests pass `Date.now` together with mock timers. */
  clock?: Clock;
}

export class WorkQueue<K> implements WorkqueueProbe {
  readonly name: string;
  readonly #rateLimiter: RateLimiter<K>;
  readonly #metrics: WorkqueueMetrics;
  readonly #now: Clock;

  // FIFO of ready items: an array with a moving head (shift() is O(n)).
  #queue: K[] = [];
  #head = 0;
  readonly #dirty = new Set<K>();
  /** In-flight items and when their processing started. */
  readonly #processing = new Map<K, number>();
  /** When each queued item was first added, for queue_duration. */
  readonly #addedAt = new Map<K, number>();
  readonly #getters: Array<(item: K | undefined) => void> = [];
  readonly #drainers: Array<() => void> = [];
  #shuttingDown = false;

  readonly #waiting = new DelayHeap<K>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.name = options.name ?? '';
    this.#now = options.clock ?? monotonicClock;
    this.#rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(this.#now);
    this.#metrics = (options.metrics ?? noopMetrics).workqueue(this.name, this);
  }

  /** Queues the item unless it is already queued; if it is being processed, once more after `done`. */
  add(item: K): void {
    if (this.#shuttingDown || this.#dirty.has(item)) return;
    this.#metrics.added();
    this.#dirty.add(item);
    if (!this.#addedAt.has(item)) this.#addedAt.set(item, this.#now());
    if (this.#processing.has(item)) return;
    this.#push(item);
  }

  /** Items ready to be handed out (not counting delayed or in-flight ones). */
  len(): number {
    return this.#queue.length - this.#head;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * The next item, marked as processing: the caller must call `done(item)` when finished.
   * Resolves `undefined` once the queue is shut down and empty.
   */
  get(): Promise<K | undefined> {
    if (this.len() > 0) return Promise.resolve(this.#take());
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Ends processing of the item; re-queues it if it was added meanwhile. */
  done(item: K): void {
    const started = this.#processing.get(item);
    if (started === undefined) return;
    this.#metrics.workDuration((this.#now() - started) / 1000);
    this.#processing.delete(item);
    if (this.#dirty.has(item)) this.#push(item);
    if (this.#processing.size === 0) for (const resolve of this.#drainers.splice(0)) resolve();
  }

  /** Adds the item once `delayMs` has passed; an item already waiting keeps the earlier time. */
  addAfter(item: K, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (!(delayMs > 0)) return this.add(item);
    this.#waiting.push(item, this.#now() + delayMs);
    this.#arm();
  }

  /** Adds the item after the rate limiter's delay for it (backoff on repeated failures). */
  addRateLimited(item: K): void {
    if (this.#shuttingDown) return;
    this.#metrics.retried();
    this.addAfter(item, this.#rateLimiter.when(item));
  }

  /** Resets the item's backoff (after a successful reconcile). */
  forget(item: K): void {
    this.#rateLimiter.forget(item);
  }

  numRequeues(item: K): number {
    return this.#rateLimiter.numRequeues(item);
  }

  /** Stops accepting items and wakes idle getters; delayed items are dropped. */
  shutDown(): void {
    this.#shuttingDown = true;
    this.#waiting.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    while (this.#getters.length > 0) this.#getters.shift()!(this.len() > 0 ? this.#take() : undefined);
  }

  /** shutDown, then resolves once every in-flight item is done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainers.push(resolve));
  }

  unfinishedWorkSeconds(): number {
    const now = this.#now();
    let total = 0;
    for (const started of this.#processing.values()) total += now - started;
    return total / 1000;
  }

  longestRunningProcessorSeconds(): number {
    const now = this.#now();
    let longest = 0;
    for (const started of this.#processing.values()) longest = Math.max(longest, now - started);
    return longest / 1000;
  }

  #push(item: K): void {
    const getter = this.#getters.shift();
    this.#queue.push(item);
    if (getter) getter(this.#take());
    else this.#metrics.depth(this.len());
  }

  #take(): K {
    const item = this.#queue[this.#head]!;
    this.#head++;
    if (this.#head > 64 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#metrics.depth(this.len());
    const now = this.#now();
    const added = this.#addedAt.get(item);
    if (added !== undefined) this.#metrics.queueDuration((now - added) / 1000);
    this.#addedAt.delete(item);
    this.#processing.set(item, now);
    this.#dirty.delete(item);
    return item;
  }

  /** Keeps one timer, set for the earliest waiting item. */
  #arm(): void {
    const next = this.#waiting.peekTime();
    if (next === undefined || next >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = next;
    // Not unref'd: a pending retry is work, and shutDown clears the timer.
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, next - this.#now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    for (const item of this.#waiting.popReady(this.#now())) this.add(item);
    this.#arm();
  }
}
