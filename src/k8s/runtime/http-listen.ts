/**
 * @module runtime/http-listen
 * Every HTTP(S) server of the project (probes, metrics, admission, the operator's) is created with the same
 * connection settings and started and stopped the same way. The settings are those of controller-runtime's
 * servers (its `httpserver.New`: Go net/http with IdleTimeout 90 s, ReadHeaderTimeout 32 s, no read or write
 * timeout), mapped onto Node's `http.Server` knobs, whose own defaults differ: Node closes a keep-alive
 * connection after 5 s idle, while the kube-apiserver keeps idle webhook connections ~90 s and does not retry
 * a POST the server closed under it (random `EOF` webhook failures). docs/reliability.md has the table.
 * `listen` rejects with the bind error (e.g. EADDRINUSE) instead of emitting it, and `close` ends keep-alive
 * connections too, so a shutdown never waits for an idle client.
 */
import type { Server, ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Connection limits of a server, in milliseconds (0 = none). */
export interface ServerTimeouts {
  /** How long an idle keep-alive connection is kept (Go `IdleTimeout`). */
  keepAliveTimeoutMs: number;
  /** How long a client may take to send a request's headers (Go `ReadHeaderTimeout`); answered with 408. */
  headersTimeoutMs: number;
  /** How long a client may take to send a whole request, headers and body; answered with 408. */
  requestTimeoutMs: number;
  /** How often Node checks the two timeouts above (their precision). */
  checkIntervalMs: number;
}

/**
 * controller-runtime v0.24's `httpserver.New` (used by its webhook, metrics and probe servers): IdleTimeout
 * 90 s (the client side, Go's http.DefaultTransport and the apiserver's webhook transport, also drops idle
 * connections after 90 s; Node keeps the socket `keepAliveTimeoutBuffer` = 1 s longer, so the client always
 * gives up first), ReadHeaderTimeout 32 s. Go sets no ReadTimeout, so a client trickling a body is never cut
 * off; Node's default is 300 s — we bound it at 60 s, twice the longest webhook timeout the apiserver allows
 * (30 s), so a hostile slow client is answered 408 and cannot hold memory, while a real request (sent at once)
 * is never affected. Idle time between requests counts against none of these.
 */
export const GO_SERVER_TIMEOUTS: ServerTimeouts = Object.freeze({
  keepAliveTimeoutMs: 90_000,
  headersTimeoutMs: 32_000,
  requestTimeoutMs: 60_000,
  checkIntervalMs: 1_000,
});

/**
 * Options for `http.createServer`/`https.createServer` (merge TLS options in). Header size stays Node's
 * 16 KiB (Go's MaxHeaderBytes is 1 MiB; nothing that talks to us sends more than a few KiB, and a lower
 * bound keeps memory per connection small); requests per connection and connections are unlimited, as in Go.
 */
export function serverOptions(timeouts: Partial<ServerTimeouts> = {}): ServerOptions {
  const t = { ...GO_SERVER_TIMEOUTS, ...timeouts };
  return {
    keepAliveTimeout: t.keepAliveTimeoutMs,
    headersTimeout: t.headersTimeoutMs,
    requestTimeout: t.requestTimeoutMs,
    connectionsCheckingInterval: t.checkIntervalMs,
  };
}

/** Sets the per-instance settings `createServer` options do not cover; returns `server`. */
export function withServerLimits<S extends Server>(server: S, timeouts: Partial<ServerTimeouts> = {}): S {
  const t = { ...GO_SERVER_TIMEOUTS, ...timeouts };
  server.keepAliveTimeout = t.keepAliveTimeoutMs;
  server.headersTimeout = t.headersTimeoutMs;
  server.requestTimeout = t.requestTimeoutMs;
  server.maxRequestsPerSocket = 0; // Go: unlimited requests per connection
  server.maxHeadersCount = 0; // Go counts header bytes, not headers; the 16 KiB header limit applies
  server.timeout = 0; // no socket inactivity timeout beyond keepAliveTimeout (Go: none)
  return server;
}

/** Listens on host:port (port 0 = any free port); resolves with the bound port. */
export function listenOn(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting, closes every open connection, resolves when the server is closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
