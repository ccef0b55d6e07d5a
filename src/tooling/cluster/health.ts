/**
 * @module cluster/health
 * Polling component health endpoints until they answer "ok".
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

/** One GET; resolves with the status code and body, or rejects on connection errors. */
export function httpGet(url: string, tls?: TlsMaterial): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const isHttps = url.startsWith('https:');
    const options = isHttps ? { ...tls, rejectUnauthorized: Boolean(tls?.ca), timeout: 5000 } : { timeout: 5000 };
    const req = (isHttps ? httpsRequest : httpRequest)(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Waits until `url` answers 200, `alive()` stays true, and `timeoutMs` has not passed.
 * Returns undefined on success, or a one-line reason.
 */
export async function waitHealthy(
  url: string,
  options: { tls?: TlsMaterial; timeoutMs: number; alive: () => boolean },
): Promise<string | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!options.alive()) return 'the process exited';
    try {
      const { status, body } = await httpGet(url, options.tls);
      if (status === 200) return undefined;
      last = `HTTP ${status}: ${body.split('\n')[0]}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(200);
  }
  return `not healthy after ${Math.round(options.timeoutMs / 1000)}s (${last})`;
}
