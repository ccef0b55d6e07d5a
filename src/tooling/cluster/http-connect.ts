/**
 * @module cluster/http-connect
 * The wire format of HTTP CONNECT as the apiserver's egress dialer speaks it
 * (`CONNECT 10.96.0.12:443 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`), and the proxy's answers.
 */
import { parseHostPort, type HostPort } from './host-port.ts';

/** Largest request head accepted (Go's http.DefaultMaxHeaderBytes is 1 MiB; the apiserver sends ~60 bytes). */
export const MAX_HEAD_BYTES = 16 * 1024;

export type ConnectRequest = { ok: true; target: HostPort } | { ok: false; status: number; reason: string };

/** Index just past the blank line that ends the request head, or -1 while it is incomplete. */
export function endOfHead(buffer: Buffer): number {
  const at = buffer.indexOf('\r\n\r\n');
  return at < 0 ? -1 : at + 4;
}

/** Parses a request head (request line and headers, without the body). */
export function parseConnectRequest(head: string): ConnectRequest {
  const requestLine = head.split('\r\n', 1)[0] ?? '';
  const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine);
  if (!match) return { ok: false, status: 400, reason: 'Bad Request' };
  const [, method, authority] = match as unknown as [string, string, string];
  if (method !== 'CONNECT') return { ok: false, status: 405, reason: 'Method Not Allowed' };
  const target = parseHostPort(authority);
  if (!target) return { ok: false, status: 400, reason: `Bad CONNECT target ${authority}` };
  return { ok: true, target };
}

/** One status line and an empty header block; `reason` ends up in the apiserver's error message. */
export function connectResponse(status: number, reason: string): string {
  const clean = reason.replace(/[\r\n]+/g, ' ').slice(0, 400);
  return `HTTP/1.1 ${status} ${clean}\r\n${status === 200 ? '' : 'Connection: close\r\n'}\r\n`;
}
