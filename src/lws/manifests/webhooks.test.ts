import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mutatingWebhookConfiguration, validatingWebhookConfiguration } from './webhooks.ts';

test('URL targets get the path appended and the CA bundle base64-encoded', () => {
  const m = mutatingWebhookConfiguration({ target: { url: 'https://127.0.0.1:9443/' }, caBundlePem: 'PEM' });
  assert.equal(m.metadata.name, 'lws-mutating-webhook-configuration');
  assert.deepEqual(
    m.webhooks.map((w) => [w.name, w.clientConfig.url, w.clientConfig.caBundle]),
    [
      ['mleaderworkerset.kb.io', 'https://127.0.0.1:9443/mutate-leaderworkerset-x-k8s-io-v1-leaderworkerset', 'UEVN'],
      ['mpod.kb.io', 'https://127.0.0.1:9443/mutate--v1-pod', 'UEVN'],
    ],
  );
  assert.deepEqual(m.webhooks[1]!.rules, [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
  ]);
  assert.deepEqual(m.webhooks[1]!.objectSelector, {
    matchExpressions: [{ key: 'leaderworkerset.sigs.k8s.io/name', operator: 'Exists' }],
  });
  assert.equal('objectSelector' in m.webhooks[0]!, false, 'LWS webhooks select every LWS');
});

test('Service targets name the service and leave the CA for an injector', () => {
  const v = validatingWebhookConfiguration({
    target: { service: { name: 'lws-webhook-service', namespace: 'lws-system' } },
  });
  assert.equal(v.metadata.name, 'lws-validating-webhook-configuration');
  assert.deepEqual(v.webhooks[0]!.clientConfig, {
    service: {
      name: 'lws-webhook-service',
      namespace: 'lws-system',
      path: '/validate-leaderworkerset-x-k8s-io-v1-leaderworkerset',
    },
  });
  assert.deepEqual(v.webhooks[1]!.rules[0]!.operations, ['CREATE', 'UPDATE']);
  for (const w of v.webhooks) {
    assert.equal(w.failurePolicy, 'Fail');
    assert.equal(w.sideEffects, 'None');
    assert.deepEqual(w.admissionReviewVersions, ['v1']);
  }
});

test('the DisaggregatedSet webhook is in the validating configuration, as upstream lists it', () => {
  const v = validatingWebhookConfiguration({ target: { url: 'https://127.0.0.1:9443' } });
  const ds = v.webhooks.find((w) => w.name === 'vdisaggregatedset.kb.io')!;
  assert.deepEqual(ds, {
    name: 'vdisaggregatedset.kb.io',
    admissionReviewVersions: ['v1'],
    clientConfig: { url: 'https://127.0.0.1:9443/validate-disaggregatedset-x-k8s-io-v1-disaggregatedset' },
    failurePolicy: 'Fail',
    sideEffects: 'None',
    rules: [
      {
        apiGroups: ['disaggregatedset.x-k8s.io'],
        apiVersions: ['v1'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['disaggregatedsets'],
      },
    ],
  });
});
