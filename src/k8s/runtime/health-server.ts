/**
 * @module runtime/health-server
 * The probe server on the health address (upstream `:8081`): liveness and readiness endpoints made of
 * named checks, answering exactly like controller-runtime's healthz handler — "ok" when every check
 * passes, otherwise HTTP 500 with one `[+]name ok` / `[-]name failed: reason withheld` line per check;
 * `?verbose` lists the checks on success too, `?exclude=name` skips one, and `/<endpoint>/<name>` runs one.
 */
import { closeServer, listenOn, serverOptions, withServerLimits } from './http-listen.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { silentLogger } from './log.ts';

/** Returns normally when healthy; throws (or rejects) with the reason otherwise. */
export type Check = () => void | Promise<void>;

export const ping: Check = () => {};

export interface HealthServerOptions {
  host?: string;
  port: number;
  livenessPath: string;
  readinessPath: string;
  logger?: Logger;
}

export class HealthServer {
  readonly #server: Server;
  readonly #options: HealthServerOptions;
  readonly #log: Logger;
  readonly #liveness = new Map<string, Check>();
  readonly #readiness = new Map<string, Check>();

  constructor(options: HealthServerOptions) {
    this.#options = options;
    this.#log = (options.logger ?? silentLogger()).child({ server: 'health' });
    this.#server = withServerLimits(createServer(serverOptions(), (req, res) => void this.#handle(req, res)));
  }

  addLivenessCheck(name: string, check: Check): void {
    this.#liveness.set(name, check);
  }

  addReadinessCheck(name: string, check: Check): void {
    this.#readiness.set(name, check);
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return listenOn(this.#server, this.#options.port, this.#options.host);
  }

  close(): Promise<void> {
    return closeServer(this.#server);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://probe');
    } catch {
      return void res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('400 Bad Request\n');
    }
    for (const [base, checks] of [
      [this.#options.livenessPath, this.#liveness],
      [this.#options.readinessPath, this.#readiness],
    ] as const) {
      if (url.pathname === base) return this.#aggregate(checks, url, res);
      if (url.pathname.startsWith(`${base}/`)) return this.#single(checks, url.pathname.slice(base.length + 1), res);
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
  }

  async #aggregate(checks: Map<string, Check>, url: URL, res: ServerResponse): Promise<void> {
    const excluded = new Set(url.searchParams.getAll('exclude').flatMap((e) => e.split(',')));
    const parts: Array<{ name: string; healthy: boolean; excluded: boolean }> = [];
    for (const [name, check] of checks) {
      if (excluded.delete(name)) {
        parts.push({ name, healthy: true, excluded: true });
        continue;
      }
      parts.push({ name, healthy: await passes(check, name, this.#log), excluded: false });
    }
    if (checks.size === 0) parts.push({ name: 'ping', healthy: true, excluded: false });
    parts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const failed = parts.some((p) => !p.healthy);
    res.writeHead(failed ? 500 : 200, {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
    });
    if (!failed && !url.searchParams.has('verbose')) return void res.end('ok');
    const lines = parts.map((p) =>
      p.excluded ? `[+]${p.name} excluded: ok` : p.healthy ? `[+]${p.name} ok` : `[-]${p.name} failed: reason withheld`,
    );
    if (excluded.size > 0) {
      lines.push(
        `warn: some health checks cannot be excluded: no matches for ${[...excluded].map((e) => `"${e}"`).join(',')}`,
      );
    }
    res.end(`${lines.join('\n')}\n${failed ? 'healthz check failed\n' : 'healthz check passed\n'}`);
  }

  async #single(checks: Map<string, Check>, name: string, res: ServerResponse): Promise<void> {
    const check = checks.get(name);
    if (!check)
      return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
    if (await passes(check, name, this.#log))
      return void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok');
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('internal server error: check failed\n');
  }
}

async function passes(check: Check, name: string, log: Logger): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (e) {
    log.debug({ checker: name, err: e }, 'healthz check failed');
    return false;
  }
}
