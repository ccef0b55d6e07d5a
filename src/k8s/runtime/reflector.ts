/**
 * @module runtime/reflector
 * Keeps a sink in step with the apiserver, like client-go's Reflector:
 *
 * 1. paged list (limit 500; if the continue token expires mid-way, one unpaged list), then `replace`;
 * 2. watch from the list's resourceVersion with bookmarks and a random 5–10 minute server timeout,
 *    tracking the resourceVersion of every event and bookmark;
 * 3. when the stream ends cleanly, watch again from the last resourceVersion; on 410 Gone, relist;
 *    on any other error, wait (exponential backoff with jitter) and watch again, or relist if the
 *    list itself failed. The backoff grows over consecutive failures only: a successful list or a watch that
 *    delivers an event starts it over (client-go keeps it for 2 minutes, so after a few apiserver restarts in a
 *    row its reflectors wait up to a minute before watching again; found by `npm run chaos`);
 * 4. a watchdog aborts a stream that stays silent longer than the server's own timeout allows
 *    (a half-open TCP connection would otherwise hang forever), and the loop watches again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isGone } from '../client/errors.ts';
import type { KubeObject } from '../client/objects.ts';
import type { WatchEvent } from '../client/watch-stream.ts';
import { Backoff } from './backoff.ts';
import type { ListerWatcher } from './list-watcher.ts';
import { silentLogger } from './log.ts';

export interface ReflectorSink<T> {
  /** A full list: the sink's new complete state. */
  replace(items: T[], resourceVersion: string): void;
  /** One ADDED, MODIFIED or DELETED event (bookmarks are handled by the reflector). */
  apply(event: WatchEvent<T>): void;
}

export interface ReflectorOptions {
  pageSize?: number;
  /** The watch timeout is drawn from [min, 2·min) seconds. Default 300. */
  minWatchTimeoutSeconds?: number;
  /** Silence after which a stream is presumed dead. Default: the watch's timeout + 30 s. */
  watchIdleTimeoutMs?: number;
  backoff?: Backoff;
  logger?: Logger;
  random?: () => number;
}

/** The watch went silent for longer than allowed and was torn down. */
export class WatchStalledError extends Error {
  constructor(idleMs: number) {
    super(`no watch event for ${Math.round(idleMs / 1000)} s`);
    this.name = 'WatchStalledError';
  }
}

/** A watch that ended at once without events: the server is refusing it; back off. */
class ShortWatchError extends Error {
  constructor() {
    super('watch closed immediately without events');
    this.name = 'ShortWatchError';
  }
}

const SHORT_WATCH_MS = 1000;
/** A watch open this long had connected (a refused or failing one ends within milliseconds). */
const CONNECTED_WATCH_MS = 5000;

export class Reflector<T extends KubeObject> {
  readonly #lw: ListerWatcher<T>;
  readonly #sink: ReflectorSink<T>;
  readonly #pageSize: number;
  readonly #minTimeoutS: number;
  readonly #idleTimeoutMs: number | undefined;
  readonly #backoff: Backoff;
  readonly #log: Logger;
  readonly #random: () => number;
  #resourceVersion = '';

  constructor(lw: ListerWatcher<T>, sink: ReflectorSink<T>, options: ReflectorOptions = {}) {
    this.#lw = lw;
    this.#sink = sink;
    this.#pageSize = options.pageSize ?? 500;
    this.#minTimeoutS = options.minWatchTimeoutSeconds ?? 300;
    this.#idleTimeoutMs = options.watchIdleTimeoutMs;
    this.#backoff = options.backoff ?? new Backoff();
    this.#log = options.logger ?? silentLogger();
    this.#random = options.random ?? Math.random;
  }

  /** The resourceVersion of the last list, event or bookmark seen. */
  get lastSyncResourceVersion(): string {
    return this.#resourceVersion;
  }

  /** Lists and watches until the signal aborts. Never rejects because of API errors. */
  async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    let watchStarted: number | undefined;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.#list(signal);
          needList = false;
          this.#backoff.reset();
        }
        watchStarted = performance.now();
        await this.#watch(signal);
        if (performance.now() - watchStarted >= CONNECTED_WATCH_MS) this.#backoff.reset();
        watchStarted = undefined;
      } catch (error) {
        if (signal.aborted) break;
        // A watch that stayed open a while was connected: this failure is the first of a new outage.
        if (watchStarted !== undefined && performance.now() - watchStarted >= CONNECTED_WATCH_MS) {
          this.#backoff.reset();
        }
        watchStarted = undefined;
        if (isGone(error)) {
          this.#log.info({ resourceVersion: this.#resourceVersion }, 'Resource version expired; relisting');
          needList = true;
        } else {
          this.#log.warn({ err: error, relist: needList }, needList ? 'List failed' : 'Watch failed');
        }
        try {
          await sleep(this.#backoff.next(), undefined, { signal });
        } catch {
          break; // aborted
        }
      }
    }
  }

  async #list(signal: AbortSignal): Promise<void> {
    let items: T[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    try {
      do {
        const page = await this.#lw.list({ limit: this.#pageSize, continue: token }, signal);
        items.push(...(page.items ?? []));
        resourceVersion = page.metadata.resourceVersion ?? '';
        token = page.metadata.continue || undefined;
      } while (token);
    } catch (error) {
      // The continue token outlived etcd's compaction window: start over with one unpaged list.
      if (!(token && isGone(error))) throw error;
      const page = await this.#lw.list({}, signal);
      items = page.items ?? [];
      resourceVersion = page.metadata.resourceVersion ?? '';
    }
    this.#resourceVersion = resourceVersion;
    this.#sink.replace(items, resourceVersion);
    this.#log.debug({ items: items.length, resourceVersion }, 'Listed');
  }

  async #watch(signal: AbortSignal): Promise<void> {
    const timeoutSeconds = Math.floor(this.#minTimeoutS * (1 + this.#random()));
    const idleMs = this.#idleTimeoutMs ?? timeoutSeconds * 1000 + 30_000;
    signal.throwIfAborted(); // a listener added to an already aborted signal would never fire
    const stream = new AbortController();
    const onAbort = () => stream.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let stalled = false;
    const watchdog = setTimeout(() => {
      stalled = true;
      stream.abort(new WatchStalledError(idleMs));
    }, idleMs);
    const started = performance.now();
    let events = 0;
    const request = { resourceVersion: this.#resourceVersion, timeoutSeconds, allowWatchBookmarks: true };
    const iterator = this.#lw.watch(request, stream.signal)[Symbol.asyncIterator]();
    try {
      for (;;) {
        // Raced against the abort so that a source ignoring its signal cannot hang the loop.
        const next = await untilAborted(iterator.next(), stream.signal);
        if (next.done) break;
        watchdog.refresh();
        if (events++ === 0) this.#backoff.reset(); // connected again: the next failure starts from the floor
        const event = next.value;
        const rv = event.object?.metadata?.resourceVersion;
        if (event.type !== 'BOOKMARK') this.#sink.apply(event);
        if (rv) this.#resourceVersion = rv;
      }
    } catch (error) {
      if (stalled) throw new WatchStalledError(idleMs);
      throw error;
    } finally {
      clearTimeout(watchdog);
      signal.removeEventListener('abort', onAbort);
      stream.abort();
      iterator.return?.().catch(() => {});
    }
    if (stalled) throw new WatchStalledError(idleMs);
    if (events === 0 && performance.now() - started < SHORT_WATCH_MS && !signal.aborted) throw new ShortWatchError();
  }
}

function untilAborted<R>(promise: Promise<R>, signal: AbortSignal): Promise<R> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<R>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
