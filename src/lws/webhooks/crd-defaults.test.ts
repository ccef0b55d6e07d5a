import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CRD_FILE } from '../api/crd.ts';
import { applyCrdDefaults, TEMPLATE_DEFAULTS } from './crd-defaults.ts';
import { buildLeaderWorkerSet, edit } from '../../tooling/testing/lws-webhook-fixtures.ts';

interface Schema {
  default?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
}

/** Every `default` below `schema`, as `a.b[].c` paths. */
function defaultsOf(schema: Schema, path = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  if ('default' in schema) out.push([path, schema.default]);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    out.push(...defaultsOf(child, path ? `${path}.${name}` : name));
  }
  if (schema.items) out.push(...defaultsOf(schema.items, `${path}[]`));
  if (typeof schema.additionalProperties === 'object')
    out.push(...defaultsOf(schema.additionalProperties, `${path}{}`));
  return out;
}

test('the pod template defaults are exactly those of the CRD', () => {
  const crd = parse(readFileSync(fileURLToPath(new URL(`../../../${CRD_FILE}`, import.meta.url)), 'utf8'));
  const template = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.leaderWorkerTemplate;
  const sorted = (list: [string, unknown][]) => list.map(([p, v]) => `${p}=${JSON.stringify(v)}`).sort();
  for (const which of ['leaderTemplate', 'workerTemplate']) {
    assert.deepEqual(sorted(defaultsOf(template.properties[which].properties.spec)), sorted(TEMPLATE_DEFAULTS), which);
  }
});

// Found by the differential tests (docs/differential.md): the apiserver also defaults inside the pod templates
// (e.g. a port's protocol), which the webhooks and the revision hash then see.
test('CRD defaults fill pod template fields where their parents exist', () => {
  const lws = edit(buildLeaderWorkerSet(), (l) => {
    const worker = l.spec.leaderWorkerTemplate.workerTemplate.spec!;
    worker.containers[0]!.ports = [{ containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }];
    worker.initContainers = [{ name: 'init', env: [{ name: 'A', valueFrom: { configMapKeyRef: { key: 'k' } } }] }];
    worker.volumes = [
      { name: 'v', rbd: { image: 'i', monitors: ['m'] } },
      { name: 'e', emptyDir: {} },
    ];
    delete l.spec.leaderWorkerTemplate.leaderTemplate;
  });
  const out = applyCrdDefaults(lws).spec.leaderWorkerTemplate;
  const spec = out.workerTemplate.spec!;
  assert.deepEqual(spec.containers[0]!.ports, [
    { containerPort: 8080, protocol: 'TCP' },
    { containerPort: 53, protocol: 'UDP' },
  ]);
  assert.deepEqual(spec.initContainers![0]!.env![0]!.valueFrom, { configMapKeyRef: { key: 'k', name: '' } });
  assert.deepEqual(spec.volumes, [
    { name: 'v', rbd: { image: 'i', monitors: ['m'], keyring: '/etc/ceph/keyring', pool: 'rbd', user: 'admin' } },
    { name: 'e', emptyDir: {} },
  ]);
  assert.equal(out.leaderTemplate, undefined);
});
