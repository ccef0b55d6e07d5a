import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { resolveSchema, schemaIndex, type OpenAPIDocument } from '../../k8s/crd/openapi.ts';
import { buildLeaderWorkerSetCRD, CRD_NAME, loadLeaderWorkerSetCRD, renderCRD } from './crd.ts';
import {
  CONDITION,
  EMBEDDED_OBJECT_META,
  LOCAL_OBJECT_REFERENCE,
  PERSISTENT_VOLUME_CLAIM,
  POD_TEMPLATE_SPEC,
  PVC_RETENTION_POLICY,
  QUANTITY_PATTERN,
  TYPE_META_SOURCE,
  leaderWorkerSetSpecSchema,
  leaderWorkerSetStatusSchema,
  ref,
  type JSONSchemaProps,
} from './crd-schema.ts';

const doc = (schemas: Record<string, JSONSchemaProps>): OpenAPIDocument => ({ components: { schemas } });
const allOf = (name: string, extra: JSONSchemaProps = {}): JSONSchemaProps => ({
  ...extra,
  allOf: [{ $ref: `#/components/schemas/${name}` }],
});
const resolveIn = (schemas: Record<string, JSONSchemaProps>, schema: JSONSchemaProps) =>
  resolveSchema(schema, schemaIndex([doc(schemas)]));

test('allOf-wrapped refs are inlined; the field description wins, the type description stays for items', () => {
  const out = resolveIn(
    {
      'x.Port': { description: 'A port.', type: 'object', properties: { n: { type: 'integer', format: 'int32' } } },
      'x.Holder': {
        type: 'object',
        properties: {
          main: allOf('x.Port', { description: 'The main port.', default: {} }),
          all: { type: 'array', items: allOf('x.Port', { default: {} }) },
        },
      },
    },
    ref('x.Holder'),
  );
  assert.deepEqual(out, {
    type: 'object',
    properties: {
      main: { description: 'The main port.', type: 'object', properties: { n: { type: 'integer', format: 'int32' } } },
      all: {
        type: 'array',
        items: { description: 'A port.', type: 'object', properties: { n: { type: 'integer', format: 'int32' } } },
      },
    },
  });
});

test('IntOrString, Quantity, Time and embedded ObjectMeta get their controller-gen forms', () => {
  const out = resolveIn(
    {
      'x.T': {
        type: 'object',
        properties: {
          port: allOf('io.k8s.apimachinery.pkg.util.intstr.IntOrString', { description: 'Port.' }),
          limits: { type: 'object', additionalProperties: allOf('io.k8s.apimachinery.pkg.api.resource.Quantity') },
          at: allOf('io.k8s.apimachinery.pkg.apis.meta.v1.Time'),
          metadata: allOf('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', { description: 'Meta.', default: {} }),
        },
      },
    },
    ref('x.T'),
  );
  const intOrString = { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
  assert.deepEqual(out.properties?.port, { ...intOrString, description: 'Port.' });
  assert.deepEqual(out.properties?.limits?.additionalProperties, { ...intOrString, pattern: QUANTITY_PATTERN });
  assert.deepEqual(out.properties?.at, { type: 'string', format: 'date-time' });
  assert.deepEqual(out.properties?.metadata, { ...EMBEDDED_OBJECT_META, description: 'Meta.' });
  assert.ok(new RegExp(QUANTITY_PATTERN).test('1.5Gi') && !new RegExp(QUANTITY_PATTERN).test('1.5 GB'));
});

test('openapi-gen extras are dropped; list and map markers are kept; required is sorted', () => {
  const out = resolveIn(
    {
      'x.T': {
        type: 'object',
        required: ['name', 'image'],
        'x-kubernetes-group-version-kind': [{ group: '', kind: 'T', version: 'v1' }],
        'x-kubernetes-unions': [{ discriminator: 'type' }],
        properties: {
          name: { type: 'string' },
          image: { type: 'string' },
          policy: {
            description: 'Pull policy.\n\nPossible enum values:\n - `"Always"` pulls.',
            type: 'string',
            enum: ['Always'],
          },
          env: {
            type: 'array',
            items: { type: 'string' },
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name', 'protocol'],
            'x-kubernetes-patch-strategy': 'merge',
            'x-kubernetes-patch-merge-key': 'name',
          },
          selector: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
        },
      },
    },
    ref('x.T'),
  );
  assert.deepEqual(out, {
    type: 'object',
    required: ['image', 'name'],
    properties: {
      name: { type: 'string' },
      image: { type: 'string' },
      policy: { description: 'Pull policy.', type: 'string' },
      env: {
        type: 'array',
        items: { type: 'string' },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name', 'protocol'],
      },
      selector: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
    },
  });
});

test('only +default marker values survive in built-in types; our own defaults and enums stay', () => {
  const out = resolveIn(
    {
      'x.T': {
        type: 'object',
        required: ['name', 'count'],
        properties: {
          name: { type: 'string', default: '' }, // required: implicit zero value
          count: { type: 'integer', default: 0 },
          optionalName: { type: 'string', default: '' }, // optional: a +default="" marker
          readOnly: { type: 'boolean', default: false },
          protocol: { type: 'string', default: 'TCP' },
          nested: allOf('x.Empty', { default: {} }),
          tags: { type: 'object', additionalProperties: { type: 'string', default: '' } },
        },
      },
      'x.Empty': { type: 'object' },
      'io.k8s.api.core.v1.AzureDiskVolumeSource': {
        type: 'object',
        properties: { kind: { type: 'string', default: 'Shared' }, fsType: { type: 'string', default: 'ext4' } },
      },
    },
    {
      type: 'object',
      properties: {
        t: ref('x.T'),
        disk: ref('io.k8s.api.core.v1.AzureDiskVolumeSource'),
        mine: { type: 'string', enum: ['A', 'B'], default: 'A' },
        zero: { type: 'integer', default: 0 },
      },
    },
  );
  const t = out.properties?.t?.properties;
  assert.deepEqual(Object.fromEntries(Object.entries(t ?? {}).map(([k, v]) => [k, v.default])), {
    name: undefined,
    count: undefined,
    optionalName: '',
    readOnly: false,
    protocol: 'TCP',
    nested: undefined,
    tags: undefined,
  });
  assert.equal(t?.tags?.additionalProperties && (t.tags.additionalProperties as JSONSchemaProps).default, undefined);
  assert.deepEqual(out.properties?.disk?.properties, {
    kind: { type: 'string' },
    fsType: { type: 'string', default: 'ext4' },
  });
  assert.deepEqual(out.properties?.mine, { type: 'string', enum: ['A', 'B'], default: 'A' });
  assert.deepEqual(out.properties?.zero, { type: 'integer', default: 0 });
});

test('a struct embedding LocalObjectReference inherits its atomic map type', () => {
  const name = { description: 'Name of the referent.', type: 'string', default: '' } as const;
  const out = resolveIn(
    {
      [LOCAL_OBJECT_REFERENCE]: { type: 'object', properties: { name }, 'x-kubernetes-map-type': 'atomic' },
      'x.EnvSource': { type: 'object', properties: { name, optional: { type: 'boolean' } } },
      'x.Other': { type: 'object', properties: { name: { description: 'Something else.', type: 'string' } } },
    },
    { type: 'object', properties: { a: ref('x.EnvSource'), b: ref('x.Other'), c: ref(LOCAL_OBJECT_REFERENCE) } },
  );
  assert.equal(out.properties?.a?.['x-kubernetes-map-type'], 'atomic');
  assert.equal(out.properties?.a?.properties?.name?.default, '');
  assert.equal(out.properties?.b?.['x-kubernetes-map-type'], undefined);
  assert.equal(out.properties?.c?.['x-kubernetes-map-type'], 'atomic');
});

test('missing and recursive references fail with the type names', () => {
  assert.throws(() => resolveIn({}, ref('x.Missing')), /schema "x\.Missing" is not in the given OpenAPI documents/);
  assert.throws(
    () => resolveIn({ 'x.A': { type: 'object', properties: { b: allOf('x.A') } } }, ref('x.A')),
    /recursive schema: x\.A -> x\.A/,
  );
  assert.throws(() => resolveIn({}, { $ref: 'other.json#/X' }), /unsupported \$ref/);
});

test('the first document that defines a type wins', () => {
  const index = schemaIndex([doc({ 'x.A': { type: 'string' } }), doc({ 'x.A': { type: 'integer' } })]);
  assert.deepEqual(resolveSchema(ref('x.A'), index), { type: 'string' });
});

/** Just enough of the apiserver's documents for buildLeaderWorkerSetCRD. */
function syntheticDocs(): OpenAPIDocument[] {
  const obj = (description: string): JSONSchemaProps => ({ description, type: 'object' });
  return [
    doc({
      [POD_TEMPLATE_SPEC]: obj('A pod template.'),
      [PERSISTENT_VOLUME_CLAIM]: obj('A claim.'),
      [PVC_RETENTION_POLICY]: obj('A retention policy.'),
      [TYPE_META_SOURCE]: {
        type: 'object',
        properties: {
          apiVersion: { description: 'The API version.', type: 'string' },
          kind: { description: 'The kind.', type: 'string' },
        },
      },
    }),
    doc({
      [CONDITION]: {
        description: 'A condition.',
        type: 'object',
        required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
        properties: {
          type: { type: 'string', default: '' },
          status: { type: 'string', default: '' },
          observedGeneration: { type: 'integer', format: 'int64' },
          lastTransitionTime: allOf('io.k8s.apimachinery.pkg.apis.meta.v1.Time'),
          reason: { type: 'string', default: '' },
          message: { type: 'string', default: '' },
        },
      },
    }),
  ];
}

test('buildLeaderWorkerSetCRD: names, scope, subresources and printer columns as upstream', () => {
  const crd = buildLeaderWorkerSetCRD(syntheticDocs());
  assert.equal(crd.metadata.name, 'leaderworkersets.leaderworkerset.x-k8s.io');
  assert.deepEqual(crd.spec.names, {
    kind: 'LeaderWorkerSet',
    listKind: 'LeaderWorkerSetList',
    plural: 'leaderworkersets',
    singular: 'leaderworkerset',
    shortNames: ['lws'],
  });
  assert.equal(crd.spec.scope, 'Namespaced');
  const [v1] = crd.spec.versions;
  assert.ok(v1 && crd.spec.versions.length === 1);
  assert.equal(v1.name, 'v1');
  assert.ok(v1.served && v1.storage);
  assert.deepEqual(v1.subresources, {
    status: {},
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.status.hpaPodSelector',
    },
  });
  assert.deepEqual(
    v1.additionalPrinterColumns.map((c) => [c.name, c.type, c.jsonPath]),
    [
      ['Ready', 'integer', '.status.readyReplicas'],
      ['Desired', 'integer', '.spec.replicas'],
      ['Up-to-date', 'integer', '.status.updatedReplicas'],
      ['Age', 'date', '.metadata.creationTimestamp'],
    ],
  );
});

test('buildLeaderWorkerSetCRD: spec defaults, enums, bounds and required fields as upstream markers', () => {
  const schema = buildLeaderWorkerSetCRD(syntheticDocs()).spec.versions[0]!.schema.openAPIV3Schema;
  const spec = schema.properties!.spec!;
  const p = spec.properties!;
  const lwt = p.leaderWorkerTemplate!.properties!;
  const rollout = p.rolloutStrategy!;
  const ruc = rollout.properties!.rollingUpdateConfiguration!.properties!;
  assert.deepEqual(spec.required, ['leaderWorkerTemplate']);
  assert.deepEqual(
    { default: p.replicas!.default, min: p.replicas!.minimum, max: p.replicas!.maximum, format: p.replicas!.format },
    { default: 1, min: 0, max: 1000000, format: 'int32' },
  );
  assert.equal(lwt.size!.default, 1);
  assert.equal(lwt.size!.minimum, undefined, 'upstream has no schema minimum; the webhook checks size >= 1');
  assert.deepEqual(p.leaderWorkerTemplate!.required, ['workerTemplate']);
  assert.equal(lwt.restartPolicy!.default, 'RecreateGroupOnPodRestart');
  assert.deepEqual(lwt.restartPolicy!.enum, [
    'Default',
    'RecreateGroupOnPodRestart',
    'RecreateGroupAfterStart',
    'None',
  ]);
  assert.equal(p.startupPolicy!.default, 'LeaderCreated');
  assert.deepEqual(p.startupPolicy!.enum, ['LeaderCreated', 'LeaderReady']);
  assert.deepEqual(rollout.required, ['type']);
  assert.deepEqual(
    [rollout.properties!.type!.default, rollout.properties!.type!.enum],
    ['RollingUpdate', ['RollingUpdate']],
  );
  assert.deepEqual([ruc.partition!.default, ruc.maxUnavailable!.default, ruc.maxSurge!.default], [0, 1, 0]);
  assert.equal(ruc.maxSurge!['x-kubernetes-int-or-string'], true);
  assert.deepEqual(p.networkConfig!.required, ['subdomainPolicy']);
  assert.deepEqual(p.networkConfig!.properties!.subdomainPolicy!.enum, ['Shared', 'UniquePerReplica']);
  const sgp = lwt.subGroupPolicy!.properties!;
  assert.deepEqual(
    [sgp.subGroupPolicyType!.default, sgp.subGroupPolicyType!.enum],
    ['LeaderWorker', ['LeaderWorker', 'LeaderExcluded']],
  );
  assert.equal(
    lwt.workerTemplate!.description,
    leaderWorkerSetSpecSchema.properties!.leaderWorkerTemplate!.properties!.workerTemplate!.description,
  );
  assert.equal(lwt.workerTemplate!.type, 'object');
  assert.deepEqual(schema.properties!.metadata, { type: 'object' });
  assert.equal(schema.properties!.apiVersion!.description, 'The API version.');
});

test('buildLeaderWorkerSetCRD: conditions are a list-map by type with metav1.Condition validations', () => {
  const status = buildLeaderWorkerSetCRD(syntheticDocs()).spec.versions[0]!.schema.openAPIV3Schema.properties!.status!;
  const conditions = status.properties!.conditions!;
  assert.equal(conditions['x-kubernetes-list-type'], 'map');
  assert.deepEqual(conditions['x-kubernetes-list-map-keys'], ['type']);
  const c = conditions.items!;
  assert.deepEqual(c.required, ['lastTransitionTime', 'message', 'reason', 'status', 'type']);
  assert.deepEqual(c.properties!.status, { type: 'string', enum: ['True', 'False', 'Unknown'] });
  assert.deepEqual(c.properties!.lastTransitionTime, { type: 'string', format: 'date-time' });
  assert.equal(c.properties!.type!.maxLength, 316);
  assert.deepEqual([c.properties!.reason!.minLength, c.properties!.reason!.maxLength], [1, 1024]);
  assert.equal(c.properties!.message!.maxLength, 32768);
  assert.equal(c.properties!.observedGeneration!.minimum, 0);
  assert.ok(new RegExp(c.properties!.type!.pattern!).test('example.com/Ready'));
  assert.ok(!new RegExp(c.properties!.reason!.pattern!).test('has space'));
  for (const f of ['readyReplicas', 'updatedReplicas', 'replicas']) {
    assert.deepEqual(status.properties![f]!.format, 'int32', f);
  }
  assert.equal(status.properties!.observedGeneration!.format, 'int64');
});

test('buildLeaderWorkerSetCRD fails clearly when a built-in type is missing', () => {
  assert.throws(() => buildLeaderWorkerSetCRD([]), /io\.k8s\.api\.apps\.v1\.StatefulSet/);
  const [first] = syntheticDocs();
  assert.throws(() => buildLeaderWorkerSetCRD([first!]), /io\.k8s\.apimachinery\.pkg\.apis\.meta\.v1\.Condition/);
});

test('renderCRD is deterministic, sorted, and parses back to the same object', () => {
  const crd = buildLeaderWorkerSetCRD(syntheticDocs());
  const text = renderCRD(crd);
  assert.equal(renderCRD(buildLeaderWorkerSetCRD(syntheticDocs())), text);
  assert.deepEqual(parse(text), crd);
  assert.ok(
    text.indexOf('\napiVersion:') < text.indexOf('\nkind:') && text.indexOf('\nkind:') < text.indexOf('\nspec:'),
  );
  assert.match(text, /- "True"\n/, 'YAML 1.1 booleans are quoted');
});

/** Our own (non-$ref) nodes in the committed file must equal crd-schema.ts: a cluster-free staleness check. */
function assertOwnSchemaIn(committed: JSONSchemaProps | undefined, ours: JSONSchemaProps, path: string): void {
  assert.ok(committed, `${path} exists in the committed CRD`);
  if (ours.$ref !== undefined) {
    // A built-in type: only our field description is ours (without one, the type's own stays).
    if (ours.description !== undefined) assert.equal(committed.description, ours.description, `${path}.description`);
    return;
  }
  for (const [key, value] of Object.entries(ours)) {
    if (key === 'properties') {
      for (const [name, child] of Object.entries(value as Record<string, JSONSchemaProps>)) {
        assertOwnSchemaIn(committed.properties?.[name], child, `${path}.${name}`);
      }
    } else if (key === 'items') {
      assertOwnSchemaIn(committed.items, value as JSONSchemaProps, `${path}[]`);
    } else {
      assert.deepEqual((committed as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  }
}

test('the committed CRD is current with crd-schema.ts (run npm run gen:crd if not)', () => {
  const crd = loadLeaderWorkerSetCRD();
  assert.equal(crd.metadata.name, CRD_NAME);
  const root = crd.spec.versions[0]!.schema.openAPIV3Schema;
  assertOwnSchemaIn(root.properties?.spec, leaderWorkerSetSpecSchema, 'spec');
  assertOwnSchemaIn(root.properties?.status, leaderWorkerSetStatusSchema, 'status');
  crd.metadata.name = 'changed';
  assert.equal(loadLeaderWorkerSetCRD().metadata.name, CRD_NAME, 'every call returns a fresh copy');
});
