/**
 * @module runtime/backoff
 * Exponential backoff with jitter for restart loops (reflector list/watch), like client-go's
 * reflector: 800 ms doubling to 30 s, back to the start after 2 minutes without failures.
 */
import { monotonicClock, type Clock } from '../client/token-bucket.ts';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Adds up to this fraction of the delay at random, so clients don't retry in lockstep. */
  jitter?: number;
  /** A failure this long after the previous one starts over from `initialMs`. */
  resetAfterMs?: number;
  clock?: Clock;
  random?: () => number;
}

export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #resetAfter: number;
  readonly #now: Clock;
  readonly #random: () => number;
  #current: number;
  #lastFailure = -Infinity;

  constructor(options: BackoffOptions = {}) {
    this.#initial = options.initialMs ?? 800;
    this.#max = options.maxMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#jitter = options.jitter ?? 1;
    this.#resetAfter = options.resetAfterMs ?? 120_000;
    this.#now = options.clock ?? monotonicClock;
    this.#random = options.random ?? Math.random;
    this.#current = this.#initial;
  }

  /** The delay before the next attempt; grows with each call. */
  next(): number {
    const now = this.#now();
    if (now - this.#lastFailure > this.#resetAfter) this.#current = this.#initial;
    this.#lastFailure = now;
    const base = this.#current;
    this.#current = Math.min(this.#max, this.#current * this.#factor);
    return base + base * this.#jitter * this.#random();
  }

  reset(): void {
    this.#current = this.#initial;
    this.#lastFailure = -Infinity;
  }
}
