/**
 * @module runtime/own-writes
 * Read-your-writes over a watch cache. After a controller updates an object, the next reconcile often
 * starts before the watch has delivered that update, so the cache still shows the version the write
 * replaced; writing again from it is refused with 409 Conflict (one wasted request and a requeue each
 * time — 208 of 600 status writes in `npm run bench`'s 2,000-pod scenario). Remembering the write's answer
 * until the cache moves on lets the next reconcile start from what the server already holds.
 *
 * Only the exact version the write replaced is substituted: any other version in the cache (the echo of
 * our write, or someone else's newer change) is newer information, so the memo is dropped and the cache
 * wins. A memo that is wrong can only cost a 409, never a lost update: writes still carry resourceVersion.
 */
import type { KubeObject } from '../client/objects.ts';

export class OwnWrites<T extends KubeObject> {
  readonly #writes = new Map<string, { replaced: string; answer: T }>();

  /** The object to reconcile from: the cached one, or our last write's answer while the cache lags behind it. */
  view(key: string, cached: T | undefined): T | undefined {
    const write = this.#writes.get(key);
    if (!write) return cached;
    if (cached && cached.metadata.resourceVersion === write.replaced) return write.answer;
    this.#writes.delete(key);
    return cached;
  }

  /** Records a successful write of `sent` (which carried the replaced resourceVersion) answered with `answer`. */
  remember(key: string, sent: T, answer: T): void {
    const replaced = sent.metadata.resourceVersion;
    if (!replaced || !answer.metadata.resourceVersion || answer.metadata.resourceVersion === replaced) return;
    this.#writes.set(key, { replaced, answer });
  }

  forget(key: string): void {
    this.#writes.delete(key);
  }

  get size(): number {
    return this.#writes.size;
  }
}
