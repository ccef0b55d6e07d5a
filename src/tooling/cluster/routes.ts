/**
 * @module cluster/routes
 * Routes of the local cluster's network proxy: a Service port (`namespace/name:port`) → a `host:port` on
 * this machine. They live in `<state dir>/routes.json`, which the proxy re-reads for every connection
 * and watches (a removed or changed route closes the tunnels that used it). A route may name a Service
 * that does not exist yet.
 */
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClusterError } from './errors.ts';
import { formatHostPort, parseHostPort, type HostPort } from './host-port.ts';
import { clusterDir, readState } from './state.ts';

/** A port of a Service, by the port number it exposes (`spec.ports[].port`). */
export interface ServicePort {
  namespace: string;
  name: string;
  port: number;
}

/** Service key (`namespace/name:port`) → target (`host:port`). */
export type RouteTable = ReadonlyMap<string, string>;

export const ROUTES_FILE = 'routes.json';
export const routesFile = (dir: string) => join(dir, ROUTES_FILE);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function serviceKey({ namespace, name, port }: ServicePort): string {
  return `${namespace}/${name}:${port}`;
}

/** Parses `namespace/name:port`; throws an Error saying what is wrong. */
export function parseServiceKey(text: string): ServicePort {
  const match = /^([^/]*)\/([^:]*):(.*)$/.exec(text);
  if (!match) throw new Error(`"${text}" is not NAMESPACE/SERVICE:PORT (e.g. my-ns/my-service:443)`);
  const [, namespace, name, portText] = match as unknown as [string, string, string, string];
  for (const [what, value] of [
    ['namespace', namespace],
    ['service name', name],
  ]) {
    if (!DNS_LABEL.test(value!) || value!.length > 63) {
      throw new Error(`"${text}": ${what} "${value}" is not a DNS label (lowercase letters, digits, "-")`);
    }
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new Error(`"${text}": port "${portText}" is not a number from 1 to 65535`);
  }
  return { namespace, name, port };
}

/** Parses a route target `host:port` (a bare port means 127.0.0.1); throws an Error saying what is wrong. */
export function parseTarget(text: string): HostPort {
  const target = /^\d+$/.test(text) ? parseHostPort(`127.0.0.1:${text}`) : parseHostPort(text);
  if (!target) throw new Error(`"${text}" is not HOST:PORT (e.g. 127.0.0.1:9443) with a port from 1 to 65535`);
  return target;
}

export function withRoute(routes: RouteTable, service: ServicePort, target: HostPort): RouteTable {
  return new Map(routes).set(serviceKey(service), formatHostPort(target));
}

export function withoutRoute(routes: RouteTable, service: ServicePort): RouteTable {
  const next = new Map(routes);
  next.delete(serviceKey(service));
  return next;
}

/** The file's JSON: `{"routes": {"ns/name:443": "127.0.0.1:9443", …}}`, keys sorted. */
export function encodeRoutes(routes: RouteTable): string {
  const sorted = [...routes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify({ routes: Object.fromEntries(sorted) }, null, 2) + '\n';
}

/** Decodes and validates the file's JSON; throws naming the bad entry. */
export function decodeRoutes(text: string): RouteTable {
  const doc = JSON.parse(text) as { routes?: unknown };
  const entries = doc.routes ?? {};
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw new Error('"routes" must be an object of "namespace/name:port": "host:port"');
  }
  const routes = new Map<string, string>();
  for (const [key, target] of Object.entries(entries)) {
    if (typeof target !== 'string') throw new Error(`route ${key}: target must be a string`);
    routes.set(serviceKey(parseServiceKey(key)), formatHostPort(parseTarget(target)));
  }
  return routes;
}

/** The routes in `dir` (none when the file does not exist). */
export async function readRoutes(dir: string): Promise<RouteTable> {
  let text: string;
  try {
    text = await readFile(routesFile(dir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw e;
  }
  try {
    return decodeRoutes(text);
  } catch (e) {
    throw new Error(`${routesFile(dir)}: ${(e as Error).message}`, { cause: e });
  }
}

/** Read-modify-write under a lock file, replacing the file atomically (the proxy never sees half a file). */
async function updateRoutes(dir: string, change: (routes: RouteTable) => RouteTable): Promise<RouteTable> {
  const lock = join(dir, `${ROUTES_FILE}.lock`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await (await open(lock, 'wx')).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 10_000) await rm(lock, { force: true }); // left by a killed writer
      if (Date.now() > deadline) throw new Error(`${lock} is held by another writer`);
      await sleep(20);
    }
  }
  try {
    const next = change(await readRoutes(dir));
    const temp = `${routesFile(dir)}.${process.pid}.tmp`;
    await writeFile(temp, encodeRoutes(next));
    await rename(temp, routesFile(dir));
    return next;
  } finally {
    await rm(lock, { force: true });
  }
}

/** The state directory of a running cluster that has a network proxy. */
async function proxiedClusterDir(clusterName: string): Promise<string> {
  const state = await readState(clusterName);
  if (!state) {
    throw new ClusterError(
      `cluster "${clusterName}" is not running`,
      `start it: lwsctl cluster up --name ${clusterName}`,
    );
  }
  if (!state.processes.some((p) => p.component === 'network-proxy')) {
    throw new ClusterError(
      `cluster "${clusterName}" was started without a network proxy`,
      `recreate it: lwsctl cluster down --name ${clusterName} && lwsctl cluster up --name ${clusterName}`,
    );
  }
  return clusterDir(clusterName);
}

/** Routes connections to a Service port to `target` (replacing an earlier route of that port). */
export async function addRoute(clusterName: string, service: ServicePort, target: HostPort): Promise<void> {
  const dir = await proxiedClusterDir(clusterName);
  await updateRoutes(dir, (routes) => withRoute(routes, service, target));
}

/** Removes the route of a Service port; false when there was none. */
export async function removeRoute(clusterName: string, service: ServicePort): Promise<boolean> {
  const dir = await proxiedClusterDir(clusterName);
  let had = false;
  await updateRoutes(dir, (routes) => {
    had = routes.has(serviceKey(service));
    return withoutRoute(routes, service);
  });
  return had;
}

export async function listRoutes(clusterName: string): Promise<RouteTable> {
  return readRoutes(await proxiedClusterDir(clusterName));
}
