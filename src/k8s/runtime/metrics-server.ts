/**
 * @module runtime/metrics-server
 * Serves the Prometheus registry at /metrics, like controller-runtime's metrics server: HTTPS (HTTP/1.1
 * only) behind an authentication/authorization filter in production, or plain HTTP without one for local
 * development. Any other path is a 404.
 */
import { closeServer, listenOn, serverOptions, withServerLimits, type ServerTimeouts } from './http-listen.ts';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { TlsServerOptions } from '../go/tls.ts';
import type { MetricsFilter } from './metrics-auth.ts';
import { silentLogger } from './log.ts';

export const METRICS_PATH = '/metrics';

export interface MetricsServerOptions {
  host?: string;
  port: number;
  registry: Registry;
  /** HTTPS with this certificate and filter; omit for plain HTTP without authorization. */
  secure?: { certPem: string; keyPem: string; tls: TlsServerOptions; filter: MetricsFilter };
  logger?: Logger;
  /** Connection timeouts; default Go's (see runtime/http-listen). */
  timeouts?: Partial<ServerTimeouts>;
}

export class MetricsServer {
  readonly #server: Server;
  readonly #options: MetricsServerOptions;
  readonly #log: Logger;

  constructor(options: MetricsServerOptions) {
    this.#options = options;
    this.#log = (options.logger ?? silentLogger()).child({ server: 'metrics' });
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.#handle(req, res);
    const secure = options.secure;
    const base = serverOptions(options.timeouts);
    this.#server = withServerLimits(
      secure
        ? createHttpsServer(
            {
              ...base,
              cert: secure.certPem,
              key: secure.keyPem,
              minVersion: secure.tls.minVersion,
              ciphers: secure.tls.ciphers,
            },
            handler,
          )
        : createHttpServer(base, handler),
      options.timeouts,
    );
    if (secure) this.#server.on('tlsClientError', () => {}); // a broken handshake only loses its connection
  }

  /** Serves a new certificate from the next TLS handshake on (a renewed cert-manager certificate). */
  setCertificate(pair: { certPem: string; keyPem: string }): void {
    const secure = this.#options.secure;
    if (!secure) return;
    (this.#server as unknown as TlsServer).setSecureContext({
      cert: pair.certPem,
      key: pair.keyPem,
      minVersion: secure.tls.minVersion,
      ciphers: secure.tls.ciphers,
    });
  }

  /** The bound port (after `listen`). */
  get port(): number {
    return (this.#server.address() as AddressInfo | null)?.port ?? 0;
  }

  get secure(): boolean {
    return this.#options.secure !== undefined;
  }

  listen(): Promise<number> {
    return listenOn(this.#server, this.#options.port, this.#options.host);
  }

  close(): Promise<void> {
    return closeServer(this.#server);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume(); // GET: any body is read and dropped, never buffered
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://metrics').pathname;
    } catch {
      return void text(res, 400, '400 Bad Request');
    }
    if (path !== METRICS_PATH) return void text(res, 404, '404 page not found');
    const filter = this.#options.secure?.filter;
    if (filter) {
      const decision = await filter({ authorization: req.headers.authorization, method: req.method ?? 'GET', path });
      if (!decision.allowed) return void text(res, decision.code, decision.message);
    }
    try {
      const body = await this.#options.registry.metrics();
      res.writeHead(200, { 'content-type': this.#options.registry.contentType }).end(body);
    } catch (e) {
      this.#log.error({ err: e }, 'Collecting metrics failed');
      text(res, 500, 'error gathering metrics');
    }
  }
}

/** Go's http.Error. */
function text(res: ServerResponse, code: number, message: string): void {
  res
    .writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
    .end(`${message}\n`);
}
