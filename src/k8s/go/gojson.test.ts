import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareGoStrings,
  GoDecodeError,
  goNumber,
  goString,
  marshalGo,
  marshalGoGeneric,
  toGoJSON,
} from './gojson.ts';
import { LEADER_WORKER_TEMPLATE, NETWORK_CONFIG } from '../../lws/api/go-types.ts';
import { formatGoTime, parseGoTime } from './gotime.ts';

const asGo = (input: unknown): string => marshalGo(toGoJSON(input, LEADER_WORKER_TEMPLATE));

test('strings are escaped as encoding/json does with HTML escaping', () => {
  assert.equal(goString('<a>&</a>'), '"\\u003ca\\u003e\\u0026\\u003c/a\\u003e"');
  assert.equal(goString('"\\/'), '"\\"\\\\/"');
  assert.equal(goString('\b\f\n\r\t\u0001\u001f\u007f'), '"\\b\\f\\n\\r\\t\\u0001\\u001f\u007f"');
  assert.equal(goString('\u2028\u2029'), '"\\u2028\\u2029"');
  assert.equal(goString('é世🚀'), '"é世🚀"');
  assert.equal(goString('\ud800'), '"\ufffd"', 'a lone surrogate is invalid UTF-8 to Go');
});

test('numbers are printed as float64', () => {
  assert.equal(goNumber(3), '3');
  assert.equal(goNumber(-0), '-0');
  assert.equal(goNumber(1e21), '1e+21');
  assert.equal(goNumber(1e-7), '1e-7');
  assert.equal(goNumber(0.000001), '0.000001');
  assert.equal(goNumber(2 ** 63), '9223372036854776000');
  assert.throws(() => goNumber(NaN), GoDecodeError);
});

test('map keys sort by UTF-8 bytes, not UTF-16 units', () => {
  const keys = ['🚀', '\uff5e', 'b', 'B', '10', '9', ''];
  assert.deepEqual([...keys].sort(compareGoStrings), ['', '10', '9', 'B', 'b', '\uff5e', '🚀']);
  assert.equal(marshalGoGeneric({ b: 1, a: { d: [true, null], c: 'x' } }), '{"a":{"c":"x","d":[true,null]},"b":1}');
});

test('fields without omitempty are always written', () => {
  assert.equal(asGo({ workerTemplate: {} }), '{"workerTemplate":{"metadata":{},"spec":{"containers":null}}}');
  assert.equal(
    asGo({ workerTemplate: { spec: { containers: [{}] } } }),
    '{"workerTemplate":{"metadata":{},"spec":{"containers":[{"name":"","resources":{}}]}}}',
  );
});

test('omitempty drops zero scalars, nil and empty collections, but not non-nil pointers', () => {
  const t = { size: 0, restartPolicy: '', volumeClaimTemplates: [], workerTemplate: { metadata: { labels: {} } } };
  assert.equal(asGo(t), '{"size":0,"workerTemplate":{"metadata":{},"spec":{"containers":null}}}');
});

test('unknown and wrong-case fields are dropped; nulls decode to zero values', () => {
  const t = { bogus: 1, Size: 4, workerTemplate: { spec: { containers: [{ name: null, Name: 'x', ports: null }] } } };
  assert.equal(asGo(t), '{"workerTemplate":{"metadata":{},"spec":{"containers":[{"name":"","resources":{}}]}}}');
});

test('quantities, int-or-string and times take their Go JSON form', () => {
  const c = {
    name: 'c',
    resources: { limits: { cpu: 0.5, memory: '1024Mi' } },
    readinessProbe: { httpGet: { port: 'http' } },
    livenessProbe: { tcpSocket: { port: 80 } },
  };
  const t = {
    workerTemplate: { metadata: { creationTimestamp: '2024-01-01T01:00:00+01:00' }, spec: { containers: [c] } },
  };
  const out = asGo(t);
  assert.match(out, /"limits":\{"cpu":"500m","memory":"1Gi"\}/);
  assert.match(out, /"httpGet":\{"port":"http"\}/);
  assert.match(out, /"tcpSocket":\{"port":80\}/);
  assert.match(out, /"creationTimestamp":"2024-01-01T00:00:00Z"/);
});

test('values Go cannot decode are errors', () => {
  for (const t of [
    { size: '3' },
    { size: 1.5 },
    { workerTemplate: [] },
    { workerTemplate: { spec: { containers: {} } } },
    { workerTemplate: { spec: { containers: [{ resources: { limits: { cpu: 'lots' } } }] } } },
    { workerTemplate: { metadata: { creationTimestamp: '2024-02-30T00:00:00Z' } } },
  ]) {
    assert.throws(() => asGo(t), GoDecodeError, JSON.stringify(t));
  }
});

test('networkConfig keeps a null policy (no omitempty)', () => {
  assert.equal(marshalGo(toGoJSON({}, NETWORK_CONFIG)), '{"subdomainPolicy":null}');
});

test('metav1.Time parsing and printing', () => {
  const t = (s: string): string | null | undefined => {
    const p = parseGoTime(s);
    return p && formatGoTime(p);
  };
  assert.equal(t('2024-02-29T23:59:59Z'), '2024-02-29T23:59:59Z');
  assert.equal(t('2024-03-01T00:30:00.999+01:00'), '2024-02-29T23:30:00Z');
  assert.equal(t('0001-01-01T00:00:00Z'), null);
  assert.equal(t('0001-01-01T00:00:00.0000000001Z'), null, 'Go reads nine fractional digits only');
  assert.equal(t('0001-01-01T00:00:00.000000001Z'), '0001-01-01T00:00:00Z');
  assert.equal(t('9999-12-31T23:00:00-02:00'), '10000-01-01T01:00:00Z');
  for (const bad of ['2023-02-29T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01 00:00:00Z', '2024-01-01T00:00:00']) {
    assert.equal(parseGoTime(bad), undefined, bad);
  }
});

test('marshalGoTyped: struct fields keep declaration order, only Go maps are sorted', async () => {
  const { encodeGoTyped, goStruct } = await import('./gojson.ts');
  const type = goStruct('T', [
    ['zeta', { kind: 'string' }],
    ['labels', { kind: 'map', elem: { kind: 'string' } }],
    ['alpha', { kind: 'slice', elem: { kind: 'int' } }],
  ]);
  assert.equal(
    encodeGoTyped({ alpha: [2, 1], labels: { b: '<1>', a: '2' }, zeta: 'z', unknown: 1 }, type),
    '{"zeta":"z","labels":{"a":"2","b":"\\u003c1\\u003e"},"alpha":[2,1]}',
  );
  assert.equal(encodeGoTyped({}, type), '{"zeta":"","labels":null,"alpha":null}');
});
