/**
 * @module runtime/rate-limiter
 * Workqueue rate limiters with client-go's semantics: how long an item waits before it is retried.
 * The default is client-go's DefaultTypedControllerRateLimiter: the larger of a per-item exponential
 * backoff (5 ms doubling to 1000 s) and an overall token bucket (10 qps, burst 100).
 */
import { TokenBucket, monotonicClock, type Clock } from '../client/token-bucket.ts';

export interface RateLimiter<K> {
  /** Records one more failure of `item` and returns the delay (ms) before it may be retried. */
  when(item: K): number;
  /** Clears the item's failure history (after success). */
  forget(item: K): void;
  /** Failures recorded for the item since it was last forgotten. */
  numRequeues(item: K): number;
}

/** base·2^failures, capped at max. */
export class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  readonly #failures = new Map<K, number>();
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(baseMs = 5, maxMs = 1000_000) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  when(item: K): number {
    const exp = this.#failures.get(item) ?? 0;
    this.#failures.set(item, exp + 1);
    const delay = this.#baseMs * 2 ** exp; // Infinity past ~2^1023: the cap still applies
    return Math.min(delay, this.#maxMs);
  }

  forget(item: K): void {
    this.#failures.delete(item);
  }

  numRequeues(item: K): number {
    return this.#failures.get(item) ?? 0;
  }
}

/** Overall rate across all items: each retry reserves a token. Tracks no per-item state. */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  readonly #bucket: TokenBucket;

  constructor(bucket: TokenBucket) {
    this.#bucket = bucket;
  }

  when(_item: K): number {
    return this.#bucket.reserve();
  }

  forget(_item: K): void {}

  numRequeues(_item: K): number {
    return 0;
  }
}

/** The worst (longest) of several limiters; every limiter sees every call. */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  readonly #limiters: RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.#limiters = limiters;
  }

  when(item: K): number {
    let max = 0;
    for (const l of this.#limiters) max = Math.max(max, l.when(item));
    return max;
  }

  forget(item: K): void {
    for (const l of this.#limiters) l.forget(item);
  }

  numRequeues(item: K): number {
    let max = 0;
    for (const l of this.#limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

export function defaultControllerRateLimiter<K>(clock: Clock = monotonicClock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ItemExponentialFailureRateLimiter<K>(5, 1000_000),
    new BucketRateLimiter<K>(new TokenBucket(10, 100, clock)),
  );
}
