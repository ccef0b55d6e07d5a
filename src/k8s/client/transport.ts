/**
 * @module kube/transport
 * One HTTP exchange with the apiserver over the connection's keep-alive agent, with a client-side
 * deadline and caller cancellation. Knows nothing about resources, retries or rate limits.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingMessage, type IncomingHttpHeaders } from 'node:http';
import type { Connection } from './connection.ts';
import { RequestTimeoutError, TransportError } from './errors.ts';

export interface HttpRequest {
  method: string;
  /** Path and query, relative to the server URL. */
  path: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Deadline for the whole exchange; for streams, only until the response headers arrive. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpStream {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
  /** Ends the stream and releases the caller-signal listener; idempotent. */
  close(): void;
}

export class HttpTransport {
  readonly #connection: Connection;
  readonly #userAgent: string;
  readonly #basePath: string;

  constructor(connection: Connection, userAgent: string) {
    this.#connection = connection;
    this.#userAgent = userAgent;
    this.#basePath = connection.server.pathname.replace(/\/+$/, '');
  }

  /** Sends the request and reads the whole response body. */
  async exchange(req: HttpRequest): Promise<HttpResponse> {
    const deadline = new Deadline(req.signal, req.timeoutMs);
    try {
      const res = await this.#open(req, deadline.signal);
      const body = await readAll(res);
      return { status: res.statusCode ?? 0, headers: res.headers, body };
    } catch (e) {
      throw deadline.explain(e, req);
    } finally {
      deadline.dispose();
    }
  }

  /** Sends the request and hands back the open response body (watch streams). */
  async stream(req: HttpRequest): Promise<HttpStream> {
    const deadline = new Deadline(req.signal, req.timeoutMs);
    let res: IncomingMessage;
    try {
      res = await this.#open(req, deadline.signal);
    } catch (e) {
      deadline.dispose();
      throw deadline.explain(e, req);
    }
    deadline.clearTimer();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      deadline.dispose();
      res.destroy();
    };
    return { status: res.statusCode ?? 0, headers: res.headers, body: res, close };
  }

  async #open(req: HttpRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const { server, agent, credentials } = this.#connection;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.#userAgent,
      ...(await credentials.headers()),
      ...req.headers,
    };
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    signal.throwIfAborted();
    const send = server.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const r = send(
        {
          protocol: server.protocol,
          hostname: server.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: server.port || undefined,
          path: this.#basePath + req.path,
          method: req.method,
          headers,
          agent,
          signal,
        },
        resolve,
      );
      r.on('error', reject);
      r.end(req.body);
    });
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('response aborted')));
  });
}

/** Joins the caller's signal with a timer, and tells apart who aborted the request. */
class Deadline {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timeoutMs: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timedOut = false;
  readonly #onCallerAbort = () => this.#controller.abort(this.#caller?.reason);

  constructor(caller: AbortSignal | undefined, timeoutMs: number | undefined) {
    this.#caller = caller;
    this.#timeoutMs = timeoutMs;
    if (caller?.aborted) this.#controller.abort(caller.reason);
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
    if (timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      this.#timer = setTimeout(() => {
        this.#timedOut = true;
        this.#controller.abort();
      }, timeoutMs);
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  clearTimer(): void {
    clearTimeout(this.#timer);
  }

  dispose(): void {
    this.clearTimer();
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }

  /** The error to surface: the caller's abort reason, a timeout, or a transport failure. */
  explain(error: unknown, req: HttpRequest): unknown {
    if (this.#caller?.aborted) return this.#caller.reason;
    if (this.#timedOut) return new RequestTimeoutError(req.method, req.path, this.#timeoutMs ?? 0);
    return new TransportError(req.method, req.path, error);
  }
}
