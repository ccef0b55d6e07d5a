/**
 * @module cluster/network-proxy
 * The local cluster's network proxy: an HTTP CONNECT proxy on a unix socket that the kube-apiserver's
 * egress selector uses for the `cluster` network. `CONNECT ip:port` to a Service port with a route
 * (see cluster/routes) is spliced to the route's host target, so Service-based webhooks reach processes
 * on this machine; every other CONNECT goes straight to ip:port, as without the egress selector.
 * Tunnels whose route is removed or changed are closed (the apiserver keeps webhook connections alive).
 * Faults injected by tests (cluster/proxy-faults: refuse, delay, reset mid-request) apply per Service port.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect, createServer, isIP, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../k8s/client/client.ts';
import { SERVICES } from '../../k8s/client/resources.ts';
import { ClusterIPLookup, type ServiceLike } from './cluster-ips.ts';
import { networkProxySocket } from './egress.ts';
import { formatHostPort, parseHostPort, type HostPort } from './host-port.ts';
import { connectResponse, endOfHead, MAX_HEAD_BYTES, parseConnectRequest } from './http-connect.ts';
import { readRoutes, ROUTES_FILE, serviceKey, type RouteTable, type ServicePort } from './routes.ts';
import { FAULTS_FILE, readFaults, type ProxyFault } from './proxy-faults.ts';

export interface NetworkProxyOptions {
  socketPath: string;
  /** Directory holding routes.json. */
  routesDir: string;
  /** The Service port at a ClusterIP:port (see cluster/cluster-ips). */
  lookup: (ip: string, port: number) => Promise<ServicePort | undefined>;
  log: (line: string) => void;
  dialTimeoutMs?: number;
}

/** Where one CONNECT goes. */
interface Decision {
  target: HostPort;
  /** The Service port the address belongs to, when known. */
  service?: string;
  /** The route's target when routed (compared on route changes). */
  route?: string;
}

interface Tunnel {
  client: Socket;
  upstream: Socket;
  decision: Decision;
  fault?: string;
}

export class NetworkProxy {
  readonly #options: NetworkProxyOptions;
  readonly #server: Server;
  readonly #tunnels = new Set<Tunnel>();
  readonly #clients = new Set<Socket>();
  readonly #routeTable: FileSnapshot<RouteTable>;
  readonly #faultTable: FileSnapshot<ReadonlyMap<string, ProxyFault>>;
  #watcher: FSWatcher | undefined;
  #recheck: NodeJS.Timeout | undefined;

  constructor(options: NetworkProxyOptions) {
    this.#options = options;
    this.#routeTable = new FileSnapshot(join(options.routesDir, ROUTES_FILE), () => readRoutes(options.routesDir));
    this.#faultTable = new FileSnapshot(join(options.routesDir, FAULTS_FILE), () => readFaults(options.routesDir));
    // Half-open sockets: a client that finishes sending still gets the rest of the answer (pipe ends each side).
    this.#server = createServer({ allowHalfOpen: true }, (socket) => this.#accept(socket));
  }

  async listen(): Promise<void> {
    await rm(this.#options.socketPath, { force: true }); // left by a killed proxy
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.socketPath, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#watcher = watch(this.#options.routesDir, (_event, file) => {
      if (file !== ROUTES_FILE && file !== FAULTS_FILE) return;
      clearTimeout(this.#recheck);
      this.#recheck = setTimeout(() => void this.#closeStaleTunnels(), 50);
    });
    this.#watcher.on('error', (e) => this.#options.log(`not watching ${this.#options.routesDir}: ${e.message}`));
  }

  async close(): Promise<void> {
    this.#watcher?.close();
    clearTimeout(this.#recheck);
    for (const t of this.#tunnels) this.#closeTunnel(t);
    for (const c of this.#clients) c.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    let buffered = Buffer.alloc(0);
    this.#clients.add(client);
    client.once('close', () => this.#clients.delete(client));
    client.on('error', () => {}); // reported through 'close'
    client.setTimeout(30_000, () => client.destroy());
    const endedEarly = () => client.destroy(); // closed before a whole request head arrived
    client.once('end', endedEarly);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = endOfHead(buffered);
      if (end < 0) {
        if (buffered.length > MAX_HEAD_BYTES) client.end(connectResponse(431, 'Request Header Fields Too Large'));
        return;
      }
      client.off('data', onData);
      client.off('end', endedEarly);
      client.pause();
      client.setTimeout(0);
      void this.#connect(client, buffered.subarray(0, end).toString('latin1'), buffered.subarray(end));
    };
    client.on('data', onData);
  }

  async #connect(client: Socket, head: string, rest: Buffer): Promise<void> {
    const request = parseConnectRequest(head);
    if (!request.ok) {
      this.#options.log(`rejected ${JSON.stringify(head.split('\r\n', 1)[0])}: ${request.status} ${request.reason}`);
      client.end(connectResponse(request.status, request.reason));
      return;
    }
    const asked = formatHostPort(request.target);
    const decision = await this.#decide(request.target);
    if (client.destroyed) return; // the apiserver gave up meanwhile
    const via = decision.route
      ? `${decision.route} (route of Service ${decision.service})`
      : `direct${decision.service ? ` (Service ${decision.service} has no route)` : ''}`;
    const fault = decision.service ? await this.#fault(decision.service) : undefined;
    if (fault) this.#options.log(`CONNECT ${asked} → ${via}: injected fault ${JSON.stringify(fault)}`);
    if (fault?.mode === 'refuse') {
      client.end(
        connectResponse(502, `${via}: dial tcp ${formatHostPort(decision.target)}: connect: connection refused`),
      );
      return;
    }
    if (fault?.mode === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (client.destroyed) return;
    // noDelay: Go dials TCP with TCP_NODELAY, and so does a Service's path in a real cluster. With Nagle on, a
    // request the apiserver writes in two pieces waits for the receiver's delayed ACK (≈ 40 ms on Linux).
    const upstream = connect({
      host: decision.target.host,
      port: decision.target.port,
      allowHalfOpen: true,
      noDelay: true,
    });
    upstream.setTimeout(this.#options.dialTimeoutMs ?? 10_000, () => upstream.destroy(new Error('dial timed out')));
    upstream.once('error', (e) => {
      this.#options.log(`CONNECT ${asked} → ${via}: ${e.message}`);
      if (client.writable) client.end(connectResponse(502, `${via}: ${e.message}`));
    });
    upstream.once('connect', () => {
      upstream.setTimeout(0);
      upstream.removeAllListeners('error');
      upstream.on('error', () => {});
      this.#options.log(`CONNECT ${asked} → ${via}`);
      const tunnel: Tunnel = { client, upstream, decision, fault: fault ? JSON.stringify(fault) : undefined };
      this.#tunnels.add(tunnel);
      const done = () => {
        this.#tunnels.delete(tunnel);
        client.destroy();
        upstream.destroy();
      };
      client.once('close', done);
      upstream.once('close', done);
      client.write(connectResponse(200, 'Connection established'));
      if (fault?.mode === 'reset') {
        let sent = rest.length;
        client.on('data', (chunk: Buffer) => {
          sent += chunk.length;
          if (sent < fault.afterBytes || client.destroyed) return;
          this.#options.log(`CONNECT ${asked}: resetting the tunnel after ${sent} bytes (injected fault)`);
          // The apiserver's side is a unix socket (no RST there): reset the TCP side, drop the other abruptly.
          upstream.resetAndDestroy();
          client.destroy();
        });
      }
      if (rest.length > 0) upstream.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    client.once('close', () => {
      if (upstream.connecting) upstream.destroy();
    });
  }

  async #decide(target: HostPort): Promise<Decision> {
    const routes = await this.#routes();
    if (routes.size === 0 || isIP(target.host) === 0) return { target };
    let service: ServicePort | undefined;
    try {
      service = await this.#options.lookup(target.host, target.port);
    } catch (e) {
      this.#options.log(`cannot look up the Service at ${formatHostPort(target)}: ${(e as Error).message}`);
    }
    if (!service) return { target };
    const key = serviceKey(service);
    const route = routes.get(key);
    if (!route) return { target, service: key };
    return { target: parseHostPort(route)!, service: key, route };
  }

  async #fault(service: string): Promise<ProxyFault | undefined> {
    try {
      return (await this.#faultTable.get()).get(service);
    } catch (e) {
      this.#options.log(`ignoring faults: ${(e as Error).message}`);
      return undefined;
    }
  }

  async #routes(): Promise<RouteTable> {
    try {
      return await this.#routeTable.get();
    } catch (e) {
      this.#options.log(`ignoring routes: ${(e as Error).message}`);
      return new Map();
    }
  }

  /** Closes tunnels of Service ports whose route or injected fault changed since they were opened. */
  async #closeStaleTunnels(): Promise<void> {
    const routes = await this.#routes();
    const faults = await readFaults(this.#options.routesDir).catch(() => new Map<string, ProxyFault>());
    for (const t of this.#tunnels) {
      const { service, route } = t.decision;
      if (service === undefined) continue;
      const fault = faults.get(service);
      if (routes.get(service) === route && (fault ? JSON.stringify(fault) : undefined) === t.fault) continue;
      this.#options.log(`closing a tunnel of Service ${service}: its route is now ${routes.get(service) ?? 'gone'}`);
      this.#closeTunnel(t);
    }
  }

  #closeTunnel(t: Tunnel): void {
    this.#tunnels.delete(t);
    t.client.destroy();
    t.upstream.destroy();
  }
}

/**
 * A file's parsed content, read again only when the file changes: one stat per CONNECT instead of two file
 * reads (the apiserver opens thousands of webhook connections a minute when calls queue up).
 */
class FileSnapshot<T> {
  readonly #path: string;
  readonly #read: () => Promise<T>;
  #signature: string | undefined;
  #value: T | undefined;

  constructor(path: string, read: () => Promise<T>) {
    this.#path = path;
    this.#read = read;
  }

  async get(): Promise<T> {
    const signature = fileSignature(this.#path);
    if (signature === this.#signature) return this.#value as T;
    const value = await this.#read(); // a read that fails is not remembered
    this.#signature = signature;
    this.#value = value;
    return value;
  }
}

/** Changes whenever the file is replaced (routes and faults are written by rename) or rewritten. */
function fileSignature(path: string): string {
  const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : 'absent';
}

/** `lwsctl cluster network-proxy`: serves the cluster in `dir` until SIGTERM/SIGINT. */
export async function runNetworkProxy(dir: string): Promise<void> {
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const kc = new KubeConfig();
  kc.loadFromFile(join(dir, 'kubeconfig'));
  const client = await KubeClient.fromKubeConfig(kc, { timeoutMs: 5000, maxRetries: 1 });
  const services = new ClusterIPLookup(async () => (await client.listAll<ServiceLike>(SERVICES)).items);
  const proxy = new NetworkProxy({
    socketPath: networkProxySocket(dir),
    routesDir: dir,
    lookup: (ip, port) => services.lookup(ip, port),
    log,
  });
  await proxy.listen();
  log(`listening on ${networkProxySocket(dir)}; routes in ${join(dir, ROUTES_FILE)}`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await proxy.close();
  client.close();
  await rm(networkProxySocket(dir), { force: true });
  log('stopped');
}
