/**
 * @module kube/token-bucket
 * A token bucket with reservations, like golang.org/x/time/rate: `qps` tokens refill per second up to
 * `burst`. A reservation always succeeds and says how long to wait, so the balance may go negative;
 * that is what makes waiting callers queue up fairly instead of racing for the next token.
 *
 * Used by the API client (client-side QPS) and by the workqueue's overall rate limiter.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Milliseconds from an arbitrary origin; monotonic by default so wall-clock jumps don't matter. */
export type Clock = () => number;
export const monotonicClock: Clock = () => performance.now();

export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  readonly #now: Clock;
  #tokens: number;
  #last: number;

  /** `qps` ≤ 0 or Infinity disables limiting. */
  constructor(qps: number, burst: number, now: Clock = monotonicClock) {
    this.qps = qps;
    this.burst = burst;
    if (!this.unlimited && !(burst >= 1)) throw new RangeError(`burst must be ≥ 1, got ${burst}`);
    this.#now = now;
    this.#tokens = burst;
    this.#last = now();
  }

  get unlimited(): boolean {
    return !(this.qps > 0) || !Number.isFinite(this.qps);
  }

  /** Tokens available now (negative while reservations are outstanding). */
  get tokens(): number {
    this.#advance();
    return this.#tokens;
  }

  /** Takes one token; returns how many ms the caller must wait before using it (0 = now). */
  reserve(): number {
    if (this.unlimited) return 0;
    this.#advance();
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.qps;
  }

  /** Takes a token only if one is available now. */
  tryTake(): boolean {
    if (this.unlimited) return true;
    this.#advance();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Gives back a reserved token that was not used (e.g. the waiter was aborted). */
  refund(): void {
    if (this.unlimited) return;
    this.#advance();
    this.#tokens = Math.min(this.burst, this.#tokens + 1);
  }

  /** Waits for a token; rejects with the signal's reason (and returns the token) if aborted first. */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const delay = this.reserve();
    if (delay <= 0) return;
    try {
      await sleep(delay, undefined, { signal });
    } catch (e) {
      this.refund();
      throw signal?.aborted ? signal.reason : e;
    }
  }

  #advance(): void {
    const now = this.#now();
    const elapsed = now - this.#last;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.qps) / 1000);
      this.#last = now;
    }
  }
}
