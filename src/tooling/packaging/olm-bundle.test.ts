import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import pkg from '../../../package.json' with { type: 'json' };
import type { JSONSchemaProps } from '../../lws/api/crd-schema.ts';
import { OPERATOR_INSTANCE_NAME, sampleOperator } from '../../operator/api/types.ts';
import { loadOperatorCRD } from '../../operator/api/crd.ts';
import {
  almExamples,
  BUNDLE_ANNOTATIONS_FILE,
  BUNDLE_CRD_FILE,
  BUNDLE_DOCKERFILE,
  bundleAnnotations,
  CSV_FILE,
  renderBundle,
} from './olm-bundle.ts';
import { compileOperandOptions } from '../../operator/core/operand.ts';
import {
  compileOperatorInstallOptions,
  operatorClusterRules,
  operatorDeployment,
  operatorNamespaceRules,
} from '../../operator/core/operator-install.ts';
import { operatorReleaseOptions } from './release.ts';

const bundle = renderBundle();
const csv = parse(bundle.get(CSV_FILE)!, { version: '1.1' });

/** The structural checks the apiserver makes of a custom resource: types, required fields, enums, unknown fields. */
function validate(value: unknown, schema: JSONSchemaProps, path: string, problems: string[]): void {
  const s = schema as JSONSchemaProps & { 'x-kubernetes-preserve-unknown-fields'?: boolean; nullable?: boolean };
  if (value === null) {
    if (!s.nullable) problems.push(`${path}: null`);
    return;
  }
  if (s.enum && !s.enum.includes(value as never)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${path}: not an object`);
        return;
      }
      const obj = value as Record<string, unknown>;
      for (const r of s.required ?? []) if (!(r in obj)) problems.push(`${path}.${r}: Required value`);
      for (const [k, v] of Object.entries(obj)) {
        if (path === '' && k === 'metadata') continue; // ObjectMeta: the apiserver's own, not the CRD's schema
        const sub =
          s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
        if (sub) validate(v, sub, `${path}.${k}`, problems);
        else if (!s['x-kubernetes-preserve-unknown-fields']) problems.push(`${path}.${k}: unknown field`);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) problems.push(`${path}: not an array`);
      else value.forEach((v, i) => validate(v, s.items as JSONSchemaProps, `${path}[${i}]`, problems));
      return;
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: not a string`);
      return;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${path}: not an integer`);
      return;
  }
}

describe('OLM bundle', () => {
  test('CSV: name, version, display name, maturity, capabilities, suggested namespace, min Kubernetes', () => {
    assert.equal(csv.apiVersion, 'operators.coreos.com/v1alpha1');
    assert.equal(csv.kind, 'ClusterServiceVersion');
    assert.equal(csv.metadata.name, `leader-worker-set.v${pkg.version}`);
    assert.equal(csv.spec.version, pkg.version);
    assert.equal(csv.spec.displayName, 'Leader Worker Set Operator');
    assert.equal(csv.spec.maturity, 'alpha');
    assert.match(csv.spec.minKubeVersion, /^\d+\.\d+\.\d+$/);
    assert.equal(csv.metadata.annotations.capabilities, 'Basic Install');
    assert.equal(csv.metadata.annotations['operatorframework.io/suggested-namespace'], 'openshift-lws-operator');
  });

  test('CSV: owns the operator CRD (v1, LeaderWorkerSetOperator); installs into its own namespace only', () => {
    assert.deepEqual(
      csv.spec.customresourcedefinitions.owned.map((c: any) => [c.name, c.version, c.kind]),
      [['leaderworkersetoperators.operator.openshift.io', 'v1', 'LeaderWorkerSetOperator']],
    );
    assert.deepEqual(Object.fromEntries(csv.spec.installModes.map((m: any) => [m.type, m.supported])), {
      OwnNamespace: true,
      SingleNamespace: false,
      MultiNamespace: false,
      AllNamespaces: false,
    });
  });

  test('CSV install strategy: the operator Deployment and the same rules as every other install path', () => {
    const { install } = csv.spec;
    assert.equal(install.strategy, 'deployment');
    const o = compileOperatorInstallOptions(operatorReleaseOptions());
    assert.deepEqual(install.spec.deployments, [
      { name: 'openshift-lws-operator', label: { name: 'openshift-lws-operator' }, spec: operatorDeployment(o).spec },
    ]);
    assert.deepEqual(install.spec.clusterPermissions, [
      { serviceAccountName: 'openshift-lws-operator', rules: operatorClusterRules() },
    ]);
    assert.deepEqual(install.spec.permissions, [
      { serviceAccountName: 'openshift-lws-operator', rules: operatorNamespaceRules() },
    ]);
    const env = install.spec.deployments[0].spec.template.spec.containers[0].env;
    assert.equal(env.find((e: any) => e.name === 'RELATED_IMAGE_OPERAND_IMAGE').value, o.operandImage);
  });

  test('CSV relatedImages: lws (operand) and lws-operator (operator)', () => {
    const o = compileOperatorInstallOptions({ image: 'reg/op@sha256:1', operandImage: 'reg/lws@sha256:2' });
    const custom = parse(renderBundle(o).get(CSV_FILE)!, { version: '1.1' });
    assert.deepEqual(custom.spec.relatedImages, [
      { name: 'lws', image: 'reg/lws@sha256:2' },
      { name: 'lws-operator', image: 'reg/op@sha256:1' },
    ]);
    assert.equal(custom.metadata.annotations.containerImage, 'reg/op@sha256:1');
    assert.equal(custom.spec.install.spec.deployments[0].spec.template.spec.containers[0].image, 'reg/op@sha256:1');
  });

  test('alm-examples: the sample instance and a nodePlacement example, valid against the operator CRD', () => {
    const examples = JSON.parse(csv.metadata.annotations['alm-examples']);
    assert.deepEqual(examples, almExamples());
    assert.deepEqual(examples[0], sampleOperator());
    assert.ok(examples[1]?.spec.nodePlacement?.nodeSelector);
    assert.ok(examples[1]?.spec.nodePlacement?.tolerations?.length);
    const crd = loadOperatorCRD();
    const version = crd.spec.versions[0]!;
    for (const example of examples) {
      assert.equal(example.apiVersion, `${crd.spec.group}/${version.name}`);
      assert.equal(example.kind, crd.spec.names.kind);
      assert.equal(example.metadata.name, OPERATOR_INSTANCE_NAME, 'the CRD’s singleton rule');
      const problems: string[] = [];
      validate(example, version.schema.openAPIV3Schema, '', problems);
      assert.deepEqual(problems, []);
      // The operator accepts the placement too.
      compileOperandOptions({ image: 'x', nodePlacement: example.spec.nodePlacement });
    }
    const bad: string[] = [];
    validate(
      { apiVersion: 'a', kind: 'k', metadata: {}, spec: { logLevel: 'Loud' } },
      version.schema.openAPIV3Schema,
      '',
      bad,
    );
    assert.deepEqual(bad, ['.spec.logLevel: "Loud" not in enum']);
    const missing: string[] = [];
    validate({ apiVersion: 'a', kind: 'k', metadata: {} }, version.schema.openAPIV3Schema, '', missing);
    assert.deepEqual(missing, ['.spec: Required value']);
  });

  test('the bundle CRD is the operator CRD; annotations and bundle.Dockerfile name the same package and channel', () => {
    assert.deepEqual(parse(bundle.get(BUNDLE_CRD_FILE)!, { version: '1.1' }), loadOperatorCRD());
    const { annotations } = parse(bundle.get(BUNDLE_ANNOTATIONS_FILE)!);
    assert.deepEqual(annotations, {
      'operators.operatorframework.io.bundle.mediatype.v1': 'registry+v1',
      'operators.operatorframework.io.bundle.manifests.v1': 'manifests/',
      'operators.operatorframework.io.bundle.metadata.v1': 'metadata/',
      'operators.operatorframework.io.bundle.package.v1': 'leader-worker-set',
      'operators.operatorframework.io.bundle.channels.v1': 'stable-v1.0',
      'operators.operatorframework.io.bundle.channel.default.v1': 'stable-v1.0',
    });
    assert.deepEqual(annotations, bundleAnnotations());
    const dockerfile = bundle.get(BUNDLE_DOCKERFILE)!;
    assert.match(dockerfile, /^FROM scratch$/m);
    const labels = Object.fromEntries([...dockerfile.matchAll(/^LABEL (\S+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    assert.deepEqual(labels, annotations);
    assert.match(dockerfile, /^COPY bundle\/manifests \/manifests\/$/m);
    assert.match(dockerfile, /^COPY bundle\/metadata \/metadata\/$/m);
  });
});
