import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lwsWebhookHandlers, lwsWebhookHandlersFor } from './handlers.ts';
import type { AdmissionDecision, AdmissionRequest } from '../../k8s/admission/review.ts';
import { WEBHOOK_PATHS } from '../manifests/webhooks.ts';

const request = (object: unknown): AdmissionRequest => ({
  uid: 'u',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  operation: 'CREATE',
  namespace: 'ns',
  object,
});

const workerPod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'sample-1-2',
    namespace: 'ns',
    labels: {
      'leaderworkerset.sigs.k8s.io/name': 'sample',
      'leaderworkerset.sigs.k8s.io/group-index': '1',
      'leaderworkerset.sigs.k8s.io/worker-index': '2',
      'leaderworkerset.sigs.k8s.io/template-revision-hash': 'abc',
    },
    annotations: { 'leaderworkerset.sigs.k8s.io/size': '3' },
  },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
}

const patchOps = async (handlers: typeof lwsWebhookHandlers): Promise<PatchOp[]> => {
  const decision = (await handlers[WEBHOOK_PATHS.mutatePod]!(request(workerPod()))) as AdmissionDecision;
  assert.equal(decision.allowed, true);
  return ((decision as { patch?: unknown[] }).patch ?? []) as PatchOp[];
};

test('pod webhook: no gang step without a provider (upstream with a nil SchedulerProvider)', async () => {
  const ops = await patchOps(lwsWebhookHandlers);
  assert.ok(!ops.some((o) => o.path.includes('group-name') || o.path.includes('schedulingGroup')));
});

test('pod webhook: volcano adds the group-name annotation of the pod group', async () => {
  const ops = await patchOps(lwsWebhookHandlersFor({ gangScheduling: 'volcano' }));
  assert.deepEqual(
    ops.find((o) => o.path === '/metadata/annotations/scheduling.k8s.io~1group-name'),
    { op: 'add', path: '/metadata/annotations/scheduling.k8s.io~1group-name', value: 'sample-1-abc' },
  );
});

test('pod webhook: kubernetes sets spec.schedulingGroup.podGroupName', async () => {
  const ops = await patchOps(lwsWebhookHandlersFor({ gangScheduling: 'kubernetes' }));
  assert.deepEqual(
    ops.find((o) => o.path === '/spec/schedulingGroup'),
    { op: 'add', path: '/spec/schedulingGroup', value: { podGroupName: 'sample-1-abc' } },
  );
});
