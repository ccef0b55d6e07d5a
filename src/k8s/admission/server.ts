/**
 * @module admission/server
 * An HTTPS server for admission webhooks: routes AdmissionReview requests by path to handlers, and swaps
 * its serving certificate without a restart (new connections get the new one).
 *
 * Bad requests on a webhook path are answered as controller-runtime's webhook answers them: HTTP 200 with an
 * AdmissionReview whose response is `allowed: false` with a status code and a message naming the problem
 * (empty body 400, body over 7 MiB 413, content type other than application/json 400, undecodable JSON 400),
 * plus what controller-runtime leaves to its decoder (wrong kind/apiVersion, no `request`: 400). Any other
 * path is Go's mux 404. Connection settings (keep-alive, header and request timeouts) are Go's, see
 * runtime/http-listen. Memory stays bounded under hostile clients: one body is at most `maxBodyBytes`, all
 * bodies being read at once at most `maxInFlightBytes` (beyond it: 429), a trickling client is cut off by the
 * request timeout (408).
 */
import { closeServer, listenOn, serverOptions, withServerLimits, type ServerTimeouts } from '../runtime/http-listen.ts';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toResponse, type AdmissionHandler, type AdmissionRequest, type AdmissionResponse } from './review.ts';

export interface ServingCertificate {
  certPem: string;
  keyPem: string;
}

export interface WebhookServerOptions {
  host?: string;
  port: number;
  certificate: ServingCertificate;
  handlers: Record<string, AdmissionHandler>;
  /** TLS floor and TLS ≤ 1.2 cipher list (OpenSSL names); default TLS 1.2 and Node's ciphers. */
  tls?: { minVersion?: 'TLSv1.2' | 'TLSv1.3'; ciphers?: string };
  /** Called when a request for a registered path arrives (metrics: requests in flight). */
  onRequestStart?: (path: string) => void;
  /** Called after each request for a registered path (metrics, logs). */
  onRequest?: (event: { path: string; code: number; allowed?: boolean; durationMs: number; error?: unknown }) => void;
  /** Largest accepted request body; default controller-runtime's 7 MiB (two 3 MiB objects and the rest). */
  maxBodyBytes?: number;
  /** Most request-body bytes held at once over all connections; default 64 MiB. */
  maxInFlightBytes?: number;
  /** Connection timeouts; default Go's (runtime/http-listen GO_SERVER_TIMEOUTS). Tests shorten them. */
  timeouts?: Partial<ServerTimeouts>;
}

/** controller-runtime's `maxRequestSize`. */
export const MAX_REQUEST_BYTES = 7 * 1024 * 1024;
export const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

const ADMISSION_VERSIONS = new Set(['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']);

/** A request the server refuses before any handler runs. */
class BadReview extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export class WebhookServer {
  readonly #server: Server;
  readonly #options: WebhookServerOptions;
  #inFlightBytes = 0;

  constructor(options: WebhookServerOptions) {
    this.#options = options;
    this.#server = withServerLimits(
      createServer(
        { ...serverOptions(options.timeouts), ...this.#secureContext(options.certificate) },
        (req, res) => void this.#handle(req, res),
      ),
      options.timeouts,
    );
    // A client that breaks TLS or HTTP framing only loses its own connection (Node answers 400/408/431).
    this.#server.on('tlsClientError', () => {});
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return listenOn(this.#server, this.#options.port, this.#options.host ?? '0.0.0.0');
  }

  /** Serves `certificate` to every new TLS connection from now on. */
  setCertificate(certificate: ServingCertificate): void {
    this.#server.setSecureContext(this.#secureContext(certificate));
  }

  /** Request-body bytes held right now (tests: memory stays bounded). */
  get inFlightBytes(): number {
    return this.#inFlightBytes;
  }

  #secureContext(certificate: ServingCertificate) {
    const tls = this.#options.tls;
    return {
      cert: certificate.certPem,
      key: certificate.keyPem,
      minVersion: tls?.minVersion ?? 'TLSv1.2',
      ...(tls?.ciphers ? { ciphers: tls.ciphers } : {}),
    };
  }

  close(): Promise<void> {
    return closeServer(this.#server);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const handler = Object.hasOwn(this.#options.handlers, path) ? this.#options.handlers[path] : undefined;
    if (!handler) {
      // Go's ServeMux; unknown paths are not counted in the per-path metrics (unbounded label values).
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      return void res.end('404 page not found\n');
    }
    this.#options.onRequestStart?.(path);
    let apiVersion = 'admission.k8s.io/v1';
    const finish = (response: AdmissionResponse, error?: unknown) => {
      const text = JSON.stringify({ apiVersion, kind: 'AdmissionReview', response });
      if (!res.destroyed) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      }
      this.#options.onRequest?.({
        path,
        code: 200,
        allowed: response.allowed,
        durationMs: performance.now() - started,
        error,
      });
    };

    let request: AdmissionRequest;
    try {
      const body = await this.#readBody(req);
      if (body.length === 0) throw new BadReview(400, 'request body is empty');
      const contentType = req.headers['content-type'];
      if (contentType !== 'application/json') {
        throw new BadReview(400, `contentType=${contentType ?? ''}, expected application/json`);
      }
      const review = this.#decode(body);
      apiVersion = review.apiVersion;
      request = review.request;
    } catch (e) {
      if (!(e instanceof BadReview)) throw e;
      req.resume(); // drain what is left (bounded by the request timeout) so the answer reaches the client
      return finish({ uid: '', allowed: false, status: { code: e.code, message: e.message } });
    }
    try {
      finish(toResponse(request.uid, await handler(request)));
    } catch (e) {
      // A bug in a handler must not become an allow: answer with an error the apiserver reports.
      finish(
        toResponse(request.uid, {
          allowed: false,
          status: { code: 500, message: `internal error: ${(e as Error).message}` },
        }),
        e,
      );
    }
  }

  #decode(body: Buffer): { apiVersion: string; request: AdmissionRequest } {
    let review: unknown;
    try {
      review = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new BadReview(400, `cannot decode the AdmissionReview: ${(e as Error).message}`);
    }
    if (!isObject(review)) throw new BadReview(400, 'cannot decode the AdmissionReview: not a JSON object');
    // Like the Go decoder, a missing apiVersion/kind means admission.k8s.io/v1 AdmissionReview.
    const apiVersion = review.apiVersion ?? 'admission.k8s.io/v1';
    const kind = review.kind ?? 'AdmissionReview';
    if (kind !== 'AdmissionReview' || typeof apiVersion !== 'string' || !ADMISSION_VERSIONS.has(apiVersion)) {
      throw new BadReview(
        400,
        `expected kind AdmissionReview of apiVersion admission.k8s.io/v1 or admission.k8s.io/v1beta1, got kind ${JSON.stringify(kind)} of apiVersion ${JSON.stringify(apiVersion)}`,
      );
    }
    const request = review.request;
    if (!isObject(request)) throw new BadReview(400, 'the AdmissionReview has no request');
    for (const field of ['uid', 'operation'] as const) {
      if (typeof request[field] !== 'string' || request[field] === '') {
        throw new BadReview(400, `request.${field}: Required value: must be a non-empty string`);
      }
    }
    return { apiVersion, request: request as unknown as AdmissionRequest };
  }

  /** The whole body, or a BadReview (413 too large, 429 too many bytes in flight, 400 unreadable). */
  #readBody(req: IncomingMessage): Promise<Buffer> {
    const limit = this.#options.maxBodyBytes ?? MAX_REQUEST_BYTES;
    const budget = this.#options.maxInFlightBytes ?? MAX_IN_FLIGHT_BYTES;
    const tooLarge = () => new BadReview(413, `request entity is too large; limit is ${limit} bytes`);
    if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (error?: BadReview) => {
        if (settled) return;
        settled = true;
        this.#inFlightBytes -= size;
        req.off('data', onData);
        if (error) reject(error);
        else resolve(Buffer.concat(chunks, size));
        chunks.length = 0;
      };
      const onData = (chunk: Buffer) => {
        if (size + chunk.length > limit) return settle(tooLarge());
        if (this.#inFlightBytes + chunk.length > budget) {
          return settle(
            new BadReview(429, `too many request bytes in flight (limit ${budget} over all connections); retry`),
          );
        }
        size += chunk.length;
        this.#inFlightBytes += chunk.length;
        chunks.push(chunk);
      };
      req.on('data', onData);
      req.once('end', () => settle());
      req.once('error', (e) => settle(new BadReview(400, `unable to read the body: ${e.message}`)));
      req.once('close', () => {
        if (!settled) settle(new BadReview(400, 'unable to read the body: the client closed the connection'));
      });
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
