import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { createCA, issueCertificate } from '../pki/pki.ts';
import { WebhookServer } from './server.ts';
import { allow, deny } from './review.ts';

function post(
  port: number,
  ca: string,
  path: string,
  body: unknown,
): Promise<{ status: number; json: any; serial: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca,
        servername: 'localhost',
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          const serial = (res.socket as TLSSocket).getPeerCertificate().serialNumber;
          const json = res.headers['content-type'] === 'application/json' ? JSON.parse(text) : text;
          resolve({ status: res.statusCode ?? 0, json, serial });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const review = (uid: string, object: unknown) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid, operation: 'CREATE', object, kind: { group: '', version: 'v1', kind: 'Pod' } },
});

test('routes reviews by path, encodes patches, denies with status, rejects bad input', async () => {
  const ca = await createCA('ca');
  const cert = await issueCertificate(ca, { commonName: 'localhost', hosts: ['localhost'], usage: 'server' });
  const server = new WebhookServer({
    port: 0,
    host: '127.0.0.1',
    certificate: cert,
    handlers: {
      '/mutate': () => allow([{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }]),
      '/validate': () => deny({ code: 422, reason: 'Invalid', message: 'nope' }),
      '/boom': () => {
        throw new Error('bug');
      },
    },
  });
  const port = await server.listen();
  try {
    const m = await post(port, ca.certPem, '/mutate', review('u1', {}));
    assert.equal(m.status, 200);
    assert.equal(m.json.response.uid, 'u1');
    assert.equal(m.json.response.allowed, true);
    assert.equal(m.json.response.patchType, 'JSONPatch');
    assert.deepEqual(JSON.parse(Buffer.from(m.json.response.patch, 'base64').toString()), [
      { op: 'add', path: '/metadata/labels', value: { a: 'b' } },
    ]);

    const v = await post(port, ca.certPem, '/validate', review('u2', {}));
    assert.deepEqual(v.json.response, {
      uid: 'u2',
      allowed: false,
      status: { code: 422, reason: 'Invalid', message: 'nope' },
    });

    const b = await post(port, ca.certPem, '/boom', review('u3', {}));
    assert.equal(b.json.response.allowed, false, 'a throwing handler never allows');
    assert.match(b.json.response.status.message, /internal error: bug/);

    const nowhere = await post(port, ca.certPem, '/nowhere', review('u4', {}));
    assert.deepEqual([nowhere.status, nowhere.json], [404, '404 page not found\n']);
    // controller-runtime answers bad reviews with HTTP 200 and a denial carrying the code and the problem.
    const other = await post(port, ca.certPem, '/mutate', { kind: 'Other' });
    assert.equal(other.status, 200);
    assert.equal(other.json.response.allowed, false);
    assert.equal(other.json.response.status.code, 400);
    assert.match(other.json.response.status.message, /expected kind AdmissionReview .* got kind "Other"/);
  } finally {
    await server.close();
  }
});

test('a new certificate is served to new connections without a restart', async () => {
  const ca = await createCA('ca');
  const first = await issueCertificate(ca, { commonName: 'localhost', hosts: ['localhost'], usage: 'server' });
  const second = await issueCertificate(ca, { commonName: 'localhost', hosts: ['localhost'], usage: 'server' });
  const server = new WebhookServer({
    port: 0,
    host: '127.0.0.1',
    certificate: first,
    handlers: { '/ok': () => allow() },
  });
  const port = await server.listen();
  try {
    const serialOf = (pem: string) => new X509Certificate(pem).serialNumber;
    assert.equal((await post(port, ca.certPem, '/ok', review('a', {}))).serial, serialOf(first.certPem));
    server.setCertificate(second);
    assert.equal((await post(port, ca.certPem, '/ok', review('b', {}))).serial, serialOf(second.certPem));
  } finally {
    await server.close();
  }
});
