import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../client/client.ts';
import { createCA, issueCertificate } from '../pki/pki.ts';
import { silentLogger } from '../runtime/log.ts';
import { servedCertificate } from '../../tooling/testing/runtime-fixtures.ts';
import { eventually } from '../../tooling/testing/wait.ts';
import { createRegistry, startMetricsServer } from './observability.ts';

// The metrics server never calls the API in these tests (no request reaches /metrics); a client is only
// needed to build its authorization filter.
async function offlineClient(): Promise<KubeClient> {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return KubeClient.fromKubeConfig(kc);
}
const options = { address: { host: '127.0.0.1', port: 0 }, secure: true, tls: { minVersion: 'TLSv1.2' as const } };
const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

describe('startMetricsServer: the certificate', () => {
  test('self-signed when the cert directory is empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metrics-certs-'));
    const client = await offlineClient();
    const server = await startMetricsServer(options, createRegistry(), client, silentLogger(), {
      signal: AbortSignal.timeout(60_000),
      background: [],
      certDir: dir,
    });
    try {
      const served = await servedCertificate(server!.port);
      assert.equal(served.subject.CN, 'localhost');
    } finally {
      await server?.close();
      client.close();
      rmSync(dir, { recursive: true });
    }
  });

  test("the cert directory's tls.crt/tls.key (cert-manager's Secret), reloaded when it is renewed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metrics-certs-'));
    const ca = await createCA('metrics-ca');
    const write = async (cn: string) => {
      const pair = await issueCertificate(ca, { commonName: cn, hosts: ['127.0.0.1'], usage: 'server' });
      writeFileSync(join(dir, 'tls.crt'), pair.certPem);
      writeFileSync(join(dir, 'tls.key'), pair.keyPem);
      return pair.certPem;
    };
    const first = await write('lws-metrics');
    const client = await offlineClient();
    const stop = new AbortController();
    const background: Promise<unknown>[] = [];
    const server = await startMetricsServer(options, createRegistry(), client, silentLogger(), {
      signal: stop.signal,
      background,
      certDir: dir,
    });
    try {
      const port = server!.port;
      assert.equal((await servedCertificate(port)).fingerprint256, fingerprint(first));
      const renewed = await write('lws-metrics-renewed');
      await eventually(async () => assert.equal((await servedCertificate(port)).fingerprint256, fingerprint(renewed)));
    } finally {
      stop.abort();
      await Promise.allSettled(background);
      await server?.close();
      client.close();
      rmSync(dir, { recursive: true });
    }
  });
});
