import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectResponse, endOfHead, parseConnectRequest } from './http-connect.ts';

test("the apiserver's CONNECT request", () => {
  // Exactly what k8s.io/apiserver's tunnelHTTPConnect writes.
  const head = 'CONNECT 10.96.12.7:443 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  assert.equal(endOfHead(Buffer.from(head)), head.length);
  assert.deepEqual(parseConnectRequest(head), { ok: true, target: { host: '10.96.12.7', port: 443 } });
  assert.deepEqual(parseConnectRequest('CONNECT [fd00::12]:8443 HTTP/1.0\r\n\r\n'), {
    ok: true,
    target: { host: 'fd00::12', port: 8443 },
  });
  assert.deepEqual(parseConnectRequest('CONNECT node-1:10250 HTTP/1.1\r\n\r\n'), {
    ok: true,
    target: { host: 'node-1', port: 10250 },
  });
});

test('an incomplete head is not parsed yet; data after it is left alone', () => {
  assert.equal(endOfHead(Buffer.from('CONNECT 10.96.0.1:443 HTTP/1.1\r\nHost: x\r\n')), -1);
  const both = Buffer.from('CONNECT 10.96.0.1:443 HTTP/1.1\r\n\r\n\x16\x03\x01');
  assert.equal(both.subarray(endOfHead(both)).toString('latin1'), '\x16\x03\x01');
});

test('anything but CONNECT host:port is refused', () => {
  assert.deepEqual(parseConnectRequest('GET / HTTP/1.1\r\n\r\n'), {
    ok: false,
    status: 405,
    reason: 'Method Not Allowed',
  });
  assert.equal((parseConnectRequest('hello\r\n\r\n') as { status: number }).status, 400);
  assert.deepEqual(parseConnectRequest('CONNECT 10.96.0.1 HTTP/1.1\r\n\r\n'), {
    ok: false,
    status: 400,
    reason: 'Bad CONNECT target 10.96.0.1',
  });
  assert.equal((parseConnectRequest('CONNECT 10.96.0.1:0 HTTP/1.1\r\n\r\n') as { status: number }).status, 400);
});

test('responses: 200 keeps the connection, errors close it and carry a one-line reason', () => {
  assert.equal(connectResponse(200, 'Connection established'), 'HTTP/1.1 200 Connection established\r\n\r\n');
  assert.equal(
    connectResponse(502, 'direct: connect ECONNREFUSED\r\n127.0.0.1:1'),
    'HTTP/1.1 502 direct: connect ECONNREFUSED 127.0.0.1:1\r\nConnection: close\r\n\r\n',
  );
});
