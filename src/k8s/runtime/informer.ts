/**
 * @module runtime/informer
 * A shared informer for one resource: a reflector feeding an indexed cache, and event handlers told
 * about every change (with the old object on updates).
 *
 * A relist replaces the cache: objects that appeared are adds, objects whose resourceVersion changed
 * are updates, and objects that vanished are deletes with `finalStateUnknown` (their deletion happened
 * while we were not watching, so the object passed is the last state we saw). The cache is updated
 * before handlers run, so handlers always read the new state.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../client/objects.ts';
import type { WatchEvent } from '../client/watch-stream.ts';
import type { ListerWatcher } from './list-watcher.ts';
import { Reflector, type ReflectorOptions, type ReflectorSink } from './reflector.ts';
import { Store, keyOf, objectKey, type IndexFunc } from './store.ts';
import { silentLogger } from './log.ts';

export interface DeleteInfo {
  /** True when the delete was inferred from a relist, not seen as a watch event. */
  finalStateUnknown: boolean;
}

export interface EventHandler<T> {
  /** `initialList` is true for objects of the first list (and replays to late handlers). */
  onAdd?(object: T, initialList: boolean): void;
  onUpdate?(oldObject: T, newObject: T): void;
  onDelete?(object: T, info: DeleteInfo): void;
}

export interface InformerOptions<T> {
  /** For logs, e.g. "statefulsets.apps". */
  name?: string;
  indexers?: Record<string, IndexFunc<T>>;
  logger?: Logger;
  /** Re-deliver every cached object as an update this often (ms). Default: never. */
  resyncPeriodMs?: number;
  reflector?: Omit<ReflectorOptions, 'logger'>;
  /**
   * Applied to every listed or watched object before it is cached and handed to handlers (client-go's
   * TransformFunc): keep only what the controllers read. It may modify and return its argument (the
   * object was just decoded and nothing else holds it).
   */
  transform?: (object: T) => T;
}

/** A transform that drops metadata.managedFields (never read by a controller, often half an object). */
export function stripManagedFields<T extends KubeObject>(object: T): T {
  if (object?.metadata?.managedFields !== undefined) delete object.metadata.managedFields;
  return object;
}

type Change<T> =
  | { kind: 'add'; object: T }
  | { kind: 'update'; old: T; object: T }
  | { kind: 'delete'; object: T; finalStateUnknown: boolean };

export class Informer<T extends KubeObject> implements ReflectorSink<T> {
  readonly name: string;
  readonly #store: Store<T>;
  readonly #reflector: Reflector<T>;
  readonly #handlers = new Set<EventHandler<T>>();
  readonly #log: Logger;
  readonly #resyncPeriodMs: number | undefined;
  readonly #transform: ((object: T) => T) | undefined;
  #synced = false;
  #syncWaiters: Array<() => void> = [];
  #running: Promise<void> | undefined;

  constructor(lw: ListerWatcher<T>, options: InformerOptions<T> = {}) {
    this.name = options.name ?? 'informer';
    this.#log = (options.logger ?? silentLogger()).child({ informer: this.name });
    this.#store = new Store<T>(options.indexers);
    this.#reflector = new Reflector<T>(lw, this, { ...options.reflector, logger: this.#log });
    this.#resyncPeriodMs = options.resyncPeriodMs;
    this.#transform = options.transform;
  }

  /** Lists and watches until `signal` aborts. Idempotent: later calls return the same run. */
  run(signal: AbortSignal): Promise<void> {
    this.#running ??= this.#run(signal);
    return this.#running;
  }

  /** True once the first full list is in the cache. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves true once synced, or false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.#syncWaiters = this.#syncWaiters.filter((w) => w !== done);
        resolve(false);
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      };
      this.#syncWaiters.push(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Registers a handler; objects already cached are replayed to it as adds. Returns an unsubscribe. */
  addEventHandler(handler: EventHandler<T>): () => void {
    this.#handlers.add(handler);
    for (const object of this.#store.list()) this.#call(handler, { kind: 'add', object }, true);
    return () => this.#handlers.delete(handler);
  }

  /** Adds indexes (also over objects already cached). */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    this.#store.addIndexers(indexers);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#store.get(keyOf(namespace, name));
  }

  getByKey(key: string): T | undefined {
    return this.#store.get(key);
  }

  /** Every cached object, or those of one namespace. Read-only: clone before modifying. */
  list(namespace?: string): T[] {
    return this.#store.list(namespace);
  }

  byIndex(index: string, value: string): T[] {
    return this.#store.byIndex(index, value);
  }

  get lastSyncResourceVersion(): string {
    return this.#reflector.lastSyncResourceVersion;
  }

  /** @internal ReflectorSink: a full list replaces the cache. */
  replace(items: T[], resourceVersion: string): void {
    const changes: Change<T>[] = [];
    const seen = new Set<string>();
    const transform = this.#transform;
    for (const item of items) {
      const object = transform ? transform(item) : item;
      const key = objectKey(object);
      seen.add(key);
      const old = this.#store.upsert(object);
      if (!old) changes.push({ kind: 'add', object });
      else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) {
        changes.push({ kind: 'update', old, object });
      }
    }
    for (const key of [...this.#store.keys()]) {
      if (seen.has(key)) continue;
      const old = this.#store.delete(key)!;
      changes.push({ kind: 'delete', object: old, finalStateUnknown: true });
    }
    const initial = !this.#synced;
    this.#log.debug({ items: items.length, changes: changes.length, resourceVersion }, 'Replaced cache');
    for (const change of changes) this.#dispatch(change, initial);
    if (initial) {
      this.#synced = true;
      for (const resolve of this.#syncWaiters.splice(0)) resolve();
    }
  }

  /** @internal ReflectorSink: one watch event. */
  apply(event: WatchEvent<T>): void {
    const object = event.object && this.#transform ? this.#transform(event.object) : event.object;
    if (!object?.metadata?.name) {
      this.#log.warn({ type: event.type }, 'Ignoring a watch event without metadata.name');
      return;
    }
    if (event.type === 'DELETED') {
      this.#store.delete(objectKey(object));
      this.#dispatch({ kind: 'delete', object, finalStateUnknown: false }, false);
      return;
    }
    const old = this.#store.upsert(object);
    this.#dispatch(old ? { kind: 'update', old, object } : { kind: 'add', object }, false);
  }

  async #run(signal: AbortSignal): Promise<void> {
    let resync: NodeJS.Timeout | undefined;
    if (this.#resyncPeriodMs && this.#resyncPeriodMs > 0) {
      resync = setInterval(() => this.#resync(), this.#resyncPeriodMs);
    }
    try {
      await this.#reflector.run(signal);
    } finally {
      clearInterval(resync);
    }
  }

  #resync(): void {
    if (!this.#synced) return;
    for (const object of this.#store.list()) this.#dispatch({ kind: 'update', old: object, object }, false);
  }

  #dispatch(change: Change<T>, initial: boolean): void {
    for (const handler of this.#handlers) this.#call(handler, change, initial);
  }

  /** Handlers only enqueue; one that throws is logged and must not break the informer. */
  #call(handler: EventHandler<T>, change: Change<T>, initial: boolean): void {
    try {
      if (change.kind === 'add') handler.onAdd?.(change.object, initial);
      else if (change.kind === 'update') handler.onUpdate?.(change.old, change.object);
      else handler.onDelete?.(change.object, { finalStateUnknown: change.finalStateUnknown });
    } catch (error) {
      this.#log.error({ err: error, event: change.kind }, 'Event handler failed');
    }
  }
}
