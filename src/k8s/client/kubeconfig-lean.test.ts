import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LeanKubeConfig, leanFromKubeconfig, loadKubeConfigLean } from './kubeconfig-lean.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const doc = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}) => ({
  'current-context': 'ctx',
  contexts: [
    { name: 'other', context: { cluster: 'nope', user: 'nope' } },
    { name: 'ctx', context: { cluster: 'c', user: 'u' } },
  ],
  clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', ...cluster } }],
  users: [{ name: 'u', user }],
});

async function applied(kc: LeanKubeConfig): Promise<RequestOptions> {
  const options: RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  return options;
}

test('client certificates and CA from inline data or files relative to the kubeconfig', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-lean-'));
  writeFileSync(join(dir, 'client.key'), 'KEY');
  const kc = leanFromKubeconfig(
    doc(
      { 'client-certificate-data': b64('CERT'), 'client-key': 'client.key' },
      { 'certificate-authority-data': b64('CA'), 'tls-server-name': 'kubernetes' },
    ),
    dir,
  )!;
  assert.deepEqual(kc.getCurrentCluster(), { server: 'https://127.0.0.1:6443' });
  const o = await applied(kc);
  assert.equal(String(o.ca), 'CA');
  assert.equal(String(o.cert), 'CERT');
  assert.equal(String(o.key), 'KEY');
  assert.equal(o.servername, 'kubernetes');
  assert.equal(o.rejectUnauthorized, undefined);
  assert.deepEqual(o.headers, {});
});

test('bearer tokens (a token file is read again each time), basic auth, insecure-skip-tls-verify', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-lean-'));
  writeFileSync(join(dir, 'token'), 'one\n');
  const kc = leanFromKubeconfig(doc({ tokenFile: 'token' }, { 'insecure-skip-tls-verify': true }), dir)!;
  assert.deepEqual((await applied(kc)).headers, { Authorization: 'Bearer one' });
  writeFileSync(join(dir, 'token'), 'two');
  const o = await applied(kc);
  assert.deepEqual(o.headers, { Authorization: 'Bearer two' });
  assert.equal(o.rejectUnauthorized, false);
  assert.deepEqual((await applied(leanFromKubeconfig(doc({ token: 'abc' }), dir)!)).headers, {
    Authorization: 'Bearer abc',
  });
  const basic = await applied(leanFromKubeconfig(doc({ username: 'admin', password: 'pw' }), dir)!);
  assert.equal(basic.auth, 'admin:pw');
});

test('anything else is left to client-node: exec plugins, auth providers, proxies, impersonation, no context', () => {
  assert.equal(leanFromKubeconfig(doc({ exec: { command: 'aws' } }), '/'), undefined);
  assert.equal(leanFromKubeconfig(doc({ 'auth-provider': { name: 'oidc' } }), '/'), undefined);
  assert.equal(leanFromKubeconfig(doc({ as: 'someone' }), '/'), undefined);
  assert.equal(leanFromKubeconfig(doc({ token: 't' }, { 'proxy-url': 'http://proxy:3128' }), '/'), undefined);
  assert.equal(leanFromKubeconfig({ ...doc({ token: 't' }), 'current-context': 'missing' }, '/'), undefined);
});

test('loadKubeConfigLean: a lean config where possible, client-node otherwise, a clear error for a missing file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-lean-'));
  const lean = join(dir, 'lean.yaml');
  writeFileSync(lean, JSON.stringify(doc({ token: 't' })));
  assert.ok((await loadKubeConfigLean(lean, {})) instanceof LeanKubeConfig);
  const exec = join(dir, 'exec.yaml');
  writeFileSync(
    exec,
    JSON.stringify(doc({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'true' } })),
  );
  const fallback = await loadKubeConfigLean(exec, {});
  assert.ok(!(fallback instanceof LeanKubeConfig));
  assert.equal(fallback.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
  await assert.rejects(loadKubeConfigLean(join(dir, 'missing'), {}), /--kubeconfig: no such file/);
});
