import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPatch, defaulterPatch } from './defaulter-patch.ts';
import { lwsAsGo, lwsDefaultingPatch } from '../../lws/webhooks/lws-defaulting-patch.ts';
import { buildLeaderWorkerSet, edit } from '../../tooling/testing/lws-webhook-fixtures.ts';

test('createPatch diffs like gomodules.xyz/jsonpatch: members, arrays element by element, type changes replace', () => {
  assert.deepEqual(
    createPatch({ a: 1, b: [1, 2, 3], c: { d: 'x' }, e: 'gone' }, { a: '1', b: [1, 5], c: { d: 'x', f: null }, g: [] }),
    [
      { op: 'replace', path: '/a', value: '1' },
      { op: 'remove', path: '/b/2' },
      { op: 'replace', path: '/b/1', value: 5 },
      { op: 'add', path: '/c/f', value: null },
      { op: 'add', path: '/g', value: [] },
      { op: 'remove', path: '/e' },
    ],
  );
  assert.deepEqual(createPatch({ 'a/b~': null }, { 'a/b~': null }), []);
});

test("defaulterPatch: nothing when the typed object did not change, and never the typed round trip's removals", () => {
  const raw = { spec: { args: [], size: 1 } };
  const original = { spec: { size: 1 }, status: {} };
  assert.deepEqual(defaulterPatch(raw, original, structuredClone(original)), []);
  assert.deepEqual(defaulterPatch(raw, original, { spec: { size: 1, policy: 'x' }, status: {} }), [
    { op: 'add', path: '/spec/policy', value: 'x' },
    { op: 'add', path: '/status', value: {} },
  ]);
});

// Found by the differential tests (docs/differential.md): quantities and other values are rewritten in
// Go's encoding once any default applies, as upstream's patch does; empty values the user wrote stay.
test('the LWS defaulting patch rewrites values into their Go encoding', () => {
  const lws = edit(buildLeaderWorkerSet(), (l) => {
    delete l.spec.networkConfig;
    const worker = l.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!;
    worker.resources = { limits: { 'google.com/tpu': 4 as never, cpu: '1000m' } };
    worker.args = [];
  });
  const patch = lwsDefaultingPatch(lws);
  const container = '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0';
  assert.ok(
    patch.some(
      (op) => op.op === 'replace' && op.path === `${container}/resources/limits/google.com~1tpu` && op.value === '4',
    ),
  );
  assert.ok(
    patch.some((op) => op.op === 'replace' && op.path === `${container}/resources/limits/cpu` && op.value === '1'),
  );
  assert.ok(!patch.some((op) => op.path === `${container}/args`));
  assert.deepEqual((lwsAsGo(lws) as any).spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].resources, {
    limits: { cpu: '1', 'google.com/tpu': '4' },
  });
});
