import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldErrors } from './field-errors.ts';
import { isDNS1035Label, isDNS1123Label, validateObjectMeta } from './object-meta.ts';

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123 =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const dns1035: [string, string[]][] = [
  ['test-sample', []],
  ['a', []],
  ['2cube', [DNS1035]],
  ['ends-', [DNS1035]],
  ['Upper', [DNS1035]],
  ['a.b', [DNS1035]],
  ['a'.repeat(63), []],
  ['a'.repeat(64), ['must be no more than 63 characters']],
  ['-'.repeat(64), ['must be no more than 63 characters', DNS1035]],
];

for (const [value, errors] of dns1035) {
  test(`isDNS1035Label(${JSON.stringify(value.length > 20 ? `${value.slice(0, 3)}…×${value.length}` : value)})`, () => {
    assert.deepStrictEqual(isDNS1035Label(value), errors);
  });
}

test('isDNS1123Label: digits may start, dots get their own message', () => {
  assert.deepStrictEqual(isDNS1123Label('2cube'), []);
  assert.deepStrictEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepStrictEqual(isDNS1123Label('A'), [DNS1123]);
});

const metas: [string, Parameters<typeof validateObjectMeta>[0], string][] = [
  ['valid', { name: 'lws', namespace: 'default' }, ''],
  ['missing name', { namespace: 'default' }, 'metadata.name: Required value: name or generateName is required'],
  ['missing namespace', { name: 'lws' }, 'metadata.namespace: Required value'],
  [
    'bad namespace',
    { name: 'lws', namespace: 'a.b' },
    'metadata.namespace: Invalid value: "a.b": must not contain dots',
  ],
  [
    'generateName prefix may end with a dash, but must still be a label',
    { generateName: '2x-', name: 'lws', namespace: 'default' },
    `metadata.generateName: Invalid value: "2x-": ${DNS1035}`,
  ],
  ['valid generateName', { generateName: 'lws-', name: 'lws-abcde', namespace: 'default' }, ''],
  [
    'negative generation',
    { name: 'lws', namespace: 'default', generation: -1 },
    'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
  ],
];

for (const [name, meta, text] of metas) {
  test(`validateObjectMeta: ${name}`, () => {
    assert.equal(formatFieldErrors(validateObjectMeta(meta, true, isDNS1035Label)), text);
  });
}

test('validateObjectMeta: a namespace on a cluster-scoped object is forbidden', () => {
  assert.equal(
    formatFieldErrors(validateObjectMeta({ name: 'x', namespace: 'ns' }, false, isDNS1035Label)),
    'metadata.namespace: Forbidden: not allowed on this type',
  );
});
