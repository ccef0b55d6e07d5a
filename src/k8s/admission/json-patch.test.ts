import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../client/objects.ts';
import { GROUP_INDEX_LABEL, SET_NAME_LABEL, SIZE_ANNOTATION, WORKER_INDEX_LABEL } from '../../lws/api/keys.ts';
import { jsonEqual, jsonPatch, type JsonPatchOperation } from './json-patch.ts';
import { defaultLeaderWorkerSet } from '../../lws/webhooks/lws-defaults.ts';
import { mutatePod } from '../../lws/webhooks/pod-mutation.ts';
import {
  buildLeaderWorkerSet,
  edit,
  makeLeaderPodSpecWithTPUResource,
  makePodSpecWithInitContainer,
} from '../../tooling/testing/lws-webhook-fixtures.ts';

/** A minimal RFC 6902 applier (add/replace/remove), strict about targets as the apiserver is. */
function apply(document: unknown, ops: JsonPatchOperation[]): unknown {
  let doc = structuredClone(document);
  for (const op of ops) {
    if (op.path === '') {
      assert.equal(op.op, 'replace');
      doc = structuredClone((op as { value: unknown }).value);
      continue;
    }
    const tokens = op.path
      .slice(1)
      .split('/')
      .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = tokens.pop()!;
    let parent = doc as Record<string, unknown>;
    for (const t of tokens) {
      assert.ok(t in parent, `missing ${t} in ${op.path}`);
      parent = parent[t] as Record<string, unknown>;
    }
    if (op.op === 'add') {
      assert.ok(!(last in parent), `add over an existing member: ${op.path}`);
      parent[last] = structuredClone(op.value);
    } else {
      assert.ok(last in parent, `${op.op} of a missing member: ${op.path}`);
      if (op.op === 'remove') delete parent[last];
      else parent[last] = structuredClone(op.value);
    }
  }
  return doc;
}

const leader: Pod = {
  metadata: {
    name: 'lws-1',
    namespace: 'default',
    labels: { [SET_NAME_LABEL]: 'lws', [WORKER_INDEX_LABEL]: '0' },
    annotations: { [SIZE_ANNOTATION]: '3', 'leaderworkerset.sigs.k8s.io/exclusive-topology': 'zone' },
  },
  spec: makeLeaderPodSpecWithTPUResource(),
};
const worker: Pod = {
  metadata: {
    name: 'lws-1-2',
    namespace: 'default',
    labels: { [SET_NAME_LABEL]: 'lws', [GROUP_INDEX_LABEL]: '1' },
    annotations: { [SIZE_ANNOTATION]: '3', 'leaderworkerset.sigs.k8s.io/subgroup-size': '1' },
  },
  spec: makePodSpecWithInitContainer(),
};

const roundTrips: [string, unknown, unknown][] = [
  ['mutated leader pod', leader, mutatePod(leader)],
  ['mutated worker pod', worker, mutatePod(worker)],
  [
    'defaulted LeaderWorkerSet',
    edit(buildLeaderWorkerSet(), (l) => {
      delete l.spec.rolloutStrategy;
      delete l.spec.networkConfig;
      l.spec.leaderWorkerTemplate.restartPolicy = 'Default';
    }),
    undefined,
  ],
  ['member removal and type change', { a: 1, b: { c: [1, 2] }, d: 'x' }, { b: { c: { n: 1 } }, d: null, e: [] }],
  ['scalar documents', 1, 'one'],
];

for (const [name, original, given] of roundTrips) {
  test(`jsonPatch round trip: ${name}`, () => {
    const mutated = given ?? defaultLeaderWorkerSet(original as never);
    const ops = jsonPatch(original, mutated);
    assert.ok(ops.length > 0);
    assert.ok(jsonEqual(apply(original, ops), mutated));
  });
}

test('jsonPatch of a mutated leader: label keys escaped, whole arrays replaced, absent members added', () => {
  const ops = jsonPatch(leader, mutatePod(leader));
  assert.deepStrictEqual(
    ops.map((o) => `${o.op} ${o.path}`),
    [
      'add /metadata/labels/leaderworkerset.sigs.k8s.io~1group-index',
      'add /metadata/labels/leaderworkerset.sigs.k8s.io~1group-key',
      'replace /spec/containers',
      'add /spec/affinity',
    ],
  );
});

test('jsonPatch of equal documents is empty, and undefined members count as absent', () => {
  assert.deepStrictEqual(jsonPatch(leader, structuredClone(leader)), []);
  assert.deepStrictEqual(jsonPatch({ a: 1 }, { a: 1, b: undefined }), []);
  assert.deepStrictEqual(jsonPatch({ 'a~b': { 'c/d': 1 } }, { 'a~b': { 'c/d': 2 } }), [
    { op: 'replace', path: '/a~0b/c~1d', value: 2 },
  ]);
});

test('jsonPatch values are copies, not references into the mutated object', () => {
  const mutated = { list: [1] };
  const [op] = jsonPatch({}, mutated);
  mutated.list.push(2);
  assert.deepStrictEqual(op, { op: 'add', path: '/list', value: [1] });
});
