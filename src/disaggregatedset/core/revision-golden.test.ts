// The DisaggregatedSet revision hash against upstream's own Go: test/golden/ds-revision-keys.json holds, per
// input of test/golden/ds-revision-inputs.json, what sigs.k8s.io/lws v0.10.0's ComputeRevision returned and the
// bytes it hashed (hack/golden dsrevisions). Our encoder must produce the same bytes, hence the same revision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { computeRevision, goRoleTemplatesEncoder, roleTemplates } from './revision.ts';
import type { DisaggregatedRoleSpec } from '../api/types.ts';

const read = (path: string): any => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));
const inputs: Array<{ name: string; roles: DisaggregatedRoleSpec[] }> = read('test/golden/ds-revision-inputs.json');
const keys: Array<{ name: string; revision: string; hashed: string }> = read('test/golden/ds-revision-keys.json');

test('every golden input has its upstream vector', () => {
  assert.deepEqual(
    keys.map((k) => k.name),
    inputs.map((i) => i.name),
  );
  assert.ok(inputs.length >= 10);
});

for (const [i, input] of inputs.entries()) {
  test(`revision as upstream: ${input.name}`, () => {
    const want = keys[i]!;
    assert.equal(goRoleTemplatesEncoder(roleTemplates(input.roles)), want.hashed);
    assert.equal(computeRevision(input.roles, goRoleTemplatesEncoder), want.revision);
  });
}

test('only leaderWorkerTemplate is hashed: replicas, rollout, scaling and metadata do not change the revision', () => {
  assert.equal(keys[1]!.revision, keys[2]!.revision);
  assert.notEqual(keys[1]!.revision, keys[3]!.revision);
  assert.equal(keys[0]!.revision, '4f53cda1');
});
