import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createCA, issueCertificate, certificateExpiry } from './pki.ts';

test('issued server certificate chains to the CA and carries the requested names', async () => {
  const ca = await createCA('test-ca');
  const leaf = await issueCertificate(ca, {
    commonName: 'svc',
    organizations: ['org-a'],
    hosts: ['svc.ns.svc', '127.0.0.1'],
    usage: 'server',
  });
  const caCert = new X509Certificate(ca.certPem);
  const cert = new X509Certificate(leaf.certPem);
  assert.equal(caCert.ca, true);
  assert.equal(cert.ca, false);
  assert.ok(cert.verify(caCert.publicKey), 'leaf is signed by the CA');
  assert.ok(cert.checkIssued(caCert));
  assert.equal(cert.checkHost('svc.ns.svc'), 'svc.ns.svc');
  assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(cert.checkHost('other.example'), undefined);
  assert.match(cert.subject, /O=org-a/);
  assert.ok(cert.checkPrivateKey(createPrivateKey(leaf.keyPem)), 'key matches certificate');
});

test('validity follows the request', async () => {
  const ca = await createCA('test-ca');
  const leaf = await issueCertificate(ca, { commonName: 'c', usage: 'client', validForMs: 3_600_000 });
  const remaining = certificateExpiry(leaf.certPem).getTime() - Date.now();
  assert.ok(remaining > 3_000_000 && remaining <= 3_600_000, `remaining ${remaining}`);
});
