import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeClient, defaultUserAgent } from './client.ts';
import { staticCredentials, type Credentials } from './connection.ts';
import { CONFIGMAPS, NODES, PODS } from './resources.ts';
import {
  GoneError,
  NotFoundError,
  RequestTimeoutError,
  TooManyRequestsError,
  TransportError,
  UnauthorizedError,
} from './errors.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: Seen, res: ServerResponse) => void;

/** A loopback HTTP server whose behaviour each test sets. */
async function fakeApiserver(pathPrefix = '') {
  let handler: Handler = (_req, res) => res.end('{}');
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true });
  const connect = (credentials: Credentials = staticCredentials({ Authorization: 'Bearer t0k' }), options = {}) =>
    new KubeClient({ server: new URL(`http://127.0.0.1:${port}${pathPrefix}`), agent, credentials }, options);
  after(() => {
    agent.destroy();
    server.closeAllConnections();
    server.close();
  });
  return { seen, connect, handle: (h: Handler) => (handler = h), server };
}

const json = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const status = (code: number, reason: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  message: reason,
});

test('get sends auth, user agent and accept headers and parses JSON', async () => {
  const api = await fakeApiserver('/prefix');
  api.handle((_req, res) => json(res, 200, { metadata: { name: 'p' } }));
  const pod = await api.connect().get<any>(PODS, { namespace: 'ns', name: 'p' });
  assert.equal(pod.metadata.name, 'p');
  const [req] = api.seen;
  assert.equal(req!.method, 'GET');
  assert.equal(req!.url, '/prefix/api/v1/namespaces/ns/pods/p');
  assert.equal(req!.headers.authorization, 'Bearer t0k');
  assert.equal(req!.headers.accept, 'application/json');
  assert.equal(req!.headers['user-agent'], defaultUserAgent());
  assert.match(defaultUserAgent(), /^lws-ts\/\d+\.\d+\.\d+\S* \([a-z0-9]+\/[a-z0-9]+\)$/);
});

test('writes: create, update, updateStatus, patch types, apply, delete', async () => {
  const api = await fakeApiserver();
  api.handle((req, res) => json(res, 200, req.body ? JSON.parse(req.body) : {}));
  const c = api.connect();
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', resourceVersion: '5' } };
  await c.create(CONFIGMAPS, cm, { fieldManager: 'lws', dryRun: true });
  await c.update(CONFIGMAPS, cm);
  await c.updateStatus(PODS, { metadata: { name: 'p', namespace: 'ns' } });
  await c.patch(CONFIGMAPS, { namespace: 'ns', name: 'a' }, { data: { x: '1' } }, { type: 'merge' });
  await c.patch(CONFIGMAPS, { namespace: 'ns', name: 'a' }, [{ op: 'remove', path: '/data/x' }], { type: 'json' });
  await c.patch(CONFIGMAPS, { namespace: 'ns', name: 'a' }, { data: {} }, { type: 'strategic', subresource: 'status' });
  await c.apply(CONFIGMAPS, cm, { fieldManager: 'lws', force: true });
  await c.delete(
    CONFIGMAPS,
    { namespace: 'ns', name: 'a' },
    { propagationPolicy: 'Foreground', preconditions: { uid: 'u1' } },
  );
  await c.delete(NODES, { name: 'n' });
  const summary = api.seen.map((s) => `${s.method} ${s.url} ${s.headers['content-type'] ?? ''}`.trim());
  assert.deepEqual(summary, [
    'POST /api/v1/namespaces/ns/configmaps?fieldManager=lws&dryRun=All application/json',
    'PUT /api/v1/namespaces/ns/configmaps/a application/json',
    'PUT /api/v1/namespaces/ns/pods/p/status application/json',
    'PATCH /api/v1/namespaces/ns/configmaps/a application/merge-patch+json',
    'PATCH /api/v1/namespaces/ns/configmaps/a application/json-patch+json',
    'PATCH /api/v1/namespaces/ns/configmaps/a/status application/strategic-merge-patch+json',
    'PATCH /api/v1/namespaces/ns/configmaps/a?fieldManager=lws&force=true application/apply-patch+yaml',
    'DELETE /api/v1/namespaces/ns/configmaps/a application/json',
    'DELETE /api/v1/nodes/n application/json',
  ]);
  assert.deepEqual(JSON.parse(api.seen[7]!.body), {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    propagationPolicy: 'Foreground',
    preconditions: { uid: 'u1' },
  });
  assert.deepEqual(JSON.parse(api.seen[6]!.body), cm);
  await assert.rejects(c.patch(PODS, { namespace: 'a', name: 'b' }, {}, { type: 'apply' }), /fieldManager/);
  await assert.rejects(c.create(PODS, { metadata: { name: 'p' } }), /no metadata.namespace/);
  await assert.rejects(c.get(NODES, { namespace: 'x', name: 'n' }), /cluster-scoped/);
});

test('Status answers become typed errors', async () => {
  const api = await fakeApiserver();
  api.handle((_req, res) => json(res, 404, status(404, 'NotFound')));
  await assert.rejects(api.connect().get(PODS, { namespace: 'a', name: 'b' }), NotFoundError);
});

test('a 401 refreshes credentials and retries once', async () => {
  const api = await fakeApiserver();
  let token = 'old';
  let invalidations = 0;
  const credentials: Credentials = {
    headers: async () => ({ Authorization: `Bearer ${token}` }),
    invalidate: () => {
      invalidations++;
      token = 'new';
    },
  };
  api.handle((req, res) =>
    req.headers.authorization === 'Bearer new'
      ? json(res, 200, { ok: 1 })
      : json(res, 401, status(401, 'Unauthorized')),
  );
  assert.deepEqual(await api.connect(credentials).get(PODS, { namespace: 'a', name: 'b' }), { ok: 1 });
  assert.equal(invalidations, 1);

  api.handle((_req, res) => json(res, 401, status(401, 'Unauthorized')));
  await assert.rejects(api.connect(credentials).get(PODS, { namespace: 'a', name: 'b' }), UnauthorizedError);
});

test('429 with Retry-After is retried up to maxRetries', async () => {
  const api = await fakeApiserver();
  let calls = 0;
  api.handle((_req, res) =>
    ++calls < 3 ? json(res, 429, status(429, 'TooManyRequests'), { 'retry-after': '0' }) : json(res, 200, {}),
  );
  await api.connect().create(CONFIGMAPS, { metadata: { name: 'a', namespace: 'n' } });
  assert.equal(calls, 3);

  calls = 0;
  api.handle((_req, res) => {
    calls++;
    json(res, 429, status(429, 'TooManyRequests'), { 'retry-after': '0' });
  });
  await assert.rejects(
    api.connect(undefined, { maxRetries: 2 }).get(PODS, { namespace: 'a', name: 'b' }),
    TooManyRequestsError,
  );
  assert.equal(calls, 3);

  calls = 0;
  api.handle((_req, res) => {
    calls++;
    json(res, 500, status(500, 'InternalError'));
  });
  await assert.rejects(api.connect().get(PODS, { namespace: 'a', name: 'b' }));
  assert.equal(calls, 1, 'no Retry-After, no retry');
});

test('requests time out client-side, and honour the caller signal', async () => {
  const api = await fakeApiserver();
  api.handle(() => {}); // never answers
  await assert.rejects(
    api.connect(undefined, { timeoutMs: 50 }).get(PODS, { namespace: 'a', name: 'b' }),
    RequestTimeoutError,
  );
  const ac = new AbortController();
  const pending = api.connect().get(PODS, { namespace: 'a', name: 'b' }, { signal: ac.signal });
  setTimeout(() => ac.abort(new Error('caller gave up')), 20);
  await assert.rejects(pending, /caller gave up/);
});

test('connection failures are TransportErrors', async () => {
  const api = await fakeApiserver();
  api.handle((_req, res) => res.socket?.destroy());
  await assert.rejects(api.connect().create(CONFIGMAPS, { metadata: { name: 'a', namespace: 'n' } }), TransportError);
  const before = api.seen.length;
  await assert.rejects(api.connect().get(PODS, { namespace: 'a', name: 'b' }), TransportError);
  assert.equal(api.seen.length - before, 2, 'a GET is resent once');
});

test('listAll follows continue tokens', async () => {
  const api = await fakeApiserver();
  api.handle((req, res) => {
    const url = new URL(req.url, 'http://x');
    const page = Number(url.searchParams.get('continue') ?? '0');
    json(res, 200, {
      kind: 'PodList',
      metadata: { resourceVersion: '42', continue: page < 2 ? String(page + 1) : undefined },
      items: [{ metadata: { name: `p${page}` } }],
    });
  });
  const list = await api.connect().listAll<any>(PODS, { namespace: 'ns', labelSelector: 'a=b', limit: 1 });
  assert.deepEqual(
    list.items.map((i) => i.metadata.name),
    ['p0', 'p1', 'p2'],
  );
  assert.equal(list.metadata.resourceVersion, '42');
  assert.equal(api.seen[0]!.url, '/api/v1/namespaces/ns/pods?labelSelector=a%3Db&limit=1');
  assert.equal(api.seen[2]!.url, '/api/v1/namespaces/ns/pods?labelSelector=a%3Db&limit=1&continue=2');
});

test('the client-side rate limit spaces requests out', async () => {
  const api = await fakeApiserver();
  api.handle((_req, res) => json(res, 200, {}));
  const c = api.connect(undefined, { qps: 20, burst: 1 });
  const started = performance.now();
  await Promise.all(Array.from({ length: 5 }, () => c.get(PODS, { namespace: 'a', name: 'b' })));
  assert.ok(performance.now() - started >= 150, 'five requests at 20 qps with burst 1 take ≥ 200 ms');
});

const event = (type: string, name: string, rv: string) =>
  JSON.stringify({ type, object: { metadata: { name, resourceVersion: rv } } });

test('watch streams events from chunked JSON lines until the server ends', async () => {
  const api = await fakeApiserver();
  api.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const text = [event('ADDED', 'a', '1'), event('BOOKMARK', '', '2'), event('DELETED', 'a', '3')].join('\n') + '\n';
    let i = 0;
    const timer = setInterval(() => {
      res.write(text.slice(i, i + 13));
      i += 13;
      if (i >= text.length) {
        clearInterval(timer);
        res.end();
      }
    }, 1);
  });
  const events: string[] = [];
  const c = api.connect();
  for await (const e of c.watch<any>(PODS, {
    namespace: 'ns',
    resourceVersion: '1',
    allowWatchBookmarks: true,
    timeoutSeconds: 60,
  })) {
    events.push(`${e.type}:${e.object.metadata.resourceVersion}`);
  }
  assert.deepEqual(events, ['ADDED:1', 'BOOKMARK:2', 'DELETED:3']);
  assert.equal(
    api.seen[0]!.url,
    '/api/v1/namespaces/ns/pods?watch=true&resourceVersion=1&allowWatchBookmarks=true&timeoutSeconds=60',
  );
});

test('watch: an ERROR event throws GoneError, a non-200 answer a typed error', async () => {
  const api = await fakeApiserver();
  api.handle((_req, res) => {
    res.writeHead(200);
    res.write(event('ADDED', 'a', '1') + '\n');
    res.write(JSON.stringify({ type: 'ERROR', object: status(410, 'Expired') }) + '\n');
  });
  const c = api.connect();
  await assert.rejects(async () => {
    for await (const _ of c.watch(PODS, {})) void _;
  }, GoneError);

  api.handle((_req, res) => json(res, 403, status(403, 'Forbidden')));
  await assert.rejects(async () => {
    for await (const _ of c.watch(PODS, {})) void _;
  }, /Forbidden/);
});

test('watch: aborting or breaking out closes the stream', async () => {
  const api = await fakeApiserver();
  let closed = 0;
  api.handle((_req, res) => {
    res.writeHead(200);
    res.write(event('ADDED', 'a', '1') + '\n');
    res.on('close', () => closed++);
  });
  const c = api.connect();
  const ac = new AbortController();
  await assert.rejects(async () => {
    for await (const _ of c.watch(PODS, {}, ac.signal)) ac.abort(new Error('stop watching'));
  }, /stop watching/);
  for await (const _ of c.watch(PODS, {})) break;
  for (let i = 0; i < 200 && closed < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(closed, 2);
});

test('onResponse sees every attempt with its code (client-go rest_client_requests_total labels)', async () => {
  const api = await fakeApiserver();
  const events: Array<{ method: string; code: string; host: string }> = [];
  const client = api.connect(undefined, {
    onResponse: (e: { method: string; code: string; host: string }) => events.push(e),
  });
  api.handle((req, res) =>
    req.url.includes('missing') ? json(res, 404, status(404, 'NotFound')) : json(res, 200, {}),
  );
  await client.get(PODS, { namespace: 'a', name: 'p' });
  await assert.rejects(client.get(PODS, { namespace: 'a', name: 'missing' }), NotFoundError);
  assert.deepEqual(
    events.map((e) => [e.method, e.code]),
    [
      ['GET', '200'],
      ['GET', '404'],
    ],
  );
  assert.match(events[0]!.host, /^127\.0\.0\.1:\d+$/);
});

test('withSignal: a view whose requests all end when its signal aborts', async () => {
  const api = await fakeApiserver();
  api.handle(() => {}); // never answers
  const client = api.connect();
  const scope = new AbortController();
  const view = client.withSignal(scope.signal);
  const pending = view.get(PODS, { namespace: 'a', name: 'p' });
  setTimeout(() => scope.abort(new Error('leadership lost')), 20);
  await assert.rejects(pending, { message: 'leadership lost' });
  await assert.rejects(view.get(PODS, { namespace: 'a', name: 'q' }), { message: 'leadership lost' });
  api.handle((_req, res) => json(res, 200, { ok: true }));
  assert.deepEqual(await client.get(PODS, { namespace: 'a', name: 'p' }), { ok: true }, 'the parent is unaffected');
});
