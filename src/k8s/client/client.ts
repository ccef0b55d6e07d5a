/**
 * @module kube/client
 * A small JSON REST client for any resource addressed by a ResourceRef. Objects go over the wire as
 * plain JSON, untouched (no typed serializer that could drop fields it does not know).
 *
 * Every request passes a client-side token bucket (QPS/burst, like client-go's rest.Config) and has a
 * deadline. Failures are typed (see ./errors.ts). Retries are limited to what is always safe: a 401
 * once after refreshing credentials, a GET once after a connection failure, and 429/5xx answers
 * carrying Retry-After (the server asked for it).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pkg from '../../../package.json' with { type: 'json' };
import { connectionFromKubeConfig, type Connection, type KubeConfigSource } from './connection.ts';
import { HttpTransport, type HttpRequest } from './transport.ts';
import { TokenBucket } from './token-bucket.ts';
import {
  ApiError,
  WatchDecodeError,
  errorFromResponse,
  isUnauthorized,
  TooManyRequestsError,
  TransportError,
  type Status,
} from './errors.ts';
import { queryString, resourcePath, type QueryValue } from './paths.ts';
import type { ResourceRef } from './resources.ts';
import { decodeWatchStream, type WatchEvent } from './watch-stream.ts';
import type { KubeObject } from './objects.ts';

export interface ClientOptions {
  /** Sustained client-side request rate; ≤ 0 disables limiting. Default 500. */
  qps?: number;
  /** Requests allowed in a burst above `qps`. Default 500. */
  burst?: number;
  /** Default per-request deadline (ms). Default 30 000. Watches use it only until the stream opens. */
  timeoutMs?: number;
  userAgent?: string;
  /** Max retries of 429/5xx answers that carry Retry-After. Default 5. */
  maxRetries?: number;
  /** Told about every attempt's outcome (metrics: rest_client_requests_total). Must not throw. */
  onResponse?: (event: ResponseEvent) => void;
}

export interface ResponseEvent {
  method: string;
  /** host:port of the apiserver. */
  host: string;
  /** HTTP status code as text, or "<error>" when there was no answer (client-go's label). */
  code: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ObjectKey {
  /** Omit for cluster-scoped resources. */
  namespace?: string;
  name: string;
}

export interface ListOptions extends RequestOptions {
  /** Omit to list a namespaced resource across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the server may return fewer and a `continue` token. */
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export interface WriteOptions extends RequestOptions {
  fieldManager?: string;
  dryRun?: boolean;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  // JSON is valid YAML, and the apiserver reads apply bodies as YAML.
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  type: PatchType;
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  subresource?: string;
}

export interface ApplyOptions extends RequestOptions {
  fieldManager: string;
  force?: boolean;
  subresource?: string;
  dryRun?: boolean;
}

export interface DeleteOptions extends RequestOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only if the object still has this uid / resourceVersion (409 Conflict otherwise). */
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export interface WatchOptions {
  namespace?: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  /** Server-side duration of the watch; the stream ends cleanly after it. */
  timeoutSeconds?: number;
}

export const DEFAULT_QPS = 500;
export const DEFAULT_BURST = 500;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_RETRY_AFTER_S = 10;

const goArch: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm' };

/** `lws-ts/<version> (<os>/<arch>)`, with Go's os/arch spelling like client-go's default user agent. */
export function defaultUserAgent(): string {
  return `lws-ts/${pkg.version} (${process.platform}/${goArch[process.arch] ?? process.arch})`;
}

/** What views made by `withSignal` share with their parent: one connection, one rate limiter. */
interface Shared {
  transport: HttpTransport;
  connection: Connection;
  limiter: TokenBucket;
  timeoutMs: number;
  maxRetries: number;
  onResponse?: (event: ResponseEvent) => void;
}

export class KubeClient {
  readonly #transport: HttpTransport;
  readonly #connection: Connection;
  readonly #limiter: TokenBucket;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #onResponse: ((event: ResponseEvent) => void) | undefined;
  /** Aborts every request of this view (see withSignal). */
  readonly #bound: AbortSignal | undefined;

  constructor(connection: Connection, options: ClientOptions = {}, shared?: Shared, bound?: AbortSignal) {
    this.#connection = shared?.connection ?? connection;
    this.#transport = shared?.transport ?? new HttpTransport(connection, options.userAgent ?? defaultUserAgent());
    this.#limiter = shared?.limiter ?? new TokenBucket(options.qps ?? DEFAULT_QPS, options.burst ?? DEFAULT_BURST);
    this.#timeoutMs = shared?.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxRetries = shared?.maxRetries ?? options.maxRetries ?? 5;
    this.#onResponse = shared ? shared.onResponse : options.onResponse;
    this.#bound = bound;
  }

  /**
   * A view of this client whose every request (including open watches) is aborted when `signal` aborts,
   * sharing the connection and rate limiter. Hand it to work that must stop at once when its scope ends,
   * such as controllers whose leadership was lost.
   */
  withSignal(signal: AbortSignal): KubeClient {
    const shared: Shared = {
      transport: this.#transport,
      connection: this.#connection,
      limiter: this.#limiter,
      timeoutMs: this.#timeoutMs,
      maxRetries: this.#maxRetries,
      onResponse: this.#onResponse,
    };
    const bound = this.#bound ? AbortSignal.any([this.#bound, signal]) : signal;
    return new KubeClient(this.#connection, {}, shared, bound);
  }

  static async fromKubeConfig(kc: KubeConfigSource, options?: ClientOptions): Promise<KubeClient> {
    return new KubeClient(await connectionFromKubeConfig(kc), options);
  }

  /** Closes idle keep-alive sockets (open watches end when their signals abort). */
  close(): void {
    this.#connection.agent.destroy();
  }

  get server(): URL {
    return this.#connection.server;
  }

  async get<T>(ref: ResourceRef, key: ObjectKey, options: RequestOptions = {}): Promise<T> {
    return this.#json<T>({ method: 'GET', path: resourcePath(ref, key) }, options);
  }

  /** One page; follow `metadata.continue` for more, or use listAll. */
  async list<T>(ref: ResourceRef, options: ListOptions = {}): Promise<ObjectList<T>> {
    const query = queryString({
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
      resourceVersionMatch: options.resourceVersionMatch,
    });
    const path = resourcePath(ref, { namespace: options.namespace }) + query;
    return this.#json<ObjectList<T>>({ method: 'GET', path }, options);
  }

  /** Every page of a list (default page size 500) as one list; all pages share one resourceVersion. */
  async listAll<T>(ref: ResourceRef, options: ListOptions = {}): Promise<ObjectList<T>> {
    const items: T[] = [];
    let page: ObjectList<T>;
    let token: string | undefined;
    do {
      page = await this.list<T>(ref, { ...options, limit: options.limit ?? 500, continue: token });
      items.push(...(page.items ?? []));
      token = page.metadata?.continue || undefined;
    } while (token);
    return { ...page, metadata: { resourceVersion: page.metadata?.resourceVersion }, items };
  }

  async create<T extends KubeObject>(ref: ResourceRef, object: T, options: WriteOptions = {}): Promise<T> {
    const namespace = ref.namespaced ? object.metadata.namespace : undefined;
    if (ref.namespaced && !namespace) throw new TypeError(`${ref.kind} has no metadata.namespace`);
    const path = resourcePath(ref, { namespace }) + writeQuery(options);
    return this.#json<T>({ method: 'POST', path, body: JSON.stringify(object) }, options);
  }

  /** PUT; fails with ConflictError when metadata.resourceVersion is stale. */
  async update<T extends KubeObject>(ref: ResourceRef, object: T, options: WriteOptions = {}): Promise<T> {
    return this.#put(ref, object, undefined, options);
  }

  async updateStatus<T extends KubeObject>(ref: ResourceRef, object: T, options: WriteOptions = {}): Promise<T> {
    return this.#put(ref, object, 'status', options);
  }

  async patch<T>(ref: ResourceRef, key: ObjectKey, patch: unknown, options: PatchOptions): Promise<T> {
    if (options.type === 'apply' && !options.fieldManager) {
      throw new TypeError('server-side apply needs a fieldManager');
    }
    const query = writeQuery(options, options.type === 'apply' ? options.force : undefined);
    const path = resourcePath(ref, { ...key, subresource: options.subresource }) + query;
    const body = typeof patch === 'string' ? patch : JSON.stringify(patch);
    return this.#json<T>({ method: 'PATCH', path, body, contentType: PATCH_CONTENT_TYPES[options.type] }, options);
  }

  /** Server-side apply of a (partial) object; namespace and name come from its metadata. */
  async apply<T>(ref: ResourceRef, object: KubeObject, options: ApplyOptions): Promise<T> {
    const key = keyOf(ref, object);
    return this.patch<T>(ref, key, object, { ...options, type: 'apply' });
  }

  /** Returns the server's answer: the object (when finalizers delay deletion) or a Status. */
  async delete(ref: ResourceRef, key: ObjectKey, options: DeleteOptions = {}): Promise<KubeObject | Status> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
    if (options.dryRun) body.dryRun = ['All'];
    const path = resourcePath(ref, key);
    return this.#json({ method: 'DELETE', path, body: JSON.stringify(body) }, options);
  }

  /**
   * Watch events until the server ends the stream (timeoutSeconds), the signal aborts, or the caller
   * stops iterating. A watch ERROR event is thrown as its typed ApiError (e.g. GoneError on 410).
   */
  async *watch<T>(
    ref: ResourceRef,
    options: WatchOptions = {},
    callerSignal?: AbortSignal,
  ): AsyncGenerator<WatchEvent<T>> {
    const signal = this.#signal(callerSignal);
    const query = queryString({
      watch: true,
      resourceVersion: options.resourceVersion,
      allowWatchBookmarks: options.allowWatchBookmarks,
      timeoutSeconds: options.timeoutSeconds,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    });
    const request: HttpRequest = {
      method: 'GET',
      path: resourcePath(ref, { namespace: options.namespace }) + query,
      signal,
      timeoutMs: this.#timeoutMs,
    };
    const stream = await this.#withRetries(request, async () => {
      const s = await this.#transport.stream(request);
      if (s.status >= 200 && s.status < 300) return s;
      const chunks: Buffer[] = [];
      for await (const c of s.body) chunks.push(c as Buffer);
      s.close();
      throw errorFromResponse(s.status, Buffer.concat(chunks).toString('utf8'), header(s.headers['retry-after']));
    });
    try {
      yield* decodeWatchStream<T>(stream.body);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof ApiError || error instanceof WatchDecodeError) throw error;
      throw new TransportError(request.method, request.path, error);
    } finally {
      stream.close();
    }
  }

  /** Any request by raw path (e.g. /apis/.../scale, /version); the JSON answer, or undefined when empty. */
  async request<T>(method: string, path: string, body?: unknown, contentType?: string, options: RequestOptions = {}) {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return this.#json<T>({ method, path, body: text, contentType }, options);
  }

  #put<T extends KubeObject>(ref: ResourceRef, object: T, subresource: string | undefined, options: WriteOptions) {
    const path = resourcePath(ref, { ...keyOf(ref, object), subresource }) + writeQuery(options);
    return this.#json<T>({ method: 'PUT', path, body: JSON.stringify(object) }, options);
  }

  async #json<T>(request: HttpRequest, options: RequestOptions): Promise<T> {
    const signal = this.#signal(options.signal);
    const full: HttpRequest = { ...request, signal, timeoutMs: options.timeoutMs ?? this.#timeoutMs };
    const res = await this.#withRetries(full, async () => {
      const r = await this.#transport.exchange(full);
      if (r.status >= 200 && r.status < 300) return r;
      throw errorFromResponse(r.status, r.body, header(r.headers['retry-after']));
    });
    return (res.body ? JSON.parse(res.body) : undefined) as T;
  }

  #signal(caller: AbortSignal | undefined): AbortSignal | undefined {
    if (!this.#bound) return caller;
    return caller ? AbortSignal.any([this.#bound, caller]) : this.#bound;
  }

  #report(method: string, outcome: unknown): void {
    if (!this.#onResponse) return;
    const status = (outcome as { status?: number })?.status;
    const code = typeof status === 'number' ? status : outcome instanceof ApiError ? outcome.code : undefined;
    try {
      this.#onResponse({ method, host: this.#connection.server.host, code: code ? String(code) : '<error>' });
    } catch {
      // metrics must never break a request
    }
  }

  /** Rate-limits each attempt; retries a 401 once with fresh credentials, and honours Retry-After. */
  async #withRetries<R>(request: HttpRequest, attempt: () => Promise<R>): Promise<R> {
    let refreshedCredentials = false;
    let retriedTransport = false;
    for (let retries = 0; ; retries++) {
      await this.#limiter.take(request.signal);
      try {
        const result = await attempt();
        this.#report(request.method, result);
        return result;
      } catch (e) {
        if (!request.signal?.aborted) this.#report(request.method, e);
        if (isUnauthorized(e) && !refreshedCredentials) {
          refreshedCredentials = true;
          this.#connection.credentials.invalidate();
          continue;
        }
        // A keep-alive socket the server closed just as we reused it: a GET is always safe to resend once.
        if (e instanceof TransportError && request.method === 'GET' && !retriedTransport) {
          retriedTransport = true;
          continue;
        }
        const wait = retryAfterMs(e);
        if (wait === undefined || retries >= this.#maxRetries) throw e;
        await sleep(wait, undefined, { signal: request.signal });
      }
    }
  }
}

function retryAfterMs(e: unknown): number | undefined {
  const error = e as ApiError;
  if (error?.retryAfterSeconds === undefined) return undefined;
  if (!(error instanceof TooManyRequestsError) && !(error.code >= 500)) return undefined;
  return Math.min(error.retryAfterSeconds, MAX_RETRY_AFTER_S) * 1000;
}

function writeQuery(options: WriteOptions, force?: boolean): string {
  const params: Record<string, QueryValue> = {
    fieldManager: options.fieldManager,
    fieldValidation: options.fieldValidation,
    dryRun: options.dryRun ? 'All' : undefined,
    force,
  };
  return queryString(params);
}

function keyOf(ref: ResourceRef, object: KubeObject): ObjectKey {
  const name = object.metadata?.name;
  if (!name) throw new TypeError(`${ref.kind} has no metadata.name`);
  return { namespace: ref.namespaced ? object.metadata.namespace : undefined, name };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
