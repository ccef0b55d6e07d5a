import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { ControllerRevision } from '../../k8s/client/objects.ts';
import { marshalGoGeneric } from '../../k8s/go/gojson.ts';
import {
  applyRevision,
  buildControllerRevision,
  controllerRevisionJSON,
  fnv1_32,
  hashPatch,
  highestRevision,
  matchesRevision,
  nextRevisionNumber,
  revisionKey,
  revisionKeyOf,
  revisionName,
  revisionPatch,
  revisionsEqual,
  setMatchesRevision,
} from './revision.ts';

interface Input {
  name: string;
  lws: LeaderWorkerSet;
  stored?: string;
  revisionNumber?: number;
}

interface Output {
  name: string;
  key: string;
  patch: string;
  revision: ControllerRevision;
  reapplied: string;
  equal?: boolean;
  matches?: boolean;
  appliedPatch?: string;
}

const golden = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../test/golden/${file}`, import.meta.url), 'utf8'));
const inputs = golden('revision-inputs.json') as Input[];
const outputs = golden('revision-keys.json') as Output[];
const vectors = inputs.map((input, i) => ({ input, want: outputs[i]! }));

test('golden files line up', () => {
  assert.ok(inputs.length >= 40);
  assert.deepEqual(
    outputs.map((o) => o.name),
    inputs.map((i) => i.name),
  );
});

for (const { input, want } of vectors) {
  test(`upstream bytes and key: ${input.name}`, () => {
    const patch = revisionPatch(input.lws);
    assert.equal(patch, want.patch);
    assert.equal(hashPatch(patch), want.key);
    assert.equal(revisionKey(input.lws), want.key);

    const cr = buildControllerRevision(input.lws, input.revisionNumber ?? 1);
    const { apiVersion, kind, ...rest } = cr;
    assert.deepEqual([apiVersion, kind], ['apps/v1', 'ControllerRevision']);
    assert.deepEqual(JSON.parse(JSON.stringify(rest)), want.revision);
    assert.ok(controllerRevisionJSON(cr).startsWith(`{"data":${want.patch},`));
  });
}

for (const { input, want } of vectors.filter((v) => v.input.stored !== undefined)) {
  test(`stored revision compared and applied as upstream does: ${input.name}`, () => {
    const proposed = buildControllerRevision(input.lws, 1);
    const stored: ControllerRevision = { ...proposed, data: JSON.parse(input.stored!) };
    // EqualRevision compares raw bytes; parsed data can only stand for bytes Go itself wrote.
    if (marshalGoGeneric(stored.data) === input.stored) assert.equal(revisionsEqual(proposed, stored), want.equal);
    assert.equal(setMatchesRevision(input.lws, proposed, stored), want.matches);
    assert.equal(matchesRevision(input.lws, stored), want.equal || want.matches);
    assert.equal(revisionPatch(applyRevision(input.lws, stored)), want.appliedPatch);
  });
}

test('applying any revision to another set restores what Go restores', () => {
  const base = inputs[0]!.lws;
  for (const { input, want } of vectors) {
    const rev = buildControllerRevision(input.lws, 1);
    const applied = applyRevision(base, rev);
    assert.equal(revisionPatch(applied), want.reapplied, input.name);
    assert.deepEqual(applied.metadata, base.metadata);
    assert.deepEqual(applied.spec.rolloutStrategy, base.spec.rolloutStrategy);
    assert.equal(Object.hasOwn(applied.spec.leaderWorkerTemplate, '$patch'), false);
    assert.equal(Object.hasOwn(applied.spec.networkConfig!, '$patch'), false);
    assert.equal(JSON.stringify(applied).includes('null'), false);
  }
});

test('applyRevision leaves its input alone', () => {
  const lws = structuredClone(inputs[2]!.lws);
  const before = JSON.stringify(lws);
  applyRevision(lws, buildControllerRevision(inputs[0]!.lws, 1));
  assert.equal(JSON.stringify(lws), before);
});

test('FNV-1 (not 1a) and the SafeEncodeString digit alphabet', () => {
  assert.equal(fnv1_32(''), 0x811c9dc5);
  assert.equal(fnv1_32('a'), 0x050c5d7e);
  assert.equal(fnv1_32('foobar'), 0x31f0b262);
  // 2166136261 spelled with 0→4 1→5 2→6 3→7 4→8 5→9 6→b 7→c 8→d 9→f.
  assert.equal(hashPatch(''), '65bb57b6b5');
});

test('revision names, numbers and keys', () => {
  assert.equal(revisionName('lws', '5c5fcdfb44', 2), 'lws-5c5fcdfb44-2');
  assert.equal(revisionName('x'.repeat(230), 'k', 1), `${'x'.repeat(220)}-k-1`);
  const revs = [3, 1, 3, 2].map((revision, i) => ({ metadata: { name: `r${i}` }, revision }));
  assert.equal(highestRevision(revs)?.metadata.name, 'r2', 'the last of equal numbers wins');
  assert.equal(nextRevisionNumber(revs), 4);
  assert.equal(nextRevisionNumber([]), 1);
  assert.equal(revisionKeyOf(undefined), '');
  assert.equal(revisionKeyOf(buildControllerRevision(inputs[0]!.lws, 1, 'adopted')), 'adopted');
});

test('an adopted key labels the revision but the name keeps the current hash', () => {
  const lws = inputs[0]!.lws;
  const cr = buildControllerRevision(lws, 5, 'oldkey');
  assert.equal(cr.metadata.name, `${lws.metadata.name}-${revisionKey(lws)}-5`);
  assert.equal(cr.metadata.labels?.['leaderworkerset.sigs.k8s.io/template-revision-hash'], 'oldkey');
});

test('revisionsEqual: both missing are equal, one missing is not', () => {
  const cr = buildControllerRevision(inputs[0]!.lws, 1);
  assert.equal(revisionsEqual(undefined, null), true);
  assert.equal(revisionsEqual(cr, undefined), false);
  assert.equal(revisionsEqual(cr, buildControllerRevision(inputs[1]!.lws, 7)), true);
  assert.equal(revisionsEqual(cr, buildControllerRevision(inputs[2]!.lws, 1)), false);
});
