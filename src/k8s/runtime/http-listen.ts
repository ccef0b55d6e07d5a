/**
 * @module runtime/http-listen
 * Starting and stopping the project's HTTP(S) servers (probes, metrics, admission) the same way: `listen` rejects
 * with the bind error (e.g. EADDRINUSE) instead of emitting it, and `close` ends keep-alive connections too, so a
 * shutdown never waits for an idle client.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
