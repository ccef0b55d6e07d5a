// Hostile input at the metrics endpoint (issue 15): every request is answered with a status, the process never
// crashes, bodies are never buffered. Loopback only; every loop is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { createCA, issueCertificate } from '../pki/pki.ts';
import { RawConnection, type RawResponse } from '../../tooling/testing/raw-http.ts';
import { MetricsServer } from './metrics-server.ts';
import type { ServerTimeouts } from './http-listen.ts';

let server: MetricsServer;
let port: number;
let ca: string;

async function metricsServer(timeouts?: ServerTimeouts): Promise<{ server: MetricsServer; port: number; ca: string }> {
  const authority = await createCA('ca');
  const cert = await issueCertificate(authority, { commonName: 'localhost', hosts: ['localhost'], usage: 'server' });
  const server = new MetricsServer({
    host: '127.0.0.1',
    port: 0,
    registry: new Registry(),
    timeouts,
    secure: {
      ...cert,
      tls: { minVersion: 'TLSv1.2' },
      filter: async ({ authorization }) =>
        authorization === 'Bearer ok'
          ? { allowed: true, user: { username: 'u' } }
          : { allowed: false, code: 401, message: 'Unauthorized' },
    },
  });
  return { server, port: await server.listen(), ca: authority.certPem };
}

before(async () => {
  ({ server, port, ca } = await metricsServer({
    keepAliveTimeoutMs: 90_000,
    headersTimeoutMs: 1_000,
    requestTimeoutMs: 2_000,
    checkIntervalMs: 100,
  }));
});

after(() => server.close());

async function once(send: (c: RawConnection) => Promise<RawResponse>): Promise<RawResponse> {
  const c = await RawConnection.open(port, ca);
  try {
    return await send(c);
  } finally {
    c.close();
  }
}

test('bad requests get a 4xx naming the problem', async () => {
  assert.deepEqual(
    [await once((c) => c.request('GET', '/metrics'))].map((r) => [r.status, r.body]),
    [[401, 'Unauthorized\n']],
  );
  assert.equal((await once((c) => c.request('GET', '/metrics', { Authorization: 'Bearer nope' }))).status, 401);
  assert.equal((await once((c) => c.request('GET', '/nowhere', { Authorization: 'Bearer ok' }))).status, 404);
  const weird = await once((c) => c.request('GET', '//[', { Authorization: 'Bearer ok' }));
  assert.ok(weird.status === 400 || weird.status === 404, `got ${weird.status}`);
  const garbage = await once(async (c) => {
    await c.write('\x16\x03 not http at all\r\n\r\n');
    return c.response();
  });
  assert.equal(garbage.status, 400);
  assert.equal((await once((c) => c.request('GET', '/metrics', { Authorization: 'Bearer ok' }))).status, 200);
});

test('a 10 MB body is drained, not buffered, and the scrape still answered', async () => {
  const before = process.memoryUsage().arrayBuffers;
  const r = await once(async (c) => {
    await c.write(
      `GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ok\r\nContent-Length: ${10 << 20}\r\n\r\n`,
    );
    void c.write(Buffer.alloc(10 << 20, 'a')).catch(() => {});
    return c.response();
  });
  assert.equal(r.status, 200);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20, 'bounded');
});

test('slow clients trickling header bytes are cut off with 408', async () => {
  const r = await once(async (c) => {
    const head = 'GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ok\r\n';
    void (async () => {
      for (let i = 0; i < head.length && !c.closed; i++) {
        await c.write(head[i]!).catch(() => {});
        await sleep(100);
      }
    })();
    return c.response();
  });
  assert.equal(r.status, 408);
});

test('1,000 concurrent connections are each answered', async () => {
  // Its own server with Go's (default) timeouts: opening 1,000 TLS connections on a busy machine takes seconds.
  const { server, port, ca } = await metricsServer();
  const conns: RawConnection[] = [];
  try {
    for (let batch = 0; batch < 10; batch++) {
      conns.push(...(await Promise.all(Array.from({ length: 100 }, () => RawConnection.open(port, ca)))));
    }
    const answers = await Promise.all(
      conns.map((c, i) =>
        c
          .request('GET', '/metrics', { Authorization: i % 2 ? 'Bearer ok' : 'Bearer no' })
          .catch((e: Error) => ({ status: 0, headers: {}, body: e.message })),
      ),
    );
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    for (const s of statuses.keys()) assert.ok([200, 401].includes(s), `statuses ${[...statuses]}`);
    console.log(`metrics, 1000 connections: ${[...statuses].map(([s, n]) => `${n}×${s}`).join(', ')}`);
  } finally {
    for (const c of conns) c.close();
    await server.close();
  }
});
