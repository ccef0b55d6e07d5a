import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, formatFieldErrors, invalid, required, statusCauses, type FieldError } from './field-errors.ts';

const rendered: [string, FieldError, string][] = [
  ['number', invalid('spec.replicas', 5, 'too many'), 'spec.replicas: Invalid value: 5: too many'],
  ['Go string (%q)', invalid('metadata.name', 'a<b', 'bad'), 'metadata.name: Invalid value: "a<b": bad'],
  ['JSON-encoded string', invalid('spec.x', 'a<b', 'bad', true), 'spec.x: Invalid value: "a\\u003cb": bad'],
  ['nil pointer', invalid('spec.x', undefined, 'gone', true), 'spec.x: Invalid value: null: gone'],
  ['required without detail', required('metadata.namespace', ''), 'metadata.namespace: Required value'],
  [
    'required with detail',
    required('metadata.name', 'name or generateName is required'),
    'metadata.name: Required value: name or generateName is required',
  ],
  [
    'forbidden hides the value',
    { type: 'FieldValueForbidden', field: 'f', badValue: 'x', detail: 'no' },
    'f: Forbidden: no',
  ],
  [
    'unsupported shows the value',
    { type: 'FieldValueNotSupported', field: 'f', badValue: 'x', detail: 'supported values: "a"' },
    'f: Unsupported value: "x": supported values: "a"',
  ],
];

for (const [name, error, text] of rendered) {
  test(`field error text: ${name}`, () => assert.equal(errorString(error), text));
}

test('formatFieldErrors: one error bare, several bracketed, duplicates dropped, none empty', () => {
  const a = invalid('a', 1, 'x');
  const b = invalid('b', 2, 'y');
  assert.equal(formatFieldErrors([]), '');
  assert.equal(formatFieldErrors([a]), 'a: Invalid value: 1: x');
  assert.equal(formatFieldErrors([a, a]), 'a: Invalid value: 1: x');
  assert.equal(formatFieldErrors([a, b, a]), '[a: Invalid value: 1: x, b: Invalid value: 2: y]');
});

test('statusCauses mirror apierrors.NewInvalid causes', () => {
  assert.deepStrictEqual(statusCauses([invalid('spec.replicas', -1, 'neg')]), [
    { reason: 'FieldValueInvalid', message: 'Invalid value: -1: neg', field: 'spec.replicas' },
  ]);
});
