import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isQualifiedName, isValidLabelValue, validateAnnotationKeys, validateLabels } from './labels.ts';
import { formatFieldErrors } from './field-errors.ts';

const NAME_RE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

test('IsQualifiedName: apimachinery messages', () => {
  for (const ok of ['app', 'kueue.x-k8s.io/queue-name', 'A_b.c-1', 'a'.repeat(63)])
    assert.deepEqual(isQualifiedName(ok), [], ok);
  assert.deepEqual(isQualifiedName('bad key'), [`name part ${NAME_RE}`]);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('x/'), ['name part must be non-empty', `name part ${NAME_RE}`]);
  assert.deepEqual(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
  assert.deepEqual(isQualifiedName('a/b/c'), [
    `a qualified name ${NAME_RE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
  ]);
  assert.match(isQualifiedName('Example.com/x')[0]!, /^prefix part a lowercase RFC 1123 subdomain/);
});

test('IsValidLabelValue and ValidateLabels', () => {
  for (const ok of ['', 'v', 'my_value', '1.2-3']) assert.deepEqual(isValidLabelValue(ok), [], ok);
  assert.equal(isValidLabelValue('x'.repeat(64))[0], 'must be no more than 63 characters');
  assert.equal(
    formatFieldErrors(validateLabels({ ok: 'yes', team: '-bad' }, 'metadata.labels')),
    "metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  );
  assert.deepEqual(validateAnnotationKeys({ 'Example.COM/Key': 'v' }, 'metadata.annotations'), []);
  assert.equal(validateAnnotationKeys({ 'a b': 'v' }, 'metadata.annotations').length, 1);
});
