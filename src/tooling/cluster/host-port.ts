/**
 * @module cluster/host-port
 * `host:port` addresses as they appear in CONNECT requests and route targets (`[v6]:port` for IPv6).
 */
import { isIP } from 'node:net';

export interface HostPort {
  host: string;
  port: number;
}

/** Parses `host:port` / `[ipv6]:port`; undefined when it is not one. */
export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s/]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const host = match[1] ?? match[2]!;
  if (match[1] !== undefined && isIP(host) !== 6) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host, port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
