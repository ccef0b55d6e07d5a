/**
 * @module runtime/leader-election
 * Leader election on a Lease with client-go's rules, so lws-ts and upstream replicas can share one lock:
 *
 * - a candidate tries every retryPeriod (plus up to 1.2× jitter) and may take the Lease when it is free
 *   (no holder) or when its record has not changed for the record's leaseDurationSeconds — measured on
 *   the candidate's own clock from when it *observed* the change, never from the renewTime written by
 *   another machine, so clock skew cannot shorten a lease;
 * - the leader renews every retryPeriod; a term ends the moment renewDeadline has passed since the last
 *   renewal that succeeded (counted from when that request was sent), which is before any candidate may
 *   take over (leaseDuration > renewDeadline), so two replicas never act at the same time;
 * - every write is an optimistic update (resourceVersion precondition); a conflict just means "not now".
 *
 * `run` calls `lead(termSignal)` for each term and aborts the term signal when leadership is lost (the
 * work must stop at once), then competes again. On shutdown it ends the term, waits for `lead` to return
 * and releases the Lease (holder cleared) so a standby takes over without waiting for expiry.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { isAlreadyExists, isConflict } from '../client/errors.ts';
import { formatMicroTime } from '../client/microtime.ts';
import type { Lease, LeaseLock, LeaseSpec } from './lease-lock.ts';
import { silentLogger } from './log.ts';

export interface LeaderElectorOptions {
  lock: LeaseLock;
  /** Unique per process: client-go/controller-runtime use "<hostname>_<uuid>". */
  identity?: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  logger?: Logger;
  /** Monotonic milliseconds for expiry arithmetic. Default performance.now. */
  now?: () => number;
  /** Wall-clock milliseconds for the Lease's MicroTime fields. Default Date.now. */
  wallClock?: () => number;
  random?: () => number;
  /** Called with true when a term starts and false when it ends (leader_election_master_status). */
  onLeadingChange?: (leading: boolean) => void;
  /** Called when the observed holder changes (including to ourselves). */
  onNewLeader?: (identity: string) => void;
  /** How long the release on shutdown may take. Default 5 s. */
  releaseTimeoutMs?: number;
}

/** The reason a term's signal is aborted with when the Lease could not be renewed in time. */
export class LeadershipLostError extends Error {
  constructor(lease: string, detail: string) {
    super(`leader election lost: ${lease}: ${detail}`);
    this.name = 'LeadershipLostError';
  }
}

/** `lead` returned or failed while its term was still running. */
export class LeaderWorkEndedError extends Error {
  constructor(cause?: unknown) {
    super(`the leader's work ended unexpectedly${cause ? `: ${(cause as Error).message ?? String(cause)}` : ''}`, {
      cause,
    });
    this.name = 'LeaderWorkEndedError';
  }
}

const JITTER_FACTOR = 1.2;

export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

export class LeaderElector {
  readonly identity: string;
  readonly #o: Required<Omit<LeaderElectorOptions, 'onLeadingChange' | 'onNewLeader' | 'identity'>> &
    Pick<LeaderElectorOptions, 'onLeadingChange' | 'onNewLeader'>;
  readonly #log: Logger;
  /** The Lease as last read or written, and when (monotonic) its record last changed. */
  #observed: Lease | undefined;
  #observedRecord = '';
  #observedAt = 0;
  #leading = false;
  /** Ends a candidate's wait early (the watch saw the Lease released). */
  #wakeCandidate: (() => void) | undefined;

  constructor(options: LeaderElectorOptions) {
    this.identity = options.identity ?? defaultIdentity();
    this.#o = {
      now: () => performance.now(),
      wallClock: () => Date.now(),
      random: Math.random,
      releaseTimeoutMs: 5000,
      logger: silentLogger(),
      ...options,
    };
    this.#log = this.#o.logger.child({ lease: options.lock.description, identity: this.identity });
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  /** Competes for the Lease and runs `lead` for every term until `signal` aborts; then releases the Lease. */
  async run(signal: AbortSignal, lead: (term: AbortSignal) => Promise<void>): Promise<void> {
    // Watching the Lease (when the lock can) times renewals exactly, so a candidate takes over as soon as
    // the lease expires instead of up to one polling interval late.
    const watching = new AbortController();
    this.#o.lock.watch?.((lease) => this.#observeWatched(lease), watching.signal);
    try {
      while (!signal.aborted) {
        this.#log.info('Attempting to acquire leader lease');
        const acquiredAt = await this.#acquire(signal);
        if (acquiredAt === undefined) break; // shutting down
        this.#log.info('Successfully acquired lease');
        await this.#term(signal, acquiredAt, lead);
      }
    } finally {
      watching.abort();
      await this.#release();
    }
  }

  /** Resolves with the monotonic time the winning request was sent, or undefined when `signal` aborts. */
  async #acquire(signal: AbortSignal): Promise<number | undefined> {
    for (;;) {
      if (signal.aborted) return undefined;
      const sentAt = this.#o.now();
      if (await this.#tryAcquireOrRenew(signal)) return sentAt;
      const wake = new AbortController();
      this.#wakeCandidate = () => wake.abort();
      await sleep(this.#nextAttemptIn(), AbortSignal.any([signal, wake.signal]));
      this.#wakeCandidate = undefined;
    }
  }

  async #term(signal: AbortSignal, acquiredAt: number, lead: (term: AbortSignal) => Promise<void>): Promise<void> {
    const term = new AbortController();
    const lease = this.#o.lock.description;
    let lastRenew = acquiredAt;
    let deadline: NodeJS.Timeout | undefined;
    const armDeadline = () => {
      clearTimeout(deadline);
      const left = lastRenew + this.#o.renewDeadlineMs - this.#o.now();
      deadline = setTimeout(
        () => {
          if (!term.signal.aborted)
            term.abort(new LeadershipLostError(lease, 'failed to renew within the renew deadline'));
        },
        Math.max(0, left),
      );
    };
    const onShutdown = () => term.abort(signal.reason ?? new Error('shutting down'));
    signal.addEventListener('abort', onShutdown, { once: true });
    armDeadline();
    this.#setLeading(true);

    let workError: unknown;
    const work = (async () => {
      try {
        await lead(term.signal);
        if (!term.signal.aborted) workError = new LeaderWorkEndedError();
      } catch (e) {
        if (!term.signal.aborted) workError = new LeaderWorkEndedError(e);
      } finally {
        if (!term.signal.aborted) term.abort(workError);
      }
    })();

    while (!term.signal.aborted) {
      if (!(await sleep(this.#o.retryPeriodMs, term.signal))) break;
      const sentAt = this.#o.now();
      const left = lastRenew + this.#o.renewDeadlineMs - sentAt;
      if (left <= 0) {
        // Past the renew deadline (e.g. the process was paused longer than that): this timer can run before
        // the deadline timer, which is cleared below, so end the term here or the work would go on leading.
        term.abort(new LeadershipLostError(lease, 'failed to renew within the renew deadline'));
        break;
      }
      const timeout = timeoutSignal(left);
      const renewed = await this.#tryAcquireOrRenew(AbortSignal.any([term.signal, timeout.signal]));
      timeout.clear();
      if (renewed) {
        lastRenew = sentAt;
        armDeadline();
      } else {
        this.#log.debug('Failed to renew the lease; retrying until the renew deadline');
      }
    }
    clearTimeout(deadline);
    signal.removeEventListener('abort', onShutdown);
    const reason: unknown = term.signal.reason;
    if (reason instanceof LeadershipLostError) this.#log.error({ err: reason }, 'Leader election lost');
    await work;
    this.#setLeading(false);
    if (workError) throw workError;
  }

  /** One client-go tryAcquireOrRenew: true when we hold the Lease afterwards. Never throws. */
  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const lock = this.#o.lock;
    const now = formatMicroTime(this.#o.wallClock());
    const desired: LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.#o.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    const renewed = await this.#renewOptimistically(desired, signal);
    if (renewed !== undefined) return renewed;
    try {
      const current = await lock.get(signal);
      if (!current) {
        this.#observe(await lock.create(desired, signal));
        return true;
      }
      this.#observe(current);
      const record = current.spec ?? {};
      const holder = record.holderIdentity ?? '';
      if (holder !== '' && holder !== this.identity && this.#expiresAt(record) > this.#o.now()) {
        return false; // held by someone else and not expired
      }
      if (holder === this.identity) {
        desired.acquireTime = record.acquireTime ?? now;
        desired.leaseTransitions = record.leaseTransitions ?? 0;
      } else {
        desired.leaseTransitions = (record.leaseTransitions ?? 0) + 1;
      }
      this.#observe(await lock.update(current, desired, signal));
      return true;
    } catch (e) {
      if (isConflict(e) || isAlreadyExists(e)) {
        this.#log.debug('Lost a race for the lease');
      } else if (!signal.aborted) {
        this.#log.warn({ err: e }, 'Error retrieving or updating the lease');
      }
      return false;
    }
  }

  /**
   * client-go's fast path: while we hold a Lease that has not expired, write the renewal against the Lease
   * as we last saw it, without reading it first — one request per renewal instead of two. Undefined means
   * "take the slow path" (not leading, or the write failed: someone wrote in between, or an error); false
   * means the attempt was aborted.
   */
  async #renewOptimistically(desired: LeaseSpec, signal: AbortSignal): Promise<boolean | undefined> {
    const observed = this.#observed;
    const record = observed?.spec;
    if (!observed || record?.holderIdentity !== this.identity) return undefined;
    if (this.#expiresAt(record) <= this.#o.now()) return undefined;
    desired.acquireTime = record.acquireTime ?? desired.acquireTime;
    desired.leaseTransitions = record.leaseTransitions ?? 0;
    try {
      this.#observe(await this.#o.lock.update(observed, desired, signal));
      return true;
    } catch (e) {
      if (signal.aborted) return false;
      this.#log.debug({ err: e }, 'Failed to update the lease optimistically; falling back to a read');
      return undefined;
    }
  }

  /** client-go's jittered retry period, but no later than just after the observed holder's lease expires. */
  #nextAttemptIn(): number {
    const retry = this.#o.retryPeriodMs * (1 + this.#o.random() * JITTER_FACTOR);
    const record = this.#observed?.spec;
    if (!record?.holderIdentity || record.holderIdentity === this.identity) return retry;
    const expiresIn = this.#expiresAt(record) - this.#o.now() + 20;
    return Math.max(20, Math.min(retry, expiresIn));
  }

  /** When (monotonic) the observed record expires: its lease duration after we saw it change. */
  #expiresAt(record: LeaseSpec): number {
    return this.#observedAt + (record.leaseDurationSeconds ?? Math.ceil(this.#o.leaseDurationMs / 1000)) * 1000;
  }

  /** A Lease seen by the watch: observed like a read, unless it is older than what we already have. */
  #observeWatched(lease: Lease): void {
    const seen = this.#observed?.metadata.resourceVersion;
    const next = lease.metadata.resourceVersion;
    if (seen && next && /^\d+$/.test(seen) && /^\d+$/.test(next) && BigInt(next) <= BigInt(seen)) return;
    this.#observe(lease);
    if (!lease.spec?.holderIdentity) this.#wakeCandidate?.(); // released: no need to wait
  }

  #observe(lease: Lease): void {
    const record = JSON.stringify(lease.spec ?? {});
    const previousHolder = this.#observed?.spec?.holderIdentity ?? '';
    this.#observed = lease;
    if (record !== this.#observedRecord) {
      this.#observedRecord = record;
      this.#observedAt = this.#o.now();
    }
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder !== previousHolder && holder !== '') {
      this.#log.info({ leader: holder }, 'New leader elected');
      this.#o.onNewLeader?.(holder);
    }
  }

  /** client-go release: clear the holder if it is still us, so a standby need not wait for expiry. */
  async #release(): Promise<void> {
    const observed = this.#observed;
    if (observed?.spec?.holderIdentity !== this.identity) return;
    const now = formatMicroTime(this.#o.wallClock());
    const timeout = timeoutSignal(this.#o.releaseTimeoutMs);
    try {
      const released = await this.#o.lock.update(
        observed,
        {
          holderIdentity: '',
          leaseDurationSeconds: 1,
          acquireTime: now,
          renewTime: now,
          leaseTransitions: observed.spec.leaseTransitions ?? 0,
        },
        timeout.signal,
      );
      this.#observe(released);
      this.#log.info('Released the lease');
    } catch (e) {
      // Someone else holds it by now, or the apiserver is gone: the lease expires on its own.
      this.#log.warn({ err: e }, 'Could not release the lease');
    } finally {
      timeout.clear();
    }
  }

  #setLeading(leading: boolean): void {
    this.#leading = leading;
    this.#o.onLeadingChange?.(leading);
  }
}

/** AbortSignal.timeout on the global timers (which mock timers control), with a way to cancel it. */
function timeoutSignal(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${Math.round(ms)} ms`)), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (global timers, so mock timers apply). */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
