import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { Counter, Registry } from 'prom-client';
import { createCA, issueCertificate } from '../pki/pki.ts';
import { MetricsServer } from './metrics-server.ts';

const registry = new Registry();
new Counter({ name: 'controller_runtime_reconcile_total', help: 'h', registers: [registry] }).inc();
const ca = await createCA('t');
const pair = await issueCertificate(ca, { commonName: 'localhost', hosts: ['127.0.0.1'], usage: 'server' });
const server = new MetricsServer({
  host: '127.0.0.1',
  port: 0,
  registry,
  secure: {
    ...pair,
    tls: { minVersion: 'TLSv1.2' },
    filter: async ({ authorization }) =>
      authorization === 'Bearer ok'
        ? { allowed: true, user: { username: 'u' } }
        : { allowed: false, code: 401, message: 'Unauthorized' },
  },
});
const port = await server.listen();
after(() => server.close());

function get(path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, ca: ca.certPem, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('serves /metrics over HTTPS only to authorised requests', async () => {
  assert.deepEqual(await get('/metrics'), { status: 401, body: 'Unauthorized\n' });
  const ok = await get('/metrics', 'ok');
  assert.equal(ok.status, 200);
  assert.match(ok.body, /^controller_runtime_reconcile_total 1$/m);
  assert.equal((await get('/other', 'ok')).status, 404);
});
