import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeRoutes,
  encodeRoutes,
  parseServiceKey,
  parseTarget,
  readRoutes,
  routesFile,
  serviceKey,
  withoutRoute,
  withRoute,
} from './routes.ts';

test('a service key is namespace/name:port', () => {
  assert.deepEqual(parseServiceKey('openshift-lws-operator/lws-webhook-service:443'), {
    namespace: 'openshift-lws-operator',
    name: 'lws-webhook-service',
    port: 443,
  });
  assert.equal(serviceKey({ namespace: 'ns', name: 'hook', port: 8443 }), 'ns/hook:8443');
});

test('bad service keys say what is wrong', () => {
  const bad: Array<[string, RegExp]> = [
    ['hook:443', /is not NAMESPACE\/SERVICE:PORT/],
    ['ns/hook', /is not NAMESPACE\/SERVICE:PORT/],
    ['NS/hook:443', /namespace "NS" is not a DNS label/],
    ['ns/hook_1:443', /service name "hook_1" is not a DNS label/],
    ['ns/:443', /service name "" is not a DNS label/],
    ['ns/hook:0', /port "0" is not a number from 1 to 65535/],
    ['ns/hook:https', /port "https" is not a number/],
    ['ns/hook:70000', /port "70000"/],
  ];
  for (const [text, message] of bad) assert.throws(() => parseServiceKey(text), message, text);
});

test('targets are host:port, [v6]:port, or a bare port on 127.0.0.1', () => {
  assert.deepEqual(parseTarget('127.0.0.1:19443'), { host: '127.0.0.1', port: 19443 });
  assert.deepEqual(parseTarget('localhost:8080'), { host: 'localhost', port: 8080 });
  assert.deepEqual(parseTarget('[::1]:9443'), { host: '::1', port: 9443 });
  assert.deepEqual(parseTarget('9443'), { host: '127.0.0.1', port: 9443 });
  for (const bad of ['127.0.0.1', '127.0.0.1:', ':9443', '127.0.0.1:99999', '::1:9443', '[nope]:1', 'a b:1']) {
    assert.throws(() => parseTarget(bad), /is not HOST:PORT/, bad);
  }
});

test('the route table adds, replaces and removes by service port', () => {
  const hook = { namespace: 'ns', name: 'hook', port: 443 };
  let routes = withRoute(new Map(), hook, { host: '127.0.0.1', port: 1 });
  routes = withRoute(routes, hook, { host: '::1', port: 2 });
  routes = withRoute(routes, { ...hook, port: 8443 }, { host: '127.0.0.1', port: 3 });
  assert.deepEqual(
    [...routes],
    [
      ['ns/hook:443', '[::1]:2'],
      ['ns/hook:8443', '127.0.0.1:3'],
    ],
  );
  routes = withoutRoute(routes, hook);
  assert.deepEqual([...routes], [['ns/hook:8443', '127.0.0.1:3']]);
  assert.equal(withoutRoute(routes, hook).size, 1, 'removing a missing route changes nothing');
});

test('the file format round-trips, sorted, and is validated', () => {
  const routes = new Map([
    ['z/b:1', '127.0.0.1:2'],
    ['a/b:443', '[::1]:9443'],
  ]);
  const text = encodeRoutes(routes);
  assert.equal(text, '{\n  "routes": {\n    "a/b:443": "[::1]:9443",\n    "z/b:1": "127.0.0.1:2"\n  }\n}\n');
  assert.deepEqual([...decodeRoutes(text)].sort(), [...routes].sort());
  assert.equal(decodeRoutes('{}').size, 0);
  assert.throws(() => decodeRoutes('{"routes": {"x": "127.0.0.1:1"}}'), /"x" is not NAMESPACE/);
  assert.throws(() => decodeRoutes('{"routes": {"a/b:1": 5}}'), /route a\/b:1: target must be a string/);
  assert.throws(() => decodeRoutes('{"routes": []}'), /"routes" must be an object/);
});

test('readRoutes: no file means no routes; a broken file names itself', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lws-routes-'));
  try {
    assert.equal((await readRoutes(dir)).size, 0);
    await writeFile(routesFile(dir), '{"routes": {"ns/hook:443": "127.0.0.1:9443"}}');
    assert.deepEqual([...(await readRoutes(dir))], [['ns/hook:443', '127.0.0.1:9443']]);
    await writeFile(routesFile(dir), '{');
    await assert.rejects(readRoutes(dir), (e: Error) => e.message.startsWith(routesFile(dir)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
