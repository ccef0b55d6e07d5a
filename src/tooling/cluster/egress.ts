/**
 * @module cluster/egress
 * The kube-apiserver's egress selector (the mechanism konnectivity uses) pointed at our network proxy:
 * traffic for the `cluster` network — Service-based webhooks, aggregated APIs, kubelet and `proxy`
 * subresource calls — is sent as HTTP CONNECT over a unix socket in the state directory.
 * `controlplane` (URL-based webhooks, authn/authz webhooks) and `etcd` stay direct.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { ClusterError } from './errors.ts';

export const NETWORK_PROXY_SOCKET = 'network-proxy.sock';
export const EGRESS_SELECTOR_FILE = 'egress-selector.yaml';

/** sun_path holds 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

/** The proxy's socket in `dir`; fails clearly when the path is too long for a unix socket. */
export function networkProxySocket(dir: string): string {
  const path = join(dir, NETWORK_PROXY_SOCKET);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new ClusterError(
      `the network proxy socket path ${path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes`,
      'use a shorter cluster name, or set LWS_CLUSTERS_DIR to a shorter directory',
    );
  }
  return path;
}

/** An apiserver.k8s.io/v1beta1 EgressSelectorConfiguration with one selection: `cluster` over the socket. */
export function egressSelectorConfiguration(socketPath: string): string {
  return stringify({
    apiVersion: 'apiserver.k8s.io/v1beta1',
    kind: 'EgressSelectorConfiguration',
    egressSelections: [
      {
        name: 'cluster',
        connection: { proxyProtocol: 'HTTPConnect', transport: { uds: { udsName: socketPath } } },
      },
    ],
  });
}

/** How `cluster up` starts the proxy: this Node binary running `lwsctl cluster network-proxy`. */
export function networkProxyCommand(name: string, dir: string): { binary: string; args: string[] } {
  const lwsctl = fileURLToPath(new URL('../../../bin/lwsctl.js', import.meta.url));
  return { binary: process.execPath, args: [lwsctl, 'cluster', 'network-proxy', '--name', name, '--dir', dir] };
}

/** Waits until something accepts connections on the socket; undefined on success, else a reason. */
export async function waitForSocket(
  path: string,
  options: { timeoutMs: number; alive: () => boolean },
): Promise<string | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no socket yet';
  while (Date.now() < deadline) {
    if (!options.alive()) return 'the process exited';
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(path, () => {
          socket.end();
          resolve();
        });
        socket.on('error', reject);
      });
      return undefined;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(100);
  }
  return `not listening after ${Math.round(options.timeoutMs / 1000)}s (${last})`;
}
