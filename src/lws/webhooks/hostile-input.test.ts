// Hostile input at the admission endpoint (issue 15): every request is answered with a 4xx or `allowed: false`
// naming the problem, the server never crashes, buffered bytes stay bounded, and a plain pod is still admitted
// while 1,000 connections hang on the server. Loopback only; every loop is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCA, issueCertificate } from '../../k8s/pki/pki.ts';
import { MAX_REQUEST_BYTES, WebhookServer } from '../../k8s/admission/server.ts';
import { RawConnection, type RawResponse } from '../../tooling/testing/raw-http.ts';
import { WEBHOOK_PATHS } from '../manifests/webhooks.ts';
import { lwsWebhookHandlers } from './handlers.ts';

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const plainPod = (uid: string) =>
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      operation: 'CREATE',
      namespace: 'default',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${uid}` }, spec: { containers: [{ name: 'c' }] } },
    },
  });

let server: WebhookServer;
let port: number;
let ca: string;
const budget = 16 << 20;
let peakInFlight = 0;
let sampler: NodeJS.Timeout;

before(async () => {
  const authority = await createCA('ca');
  ca = authority.certPem;
  const cert = await issueCertificate(authority, { commonName: 'localhost', hosts: ['localhost'], usage: 'server' });
  server = new WebhookServer({
    host: '127.0.0.1',
    port: 0,
    certificate: cert,
    handlers: lwsWebhookHandlers,
    maxInFlightBytes: budget,
    timeouts: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, checkIntervalMs: 100 },
  });
  port = await server.listen();
  sampler = setInterval(() => (peakInFlight = Math.max(peakInFlight, server.inFlightBytes)), 5);
});

after(async () => {
  clearInterval(sampler);
  await server.close();
});

async function once(send: (c: RawConnection) => Promise<RawResponse>): Promise<RawResponse> {
  const c = await RawConnection.open(port, ca);
  try {
    return await send(c);
  } finally {
    c.close();
  }
}

function denial(r: RawResponse): { code: number; message: string } {
  assert.equal(r.status, 200, 'controller-runtime answers a bad review with HTTP 200 and a denial');
  const review = JSON.parse(r.body);
  assert.equal(review.response.allowed, false);
  return review.response.status;
}

test('bad reviews are denied with a code and a message naming the problem', async () => {
  const path = WEBHOOK_PATHS.mutatePod;
  const cases: Array<[string, Record<string, string>, string, number, RegExp]> = [
    ['malformed JSON', JSON_HEADERS, '{"apiVersion":', 400, /cannot decode the AdmissionReview: .*JSON/],
    ['a JSON array', JSON_HEADERS, '[]', 400, /not a JSON object/],
    ['wrong kind', JSON_HEADERS, '{"apiVersion":"v1","kind":"Pod"}', 400, /got kind "Pod" of apiVersion "v1"/],
    [
      'wrong version',
      JSON_HEADERS,
      '{"apiVersion":"admission.k8s.io/v2","kind":"AdmissionReview","request":{}}',
      400,
      /apiVersion "admission.k8s.io\/v2"/,
    ],
    ['no request', JSON_HEADERS, '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', 400, /no request/],
    ['request without uid', JSON_HEADERS, '{"request":{"operation":"CREATE"}}', 400, /request\.uid: Required value/],
    ['empty body', JSON_HEADERS, '', 400, /^request body is empty$/],
    ['wrong content type', { 'Content-Type': 'text/plain' }, plainPod('x'), 400, /contentType=text\/plain, expected/],
    [
      'object that is not an object',
      JSON_HEADERS,
      '{"request":{"uid":"u","operation":"CREATE","object":"x"}}',
      403,
      /there is no content to decode/,
    ],
  ];
  for (const [name, headers, body, code, message] of cases) {
    const status = denial(await once((c) => c.request('POST', path, headers, body)));
    assert.equal(status.code, code, name);
    assert.match(status.message, message, name);
  }
  const get = denial(await once((c) => c.request('GET', path)));
  assert.match(get.message, /request body is empty/);
  const unknown = await once((c) => c.request('POST', '/nowhere', JSON_HEADERS, plainPod('x')));
  assert.deepEqual([unknown.status, unknown.body], [404, '404 page not found\n']);
  const weird = await once((c) => c.request('POST', '//[', JSON_HEADERS, plainPod('x')));
  assert.equal(weird.status, 404);
});

test('a 10 MB body is refused with 413 (declared length and chunked) without being buffered', async () => {
  const big = Buffer.alloc(10 << 20, 'a');
  const declared = await once(async (c) => {
    void c.write(
      `POST ${WEBHOOK_PATHS.mutatePod} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`,
    );
    void c.write(big).catch(() => {});
    return c.response();
  });
  const s1 = denial(declared);
  assert.equal(s1.code, 413);
  assert.equal(s1.message, `request entity is too large; limit is ${MAX_REQUEST_BYTES} bytes`);

  const chunked = await once(async (c) => {
    void c.write(
      `POST ${WEBHOOK_PATHS.mutatePod} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    void (async () => {
      for (let i = 0; i < 10 && !c.closed; i++) await c.write(`100000\r\n${'a'.repeat(0x100000)}\r\n`).catch(() => {});
      await c.write('0\r\n\r\n').catch(() => {});
    })();
    return c.response();
  });
  assert.equal(denial(chunked).code, 413);
  assert.ok(peakInFlight <= MAX_REQUEST_BYTES, `at most one body limit buffered, saw ${peakInFlight}`);
});

test('bodies over the in-flight budget are answered 429, never buffered beyond it', async () => {
  // 8 concurrent 5 MiB reviews against a 16 MiB budget: some are read, the rest are refused; all are answered.
  const body = JSON.stringify({ request: { uid: 'u', operation: 'CREATE', object: { pad: 'a'.repeat(5 << 20) } } });
  const answers = await Promise.all(
    Array.from({ length: 8 }, () =>
      once(async (c) => {
        void c.write(
          `POST ${WEBHOOK_PATHS.validatePod} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
        );
        // Trickle the body in 1 MiB pieces so the reads overlap.
        void (async () => {
          for (let at = 0; at < body.length && !c.closed; at += 1 << 20) {
            await c.write(body.slice(at, at + (1 << 20))).catch(() => {});
            await sleep(20);
          }
        })();
        return c.response();
      }),
    ),
  );
  const seen = new Map<string, number>();
  for (const a of answers) {
    assert.equal(a.status, 200);
    const key = JSON.parse(a.body).response.allowed ? 'read and allowed' : 'refused 429';
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const response = JSON.parse(a.body).response;
    if (!response.allowed) assert.equal(response.status.code, 429, response.status.message);
  }
  assert.ok(peakInFlight <= budget, `in-flight bytes ${peakInFlight} ≤ ${budget}`);
  console.log(
    `8 × 5 MiB against a 16 MiB budget: ${[...seen].map(([k, n]) => `${n} ${k}`).join(', ')}; peak ${peakInFlight} bytes`,
  );
  assert.equal(server.inFlightBytes, 0, 'every buffered byte is released');
});

test('slow clients trickling bytes are cut off with 408', async () => {
  const headers = await once(async (c) => {
    const head = `POST ${WEBHOOK_PATHS.mutatePod} HTTP/1.1\r\nHost: x\r\n`;
    void (async () => {
      for (let i = 0; i < head.length && !c.closed; i++) {
        await c.write(head[i]!).catch(() => {});
        await sleep(100);
      }
    })();
    return c.response();
  });
  assert.equal(headers.status, 408);
  const body = await once(async (c) => {
    const review = plainPod('slow');
    await c.write(
      `POST ${WEBHOOK_PATHS.mutatePod} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${review.length}\r\n\r\n`,
    );
    void (async () => {
      for (let i = 0; i < review.length && !c.closed; i++) {
        await c.write(review[i]!).catch(() => {});
        await sleep(100);
      }
    })();
    return c.response();
  });
  console.log(`trickled body answered ${body.status}`);
  assert.ok([408, 200].includes(body.status), `got ${body.status}`);
  if (body.status === 200) assert.equal(denial(body).code, 400, 'an aborted body is a read error');
});

test('1,000 concurrent connections: each is answered, and a plain pod is admitted meanwhile', async () => {
  // Its own server with Go's (default) timeouts: opening 1,000 TLS connections on a busy machine takes seconds.
  const authority = await createCA('ca');
  const cert = await issueCertificate(authority, { commonName: 'localhost', hosts: ['localhost'], usage: 'server' });
  const big = new WebhookServer({ host: '127.0.0.1', port: 0, certificate: cert, handlers: lwsWebhookHandlers });
  const bigPort = await big.listen();
  const rssBefore = process.memoryUsage().rss;
  const conns: RawConnection[] = [];
  try {
    for (let batch = 0; batch < 10; batch++) {
      conns.push(
        ...(await Promise.all(Array.from({ length: 100 }, () => RawConnection.open(bigPort, authority.certPem)))),
      );
    }
    // Every connection sends half a request head and waits.
    await Promise.all(
      conns.map((c) => c.write(`POST ${WEBHOOK_PATHS.mutatePod} HTTP/1.1\r\nHost: x\r\n`).catch(() => {})),
    );
    const plain = await RawConnection.open(bigPort, authority.certPem);
    const admitted = await plain.request('POST', WEBHOOK_PATHS.mutatePod, JSON_HEADERS, plainPod('plain'));
    plain.close();
    assert.equal(admitted.status, 200);
    assert.equal(JSON.parse(admitted.body).response.allowed, true, 'a pod outside any LeaderWorkerSet is admitted');
    const answers = await Promise.all(
      conns.map(async (c, i) => {
        const review = plainPod(`c${i}`);
        await c
          .write(`Content-Type: application/json\r\nContent-Length: ${review.length}\r\n\r\n${review}`)
          .catch(() => {});
        return c.response().catch((e: Error) => ({ status: 0, headers: {}, body: e.message }));
      }),
    );
    const rssAfter = process.memoryUsage().rss;
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    // A connection that waited longer than the header timeout (32 s) is answered 408; the rest are admitted.
    for (const status of statuses.keys()) assert.ok(status === 200 || status === 408, `statuses ${[...statuses]}`);
    console.log(
      `1000 connections: ${[...statuses].map(([s, n]) => `${n}×${s}`).join(', ')}; test process RSS ${Math.round(rssBefore / 2 ** 20)} → ${Math.round(rssAfter / 2 ** 20)} MiB (client and server)`,
    );
  } finally {
    for (const c of conns) c.close();
    await big.close();
  }
});
