import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidPathError, queryString, resourcePath } from './paths.ts';
import { CRDS, NODES, PODS, STATEFULSETS } from './resources.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';

test('core, grouped, namespaced and cluster-scoped paths', () => {
  assert.equal(resourcePath(PODS), '/api/v1/pods');
  assert.equal(resourcePath(PODS, { namespace: 'ns' }), '/api/v1/namespaces/ns/pods');
  assert.equal(
    resourcePath(PODS, { namespace: 'ns', name: 'p', subresource: 'status' }),
    '/api/v1/namespaces/ns/pods/p/status',
  );
  assert.equal(resourcePath(STATEFULSETS, { namespace: 'a', name: 's' }), '/apis/apps/v1/namespaces/a/statefulsets/s');
  assert.equal(
    resourcePath(LEADERWORKERSETS, { namespace: 'a', name: 'l', subresource: 'scale' }),
    '/apis/leaderworkerset.x-k8s.io/v1/namespaces/a/leaderworkersets/l/scale',
  );
  assert.equal(resourcePath(NODES, { name: 'n1' }), '/api/v1/nodes/n1');
  assert.equal(resourcePath(CRDS, { name: 'x.y' }), '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.y');
});

test('segments are URL-encoded', () => {
  assert.equal(resourcePath(NODES, { name: 'a/b c' }), '/api/v1/nodes/a%2Fb%20c');
});

test('scope mistakes are caught before any request', () => {
  assert.throws(() => resourcePath(NODES, { namespace: 'x', name: 'n' }), InvalidPathError);
  assert.throws(() => resourcePath(PODS, { name: 'p' }), InvalidPathError);
  assert.throws(() => resourcePath(PODS, { namespace: 'x', name: '' }), InvalidPathError);
  assert.throws(() => resourcePath(PODS, { namespace: 'x', subresource: 'status' }), InvalidPathError);
});

test('queryString skips undefined and empty values', () => {
  assert.equal(queryString({}), '');
  assert.equal(queryString({ a: undefined, b: '' }), '');
  assert.equal(
    queryString({ watch: true, limit: 5, labelSelector: 'a=b,c in (d)' }),
    '?watch=true&limit=5&labelSelector=a%3Db%2Cc+in+%28d%29',
  );
});
