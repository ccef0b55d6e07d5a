/**
 * @module runtime/store
 * The informer's cache: objects by "namespace/name" key plus secondary indexes, like client-go's
 * thread-safe store + indexers. Objects are kept exactly as the apiserver sent them (plain JSON);
 * callers must treat them as read-only and clone before changing anything.
 */
import type { KubeObject } from '../client/objects.ts';

/** The values an object is indexed under (none = not indexed). */
export type IndexFunc<T> = (object: T) => readonly string[];

export const BY_NAMESPACE = 'byNamespace';
export const BY_OWNER_UID = 'byOwnerUid';

export const namespaceIndex: IndexFunc<KubeObject> = (o) => (o.metadata.namespace ? [o.metadata.namespace] : []);
export const ownerUidIndex: IndexFunc<KubeObject> = (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid);

/** Indexes objects by the value of one label, optionally scoped to the namespace ("ns/value"). */
export function labelIndex(label: string, options: { namespaced?: boolean } = {}): IndexFunc<KubeObject> {
  return (o) => {
    const value = o.metadata.labels?.[label];
    if (value === undefined) return [];
    return [options.namespaced ? `${o.metadata.namespace ?? ''}/${value}` : value];
  };
}

/** "namespace/name", or "name" for cluster-scoped objects (client-go's MetaNamespaceKeyFunc). */
export function objectKey(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class Store<T extends KubeObject> {
  readonly #items = new Map<string, T>();
  readonly #indexers: Map<string, IndexFunc<T>>;
  /** index name → index value → keys. */
  readonly #indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    this.#indexers = new Map(
      Object.entries({
        [BY_NAMESPACE]: namespaceIndex as IndexFunc<T>,
        [BY_OWNER_UID]: ownerUidIndex as IndexFunc<T>,
        ...indexers,
      }),
    );
    for (const name of this.#indexers.keys()) this.#indices.set(name, new Map());
  }

  get size(): number {
    return this.#items.size;
  }

  /** Adds indexes and indexes the objects already stored; an existing name must not be redefined. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const existing = this.#indexers.get(name);
      if (existing === fn) continue;
      if (existing) throw new Error(`index "${name}" is already defined`);
      this.#indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.#indices.set(name, index);
      for (const [key, object] of this.#items) indexInto(index, fn(object), key);
    }
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  /** All objects, or those of one namespace. */
  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.#items.values()];
    return this.byIndex(BY_NAMESPACE, namespace);
  }

  byIndex(index: string, value: string): T[] {
    const keys = this.#index(index).get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const key of keys) out.push(this.#items.get(key)!);
    return out;
  }

  /** The values present in an index (e.g. every label value seen). */
  indexValues(index: string): string[] {
    return [...this.#index(index).keys()];
  }

  /** Inserts or replaces; returns the previous object. */
  upsert(object: T): T | undefined {
    const key = objectKey(object);
    const old = this.#items.get(key);
    if (old) this.#unindex(key, old);
    this.#items.set(key, object);
    this.#addToIndices(key, object);
    return old;
  }

  /** Removes by key; returns what was stored. */
  delete(key: string): T | undefined {
    const old = this.#items.get(key);
    if (!old) return undefined;
    this.#unindex(key, old);
    this.#items.delete(key);
    return old;
  }

  #index(name: string): Map<string, Set<string>> {
    const index = this.#indices.get(name);
    if (!index) throw new Error(`no index named "${name}"`);
    return index;
  }

  #addToIndices(key: string, object: T): void {
    for (const [name, fn] of this.#indexers) indexInto(this.#indices.get(name)!, fn(object), key);
  }

  #unindex(key: string, object: T): void {
    for (const [name, fn] of this.#indexers) {
      const index = this.#indices.get(name)!;
      for (const value of fn(object)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}

function indexInto(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (!keys) index.set(value, (keys = new Set()));
    keys.add(key);
  }
}
