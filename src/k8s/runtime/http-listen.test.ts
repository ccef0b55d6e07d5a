import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { createCA, issueCertificate } from '../pki/pki.ts';
import { WebhookServer } from '../admission/server.ts';
import { allow } from '../admission/review.ts';
import { MetricsServer } from './metrics-server.ts';
import { HealthServer } from './health-server.ts';
import { GO_SERVER_TIMEOUTS, serverOptions, withServerLimits, type ServerTimeouts } from './http-listen.ts';
import { createServer } from 'node:http';
import { RawConnection } from '../../tooling/testing/raw-http.ts';

const review = (uid: string) =>
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      operation: 'CREATE',
      object: { metadata: { name: 'p' } },
      kind: { group: '', version: 'v1', kind: 'Pod' },
    },
  });
const JSON_HEADERS = { 'Content-Type': 'application/json' };

async function servers(timeouts?: Partial<ServerTimeouts>) {
  const ca = await createCA('ca');
  const cert = await issueCertificate(ca, { commonName: 'localhost', hosts: ['localhost'], usage: 'server' });
  const webhook = new WebhookServer({
    host: '127.0.0.1',
    port: 0,
    certificate: cert,
    handlers: { '/validate': () => allow() },
    timeouts,
  });
  const registry = new Registry();
  const metrics = new MetricsServer({
    host: '127.0.0.1',
    port: 0,
    registry,
    timeouts,
    secure: {
      ...cert,
      tls: { minVersion: 'TLSv1.2' },
      filter: async () => ({ allowed: true, user: { username: 'u' } }),
    },
  });
  const health = new HealthServer({ host: '127.0.0.1', port: 0, livenessPath: '/healthz', readinessPath: '/readyz' });
  const ports = { webhook: await webhook.listen(), metrics: await metrics.listen(), health: await health.listen() };
  return {
    ca: ca.certPem,
    ports,
    close: () => Promise.all([webhook.close(), metrics.close(), health.close()]),
  };
}

test('the connection settings are Go net/http with controller-runtime httpserver.New values', () => {
  assert.deepEqual(GO_SERVER_TIMEOUTS, {
    keepAliveTimeoutMs: 90_000,
    headersTimeoutMs: 32_000,
    requestTimeoutMs: 60_000,
    checkIntervalMs: 1_000,
  });
  const server = withServerLimits(createServer(serverOptions()));
  assert.equal(server.keepAliveTimeout, 90_000, 'Node default is 5 s');
  assert.equal(server.headersTimeout, 32_000);
  assert.equal(server.requestTimeout, 60_000);
  assert.equal(server.maxRequestsPerSocket, 0);
  assert.equal(server.timeout, 0);
});

test('a second request on one connection after 20 s idle is answered (admission and metrics over TLS, probes)', async () => {
  const s = await servers();
  try {
    const webhook = await RawConnection.open(s.ports.webhook, s.ca);
    const metrics = await RawConnection.open(s.ports.metrics, s.ca);
    const health = await RawConnection.open(s.ports.health);
    const round = async (uid: string) => {
      const w = await webhook.request('POST', '/validate?timeout=10s', JSON_HEADERS, review(uid));
      assert.equal(w.status, 200);
      assert.equal(JSON.parse(w.body).response.uid, uid);
      assert.equal(JSON.parse(w.body).response.allowed, true);
      assert.equal((await metrics.request('GET', '/metrics', { Authorization: 'Bearer t' })).status, 200);
      assert.equal((await health.request('GET', '/healthz')).status, 200);
    };
    await round('first');
    await sleep(20_000); // the idle time the apiserver's webhook transport keeps a connection (up to 90 s)
    assert.equal(webhook.closed || metrics.closed || health.closed, false, 'no server closed an idle connection');
    await round('second');
    for (const c of [webhook, metrics, health]) c.close();
  } finally {
    await s.close();
  }
});

test('idle time between requests does not count against the header and request timeouts', async () => {
  const s = await servers({ headersTimeoutMs: 1_000, requestTimeoutMs: 1_500, checkIntervalMs: 100 });
  try {
    const webhook = await RawConnection.open(s.ports.webhook, s.ca);
    assert.equal((await webhook.request('POST', '/validate', JSON_HEADERS, review('a'))).status, 200);
    await sleep(3_000);
    assert.equal((await webhook.request('POST', '/validate', JSON_HEADERS, review('b'))).status, 200);
    webhook.close();
  } finally {
    await s.close();
  }
});

test('an idle connection is closed after the keep-alive timeout (the knob is wired)', async () => {
  const s = await servers({ keepAliveTimeoutMs: 500 });
  try {
    const webhook = await RawConnection.open(s.ports.webhook, s.ca);
    assert.equal((await webhook.request('POST', '/validate', JSON_HEADERS, review('a'))).status, 200);
    await webhook.untilClosed();
  } finally {
    await s.close();
  }
});
