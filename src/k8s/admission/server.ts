/**
 * @module admission/server
 * An HTTPS server for admission webhooks: routes AdmissionReview requests by path to handlers, and swaps
 * its serving certificate without a restart (new connections get the new one).
 */
import { closeServer, listenOn } from '../runtime/http-listen.ts';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toResponse, type AdmissionHandler, type AdmissionReview } from './review.ts';

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
  /** Called when a request arrives (metrics: requests in flight). */
  onRequestStart?: (path: string) => void;
  /** Called after each request (metrics, logs). */
  onRequest?: (event: { path: string; code: number; allowed?: boolean; durationMs: number; error?: unknown }) => void;
  /** Largest accepted request body (the apiserver caps objects at ~3 MiB). */
  maxBodyBytes?: number;
}

export class WebhookServer {
  readonly #server: Server;
  readonly #options: WebhookServerOptions;

  constructor(options: WebhookServerOptions) {
    this.#options = options;
    this.#server = createServer(this.#secureContext(options.certificate), (req, res) => void this.#handle(req, res));
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return listenOn(this.#server, this.#options.port, this.#options.host ?? '0.0.0.0');
  }

  /** Serves `certificate` to every new TLS connection from now on. */
  setCertificate(certificate: ServingCertificate): void {
    this.#server.setSecureContext(this.#secureContext(certificate));
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
    this.#options.onRequestStart?.(path);
    const finish = (code: number, body: unknown, allowed?: boolean, error?: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      this.#options.onRequest?.({ path, code, allowed, durationMs: performance.now() - started, error });
    };
    const handler = this.#options.handlers[path];
    if (!handler) return finish(404, { message: `no webhook at ${path}` });
    if (req.method !== 'POST') return finish(405, { message: 'only POST is supported' });

    let review: AdmissionReview;
    try {
      review = JSON.parse(await readBody(req, this.#options.maxBodyBytes ?? 8 << 20)) as AdmissionReview;
    } catch (e) {
      return finish(400, { message: `invalid AdmissionReview: ${(e as Error).message}` });
    }
    const request = review.request;
    if (review.kind !== 'AdmissionReview' || !request?.uid) {
      return finish(400, { message: 'expected an admission.k8s.io/v1 AdmissionReview with a request' });
    }
    try {
      const decision = await handler(request);
      const response = toResponse(request.uid, decision);
      finish(200, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }, response.allowed);
    } catch (e) {
      // A bug in a handler must not become an allow: answer with an error the apiserver reports.
      const response = toResponse(request.uid, {
        allowed: false,
        status: { code: 500, message: `internal error: ${(e as Error).message}` },
      });
      finish(200, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }, false, e);
    }
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error(`request body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
