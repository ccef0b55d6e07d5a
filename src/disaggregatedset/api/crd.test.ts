// The committed DisaggregatedSet CRDs against upstream's v0.10.0 CRDs (test/golden/upstream-crds): the same
// structure — types, formats, defaults, enums, bounds, required lists, list/map markers, CEL rules, names, printer
// columns, subresources — with our own descriptions. The one intended difference is status.observedGeneration,
// which upstream added on main after v0.10.0 (#933) and which we write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DS_CRD_FILE, ROLE_SCALER_CRD_FILE, loadDisaggregatedSetCRDs } from './crd.ts';

const repo = new URL('../../../', import.meta.url);
const readYAML = (path: string): any => parse(readFileSync(new URL(path, repo), 'utf8'), { version: '1.1' });
const golden = (file: string) => readYAML(`test/golden/upstream-crds/${file.slice('config/crd/'.length)}`);

/** Drops descriptions (ours are our own words) and controller-gen's version annotation. */
function structure(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structure);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'description') out[k] = structure(v);
  return out;
}

/** Every path where the two trees differ, for a readable failure. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isMap = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isMap(a) && isMap(b)) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    return [...new Set([...Object.keys(x), ...Object.keys(y)])].flatMap((k) => differences(x[k], y[k], `${path}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((v, i) => differences(v, b[i], `${path}[${i}]`));
  }
  return [`${path}: ours ${JSON.stringify(a)?.slice(0, 200)} upstream ${JSON.stringify(b)?.slice(0, 200)}`];
}

const withoutVersionAnnotation = (crd: any) => {
  delete crd.metadata.annotations;
  return crd;
};

test('DisaggregatedSet CRD: structurally upstream v0.10.0 plus status.observedGeneration (#933)', () => {
  const ours = structure(readYAML(DS_CRD_FILE)) as any;
  const theirs = structure(withoutVersionAnnotation(golden(DS_CRD_FILE))) as any;
  const status = ours.spec.versions[0].schema.openAPIV3Schema.properties.status.properties;
  assert.deepEqual(status.observedGeneration, { type: 'integer', format: 'int64' });
  delete status.observedGeneration;
  assert.deepEqual(differences(ours, theirs), []);
});

test('DisaggregatedSetRoleScaler CRD: structurally upstream v0.10.0', () => {
  const ours = structure(readYAML(ROLE_SCALER_CRD_FILE));
  const theirs = structure(withoutVersionAnnotation(golden(ROLE_SCALER_CRD_FILE)));
  assert.deepEqual(differences(ours, theirs), []);
});

test('the facts users meet: names, short names, subresources, printer columns, defaults, CEL rule', () => {
  const [ds, scaler] = loadDisaggregatedSetCRDs();
  assert.equal(ds.metadata.name, 'disaggregatedsets.disaggregatedset.x-k8s.io');
  assert.equal(ds.spec.names.shortNames, undefined);
  assert.deepEqual(ds.spec.versions[0]!.subresources, { status: {} });
  const spec = ds.spec.versions[0]!.schema.openAPIV3Schema.properties!.spec!;
  assert.equal(spec.properties!.slices!.default, 1);
  assert.equal(spec.properties!.roles!.minItems, 2);
  assert.equal(spec.properties!.roles!.maxItems, 10);
  assert.equal(spec.properties!.placementPolicy!.properties!.type!.default, 'None');
  const role = spec.properties!.roles!.items!.properties!;
  assert.equal(role.scaling!.properties!.mode!.default, 'Static');
  assert.equal(role.spec!.properties!.leaderWorkerTemplate!.properties!.size!.default, 1);
  assert.match(JSON.stringify(spec['x-kubernetes-validations']), /replicas must be zero for all non-External roles/);
  assert.deepEqual(scaler.spec.names.shortNames, ['dsrs']);
  assert.deepEqual(scaler.spec.versions[0]!.subresources.scale, {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.status.selector',
  });
  assert.deepEqual(
    scaler.spec.versions[0]!.additionalPrinterColumns!.map((c) => c.name),
    ['Desired', 'Current', 'Age'],
  );
});
