/**
 * @module runtime/list-watcher
 * What a reflector needs from the API: one list page and one watch stream. An interface so the
 * informer can be driven by a fake in unit tests and by the REST client in production.
 */
import type { KubeClient } from '../client/client.ts';
import { apiVersionOf, type ResourceRef } from '../client/resources.ts';
import type { KubeObject } from '../client/objects.ts';
import type { WatchEvent } from '../client/watch-stream.ts';

export interface ListPage<T> {
  items: T[];
  metadata: { resourceVersion?: string; continue?: string };
}

export interface PageRequest {
  limit?: number;
  continue?: string;
}

export interface WatchRequest {
  resourceVersion: string;
  timeoutSeconds: number;
  allowWatchBookmarks: boolean;
}

export interface ListerWatcher<T> {
  list(request: PageRequest, signal: AbortSignal): Promise<ListPage<T>>;
  /** Ends when the server closes the stream; throws typed errors (GoneError when the RV is too old). */
  watch(request: WatchRequest, signal: AbortSignal): AsyncIterable<WatchEvent<T>>;
}

export interface ListWatchScope {
  /** Restricts to one namespace; omit for all namespaces (or cluster-scoped resources). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

// Full lists of big collections can take a while on a busy apiserver.
const LIST_TIMEOUT_MS = 120_000;

export function clientListerWatcher<T extends KubeObject>(
  client: KubeClient,
  ref: ResourceRef,
  scope: ListWatchScope = {},
): ListerWatcher<T> {
  const apiVersion = apiVersionOf(ref);
  return {
    async list(request, signal) {
      const page = await client.list<T>(ref, {
        ...scope,
        limit: request.limit,
        continue: request.continue,
        signal,
        timeoutMs: LIST_TIMEOUT_MS,
      });
      // List items of built-in kinds come without apiVersion/kind, watch objects with them: make the
      // cache hold one shape whichever way an object arrived.
      for (const item of page.items ?? []) {
        item.apiVersion ??= apiVersion;
        item.kind ??= ref.kind;
      }
      return page;
    },
    watch: (request, signal) => client.watch<T>(ref, { ...scope, ...request }, signal),
  };
}
