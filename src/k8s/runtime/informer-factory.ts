/**
 * @module runtime/informer-factory
 * One shared informer per (resource, namespace, selectors), so every controller watching pods reads
 * the same cache and the apiserver sees one watch. Informers requested after `start` start at once.
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../client/client.ts';
import type { KubeObject } from '../client/objects.ts';
import { qualifiedResource, type ResourceRef } from '../client/resources.ts';
import { Informer, stripManagedFields, type InformerOptions } from './informer.ts';
import { clientListerWatcher, type ListWatchScope } from './list-watcher.ts';
import type { IndexFunc } from './store.ts';
import { silentLogger } from './log.ts';

export interface InformerRequest<T> extends ListWatchScope {
  indexers?: Record<string, IndexFunc<T>>;
  /**
   * Keeps only the fields the controllers read, after the factory's transform (the first request of a
   * shared informer decides: requests for the same scope must agree).
   */
  transform?: (object: T) => T;
}

export interface InformerFactoryOptions {
  logger?: Logger;
  resyncPeriodMs?: number;
  reflector?: InformerOptions<KubeObject>['reflector'];
  /** Applied to every cached object of every informer. Default: stripManagedFields (as controller-runtime's caches). */
  transform?: ((object: KubeObject) => KubeObject) | null;
}

export class InformerFactory {
  readonly #client: KubeClient;
  readonly #options: InformerFactoryOptions;
  readonly #informers = new Map<string, Informer<KubeObject>>();
  #signal: AbortSignal | undefined;
  readonly #runs: Promise<void>[] = [];

  constructor(client: KubeClient, options: InformerFactoryOptions = {}) {
    this.#client = client;
    this.#options = options;
  }

  /** The shared informer for this resource and scope (created on first request). */
  informerFor<T extends KubeObject>(ref: ResourceRef, request: InformerRequest<T> = {}): Informer<T> {
    const { indexers, transform, ...scope } = request;
    const key = JSON.stringify([
      ref.group,
      ref.version,
      ref.resource,
      scope.namespace,
      scope.labelSelector,
      scope.fieldSelector,
    ]);
    let informer = this.#informers.get(key) as Informer<T> | undefined;
    if (!informer) {
      informer = new Informer<T>(clientListerWatcher<T>(this.#client, ref, scope), {
        name: qualifiedResource(ref) + (scope.namespace ? ` in ${scope.namespace}` : ''),
        logger: this.#options.logger ?? silentLogger(),
        resyncPeriodMs: this.#options.resyncPeriodMs,
        reflector: this.#options.reflector,
        transform: composeTransforms(
          this.#options.transform === undefined ? stripManagedFields : (this.#options.transform ?? undefined),
          transform,
        ),
      });
      this.#informers.set(key, informer as unknown as Informer<KubeObject>);
      if (this.#signal) this.#runs.push(informer.run(this.#signal));
    }
    if (indexers) informer.addIndexers(indexers);
    return informer;
  }

  /** Starts every informer (and those requested later) until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (this.#signal) return;
    this.#signal = signal;
    for (const informer of this.#informers.values()) this.#runs.push(informer.run(signal));
  }

  /** True when every informer created so far has synced. */
  hasSynced(): boolean {
    return [...this.#informers.values()].every((i) => i.hasSynced());
  }

  /** Resolves true once every informer has synced, false if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.#informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Resolves when every started informer has stopped (after the start signal aborted). */
  async stopped(): Promise<void> {
    await Promise.all(this.#runs);
  }
}

function composeTransforms<T extends KubeObject>(
  first: ((object: KubeObject) => KubeObject) | undefined,
  second: ((object: T) => T) | undefined,
): ((object: T) => T) | undefined {
  if (!first) return second;
  if (!second) return first as unknown as (object: T) => T;
  return (object) => second(first(object) as T);
}
