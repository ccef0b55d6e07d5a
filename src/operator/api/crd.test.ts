import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  LOG_LEVELS,
  MANAGEMENT_STATES,
  OPERATOR_CRD_NAME,
  OPERATOR_INSTANCE_NAME,
  SINGLETON_MESSAGE,
  sampleOperator,
} from './types.ts';
import { OPERATOR_CRD_FILE, buildOperatorCRD, loadOperatorCRD, renderOperatorCRD } from './crd.ts';

describe('operator CRD', () => {
  test('the committed file is what npm run gen:operator-crd generates', () => {
    const committed = readFileSync(fileURLToPath(new URL(`../../../${OPERATOR_CRD_FILE}`, import.meta.url)), 'utf8');
    assert.equal(committed, renderOperatorCRD(), `${OPERATOR_CRD_FILE} is stale: run npm run gen:operator-crd`);
    assert.deepEqual(loadOperatorCRD(), buildOperatorCRD());
  });

  test('cluster-scoped v1 with the status subresource', () => {
    const crd = buildOperatorCRD();
    assert.equal(crd.metadata.name, OPERATOR_CRD_NAME);
    assert.equal(crd.metadata.name, 'leaderworkersetoperators.operator.openshift.io');
    assert.equal(crd.spec.scope, 'Cluster');
    assert.deepEqual(crd.spec.names, {
      kind: 'LeaderWorkerSetOperator',
      listKind: 'LeaderWorkerSetOperatorList',
      plural: 'leaderworkersetoperators',
      singular: 'leaderworkersetoperator',
    });
    assert.equal(crd.spec.versions.length, 1);
    const [v] = crd.spec.versions;
    assert.deepEqual([v!.name, v!.served, v!.storage], ['v1', true, true]);
    assert.deepEqual(v!.subresources, { status: {} });
  });

  test('singleton rule: CEL on metadata.name with a clear message', () => {
    const root = buildOperatorCRD().spec.versions[0]!.schema.openAPIV3Schema;
    assert.deepEqual(root['x-kubernetes-validations'], [
      { rule: "self.metadata.name == 'cluster'", message: SINGLETON_MESSAGE },
    ]);
    assert.equal(OPERATOR_INSTANCE_NAME, 'cluster');
    assert.deepEqual(root.required, ['spec']);
  });

  test('spec: enums for managementState and both log levels, free-form configs, nodePlacement', () => {
    const spec = buildOperatorCRD().spec.versions[0]!.schema.openAPIV3Schema.properties!.spec!.properties!;
    assert.deepEqual(spec.managementState!.enum, ['Managed', 'Unmanaged', 'Removed', 'Force']);
    assert.deepEqual(spec.managementState!.enum, [...MANAGEMENT_STATES]);
    for (const field of ['logLevel', 'operatorLogLevel']) {
      assert.deepEqual(spec[field]!.enum, ['', 'Normal', 'Debug', 'Trace', 'TraceAll'], field);
      assert.deepEqual(spec[field]!.enum, [...LOG_LEVELS]);
      assert.equal(spec[field]!.default, 'Normal');
    }
    for (const field of ['observedConfig', 'unsupportedConfigOverrides']) {
      assert.equal(spec[field]!['x-kubernetes-preserve-unknown-fields'], true, field);
      assert.equal((spec[field] as { nullable?: boolean }).nullable, true, field);
    }
    const placement = spec.nodePlacement!.properties!;
    assert.deepEqual(placement.nodeSelector!.additionalProperties, { type: 'string' });
    assert.equal(placement.tolerations!.type, 'array');
    assert.deepEqual(Object.keys(placement.tolerations!.items!.properties!).sort(), [
      'effect',
      'key',
      'operator',
      'tolerationSeconds',
      'value',
    ]);
  });

  test('status: conditions and generations as map lists, readyReplicas, observedGeneration', () => {
    const status = buildOperatorCRD().spec.versions[0]!.schema.openAPIV3Schema.properties!.status!.properties!;
    assert.deepEqual(status.conditions!['x-kubernetes-list-map-keys'], ['type']);
    assert.deepEqual(status.generations!['x-kubernetes-list-map-keys'], ['group', 'resource', 'namespace', 'name']);
    assert.equal(status.readyReplicas!.type, 'integer');
    assert.equal(status.observedGeneration!.type, 'integer');
    assert.deepEqual(status.conditions!.items!.properties!.status!.enum, ['True', 'False', 'Unknown']);
  });

  test('the sample instance is the Managed/Normal singleton', () => {
    assert.deepEqual(sampleOperator(), {
      apiVersion: 'operator.openshift.io/v1',
      kind: 'LeaderWorkerSetOperator',
      metadata: { name: 'cluster' },
      spec: { managementState: 'Managed', logLevel: 'Normal', operatorLogLevel: 'Normal' },
    });
  });
});
