import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCA, issueCertificate } from '../pki/pki.ts';
import { CertDirWatcher } from './cert-dir-watcher.ts';
import type { PemPair } from '../pki/serving-certs.ts';

test('loads the pair, reloads it when the files change, ignores a mismatched pair', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'certdir-'));
  const stop = new AbortController();
  after(async () => {
    stop.abort();
    await rm(dir, { recursive: true, force: true });
  });
  const ca = await createCA('t');
  const first = await issueCertificate(ca, { commonName: 'a', hosts: ['a'], usage: 'server' });
  const second = await issueCertificate(ca, { commonName: 'b', hosts: ['b'], usage: 'server' });
  const seen: PemPair[] = [];
  const watcher = new CertDirWatcher({ dir, onCertificate: (p) => seen.push(p), pollMs: 200 });
  const running = watcher.run(stop.signal);
  await sleep(300);
  assert.equal(watcher.ready, false, 'no files yet');
  await writeFile(join(dir, 'tls.crt'), first.certPem);
  await writeFile(join(dir, 'tls.key'), first.keyPem);
  assert.equal(await watcher.whenReady(AbortSignal.timeout(5000)), true);
  assert.equal(seen.at(-1)?.certPem, first.certPem);
  await writeFile(join(dir, 'tls.crt'), second.certPem); // key not yet replaced: a mismatched pair
  await sleep(500);
  assert.equal(seen.length, 1, 'the mismatched pair is not served');
  await writeFile(join(dir, 'tls.key'), second.keyPem);
  for (let i = 0; i < 50 && seen.length < 2; i++) await sleep(100);
  assert.equal(seen.at(-1)?.certPem, second.certPem);
  stop.abort();
  await running;
});
