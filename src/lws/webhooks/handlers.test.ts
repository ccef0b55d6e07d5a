import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lwsWebhookHandlers } from './handlers.ts';
import type { AdmissionRequest } from '../../k8s/admission/review.ts';
import { WEBHOOK_PATHS } from '../manifests/webhooks.ts';
import { defaultLws, withChange } from '../../tooling/testing/lws-builder.ts';

const request = (object: unknown, extra: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  uid: 'u',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  operation: 'CREATE',
  object,
  ...extra,
});

test('LWS validation denies with 403 and the field error text', async () => {
  const lws = withChange(defaultLws('ns'), (l) => (l.spec.leaderWorkerTemplate.size = 0));
  const decision = await lwsWebhookHandlers[WEBHOOK_PATHS.validateLeaderWorkerSet]!(request(lws));
  assert.deepEqual(decision, {
    allowed: false,
    status: {
      code: 403,
      reason: 'Forbidden',
      message: 'spec.leaderWorkerTemplate.size: Invalid value: 0: size must be equal or greater than 1',
    },
  });
  assert.deepEqual(await lwsWebhookHandlers[WEBHOOK_PATHS.validateLeaderWorkerSet]!(request(defaultLws('ns'))), {
    allowed: true,
  });
});

// Found by the differential tests (docs/differential.md): upstream's controller-runtime handler patches the
// request into Go's encoding of the defaulted object, not just the defaults (expected patch from the oracle).
test("LWS defaulting patches the defaults and, like upstream, Go's encoding of the object", async () => {
  const lws = withChange(defaultLws('ns'), (l) => {
    delete l.spec.networkConfig;
    l.spec.leaderWorkerTemplate.restartPolicy = 'Default';
  });
  const decision = await lwsWebhookHandlers[WEBHOOK_PATHS.mutateLeaderWorkerSet]!(request(lws));
  assert.equal(decision.allowed, true);
  const template = '/spec/leaderWorkerTemplate';
  assert.deepEqual(decision.allowed && decision.patch, [
    { op: 'add', path: `${template}/leaderTemplate/metadata`, value: {} },
    { op: 'add', path: `${template}/leaderTemplate/spec/containers/0/resources`, value: {} },
    { op: 'add', path: `${template}/workerTemplate/metadata`, value: {} },
    { op: 'add', path: `${template}/workerTemplate/spec/containers/0/resources`, value: {} },
    { op: 'replace', path: `${template}/restartPolicy`, value: 'None' },
    { op: 'add', path: '/spec/networkConfig', value: { subdomainPolicy: 'Shared' } },
    { op: 'add', path: '/status', value: {} },
  ]);
  // Nothing to default: no patch at all, whatever the encoding.
  const done = await lwsWebhookHandlers[WEBHOOK_PATHS.mutateLeaderWorkerSet]!(request(defaultLws('ns')));
  assert.deepEqual(done, { allowed: true });
});

test('pods without the LWS name label are allowed untouched; LWS pods get a patch', async () => {
  const plain = { metadata: { name: 'p', namespace: 'ns', labels: { app: 'x' } }, spec: { containers: [] } };
  assert.deepEqual(await lwsWebhookHandlers[WEBHOOK_PATHS.mutatePod]!(request(plain)), { allowed: true });
  const worker = {
    metadata: {
      name: 'set-0-1',
      namespace: 'ns',
      labels: { 'leaderworkerset.sigs.k8s.io/name': 'set', 'leaderworkerset.sigs.k8s.io/group-index': '0' },
      annotations: { 'leaderworkerset.sigs.k8s.io/size': '2' },
    },
    spec: { subdomain: 'set', containers: [{ name: 'c', image: 'i' }] },
  };
  const decision = await lwsWebhookHandlers[WEBHOOK_PATHS.mutatePod]!(request(worker));
  assert.equal(decision.allowed, true);
  const patch = decision.allowed ? (decision.patch as Array<{ path: string }>) : [];
  assert.ok(
    patch.some((op) => op.path.startsWith('/metadata/labels')),
    'labels patched',
  );
  assert.ok(
    patch.some((op) => op.path.startsWith('/spec/containers')),
    'env patched',
  );
});

test('a missing size annotation is a 403 with upstream text', async () => {
  const pod = { metadata: { name: 'set-0', namespace: 'ns', labels: { 'leaderworkerset.sigs.k8s.io/name': 'set' } } };
  assert.deepEqual(await lwsWebhookHandlers[WEBHOOK_PATHS.mutatePod]!(request(pod)), {
    allowed: false,
    status: { code: 403, reason: 'Forbidden', message: 'size annotation is unexpectedly missing for pod set-0' },
  });
});
