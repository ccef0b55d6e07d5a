import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthServer, ping } from './health-server.ts';

const server = new HealthServer({ host: '127.0.0.1', port: 0, livenessPath: '/healthz', readinessPath: '/readyz' });
let synced = false;
server.addLivenessCheck('healthz', ping);
server.addReadinessCheck('readyz', ping);
server.addReadinessCheck('informer-sync', () => {
  if (!synced) throw new Error('not yet');
});
const port = await server.listen();
after(() => server.close());

async function get(path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

test("answers like controller-runtime's healthz handler", async () => {
  assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
  assert.deepEqual(await get('/readyz'), {
    status: 500,
    body: '[-]informer-sync failed: reason withheld\n[+]readyz ok\nhealthz check failed\n',
  });
  assert.deepEqual(await get('/readyz?exclude=informer-sync'), { status: 200, body: 'ok' });
  assert.equal((await get('/readyz/informer-sync')).status, 500);
  assert.deepEqual(await get('/readyz/readyz'), { status: 200, body: 'ok' });
  synced = true;
  assert.deepEqual(await get('/readyz'), { status: 200, body: 'ok' });
  assert.deepEqual(await get('/readyz?verbose'), {
    status: 200,
    body: '[+]informer-sync ok\n[+]readyz ok\nhealthz check passed\n',
  });
  assert.equal((await get('/other')).status, 404);
  assert.equal((await get('/readyz/nope')).status, 404);
});
