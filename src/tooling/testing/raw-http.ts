/**
 * @module testing/raw-http
 * A minimal HTTP/1.1 client over one socket the test controls (plain TCP or TLS), for the server-behaviour
 * tests: several requests on the same connection with idle time between them, partial requests, trickled
 * bytes. Responses are framed by Content-Length or chunked encoding.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class RawConnection {
  readonly socket: Socket;
  #buffer = Buffer.alloc(0);
  #closed = false;
  #waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
  }

  /** Opens a connection; `ca` makes it TLS (server name localhost). */
  static open(port: number, ca?: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = ca
        ? tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' })
        : tcpConnect({ host: '127.0.0.1', port });
      socket.once(ca ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  #more(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (e) => (e ? reject(e) : resolve())));
  }

  /** Sends one request (Content-Length set from `body`) and reads its response. */
  async request(method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<RawResponse> {
    const head = [`${method} ${path} HTTP/1.1`, 'Host: localhost'];
    for (const [k, v] of Object.entries(headers)) head.push(`${k}: ${v}`);
    if (body !== '' || method === 'POST') head.push(`Content-Length: ${Buffer.byteLength(body)}`);
    await this.write(`${head.join('\r\n')}\r\n\r\n${body}`);
    return this.response();
  }

  /** Reads the next response; rejects with "connection closed" when the server closes first. */
  async response(): Promise<RawResponse> {
    for (;;) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const lines = this.#buffer.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(lines[0]!.split(' ')[1]);
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        if (headers['transfer-encoding'] === 'chunked') {
          const framed = dechunk(this.#buffer, end + 4);
          if (framed) {
            this.#buffer = this.#buffer.subarray(framed.next);
            return { status, headers, body: framed.body };
          }
        } else if (this.#buffer.length >= end + 4 + Number(headers['content-length'] ?? 0)) {
          const length = Number(headers['content-length'] ?? 0);
          const body = this.#buffer.subarray(end + 4, end + 4 + length).toString('utf8');
          this.#buffer = this.#buffer.subarray(end + 4 + length);
          return { status, headers, body };
        }
      }
      if (this.#closed)
        throw new Error(`connection closed by the server (EOF) with ${this.#buffer.length} bytes unread`);
      await this.#more();
    }
  }

  /** Resolves when the server closes the connection. */
  async untilClosed(): Promise<void> {
    while (!this.#closed) await this.#more();
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A complete chunked body starting at `from`, or undefined while more bytes are needed. */
function dechunk(buffer: Buffer, from: number): { body: string; next: number } | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const eol = buffer.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(buffer.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) {
      const trailerEnd = buffer.indexOf('\r\n', eol + 2);
      return trailerEnd < 0 ? undefined : { body: Buffer.concat(parts).toString('utf8'), next: trailerEnd + 2 };
    }
    if (buffer.length < eol + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
