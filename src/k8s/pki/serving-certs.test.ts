import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { certificateProblem, createServingCertificate, createWebhookCA, notAfter } from './serving-certs.ts';
import { lookaheadFor } from '../certs/cert-rotator.ts';

test('CA and serving certificate as cert-controller makes and judges them', async () => {
  const ca = await createWebhookCA();
  assert.match(ca.keyPem, /^-----BEGIN RSA PRIVATE KEY-----/, 'PKCS#1, which upstream parses');
  const caCert = new X509Certificate(ca.certPem);
  assert.equal(caCert.ca, true);
  assert.match(caCert.subject, /CN=lws-ca/);
  assert.match(caCert.subject, /O=lws/);
  const dns = 'lws-webhook-service.lws-system.svc';
  const server = await createServingCertificate(ca, dns, ['127.0.0.1'], 60_000);
  // ECDSA P-256 in SEC1 PEM: cheap handshakes, and Go's tls.X509KeyPair (upstream's check) reads it.
  assert.match(server.keyPem, /^-----BEGIN EC PRIVATE KEY-----/);
  assert.equal(new X509Certificate(server.certPem).publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const now = Date.now();
  assert.equal(
    certificateProblem(ca.certPem, ca.certPem, ca.keyPem, 'lws-ca', { at: now, serverAuth: false }),
    undefined,
  );
  const ok = { at: now, serverAuth: true, extraSans: ['127.0.0.1'] };
  assert.equal(certificateProblem(ca.certPem, server.certPem, server.keyPem, dns, ok), undefined);
  assert.match(
    certificateProblem(ca.certPem, server.certPem, server.keyPem, dns, { ...ok, at: now + 61_000 })!,
    /expires/,
  );
  assert.match(
    certificateProblem(ca.certPem, server.certPem, server.keyPem, 'other.svc', ok)!,
    /not valid for other\.svc/,
  );
  assert.match(certificateProblem(ca.certPem, server.certPem, ca.keyPem, dns, ok)!, /key does not match/);
  assert.match(
    certificateProblem(ca.certPem, server.certPem, server.keyPem, dns, { ...ok, extraSans: ['10.0.0.1'] })!,
    /10\.0\.0\.1/,
  );
  const other = await createWebhookCA();
  assert.match(certificateProblem(other.certPem, server.certPem, server.keyPem, dns, ok)!, /not signed by the CA/);
  assert.equal(certificateProblem(undefined, server.certPem, server.keyPem, dns, ok), 'empty cert');
  assert.ok(Math.abs(notAfter(server.certPem) - (now + 60_000)) < 2_000);
});

test("the renewal window is cert-controller's 90 days for long certificates, a quarter for short ones", () => {
  assert.equal(lookaheadFor(365 * 24 * 3_600_000), 90 * 24 * 3_600_000);
  assert.equal(lookaheadFor(40_000), 10_000);
});
