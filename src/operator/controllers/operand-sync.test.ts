import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidError } from '../../k8s/client/errors.ts';
import { changedBy, desiredHash, isImmutableFieldError, preserveCABundles, removalOrder } from './operand-sync.ts';
import { objectKey } from '../core/operand.ts';

describe('removalOrder', () => {
  const order = removalOrder('openshift-lws-operator').map(objectKey);
  test('webhook configurations first, then the Deployment; never a CRD', () => {
    assert.deepEqual(order.slice(0, 3), [
      'ValidatingWebhookConfiguration/lws-validating-webhook-configuration',
      'MutatingWebhookConfiguration/lws-mutating-webhook-configuration',
      'Deployment/openshift-lws-operator/lws-controller-manager',
    ]);
    assert.ok(!order.some((k) => k.startsWith('CustomResourceDefinition/')));
  });
  test('covers both certificate modes and the ServiceMonitor, each once', () => {
    for (const key of [
      'Issuer/openshift-lws-operator/lws-selfsigned-issuer',
      'Certificate/openshift-lws-operator/lws-serving-cert',
      'Certificate/openshift-lws-operator/lws-metrics-cert',
      'ServiceMonitor/openshift-lws-operator/lws-controller-manager-metrics-monitor',
      'Role/openshift-lws-operator/lws-prometheus-k8s',
      'RoleBinding/openshift-lws-operator/lws-prometheus-k8s',
      'ClusterRole/lws-manager-role',
      'RoleBinding/openshift-lws-operator/lws-leader-election-rolebinding',
      'ConfigMap/openshift-lws-operator/lws-manager-config',
    ]) {
      assert.equal(order.filter((k) => k === key).length, 1, key);
    }
    assert.equal(new Set(order).size, order.length);
  });
});

describe('apply decisions', () => {
  test('immutable-field errors are recognised, other invalid errors are not', () => {
    const immutable = new InvalidError(
      422,
      'Invalid',
      'Deployment.apps "lws-controller-manager" is invalid: spec.selector: Invalid value: …: field is immutable',
    );
    const roleRef = new InvalidError(
      422,
      'Invalid',
      'RoleBinding "x" is invalid: roleRef: Invalid value: …: cannot change roleRef',
    );
    const other = new InvalidError(
      422,
      'Invalid',
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    assert.equal(isImmutableFieldError(immutable), true);
    assert.equal(isImmutableFieldError(roleRef), true);
    assert.equal(isImmutableFieldError(other), false);
    assert.equal(isImmutableFieldError(new Error('field is immutable')), false);
  });
  test('desiredHash is stable and sensitive to content', () => {
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } };
    assert.equal(desiredHash(a), desiredHash(structuredClone(a)));
    assert.notEqual(desiredHash(a), desiredHash({ ...a, data: { x: '2' } }));
  });
  test('changedBy: generation when both have one, else resourceVersion', () => {
    const obj = (generation: number | undefined, resourceVersion: string) => ({
      metadata: { generation, resourceVersion },
    });
    assert.equal(changedBy(obj(1, '10'), obj(1, '12')), false); // a status write the cache had not seen
    assert.equal(changedBy(obj(1, '10'), obj(2, '12')), true);
    assert.equal(changedBy(obj(undefined, '10'), obj(undefined, '10')), false);
    assert.equal(changedBy(obj(undefined, '10'), obj(undefined, '11')), true);
  });
});

describe('preserveCABundles', () => {
  test('each desired webhook keeps the live caBundle of the same name; a desired bundle wins', () => {
    const live = [
      { name: 'a', clientConfig: { url: 'https://127.0.0.1:9443/a', caBundle: 'QQ==' } },
      { name: 'gone', clientConfig: { caBundle: 'Rw==' } },
    ];
    const desired = [
      { name: 'a', clientConfig: { service: { name: 's' } } },
      { name: 'b', clientConfig: { service: { name: 's' } } },
      { name: 'c', clientConfig: { service: { name: 's' }, caBundle: 'Qw==' } },
    ];
    assert.deepEqual(preserveCABundles(live, desired), [
      { name: 'a', clientConfig: { service: { name: 's' }, caBundle: 'QQ==' } },
      { name: 'b', clientConfig: { service: { name: 's' } } },
      { name: 'c', clientConfig: { service: { name: 's' }, caBundle: 'Qw==' } },
    ]);
  });
});
