import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disaggregatedSetWebhookHandlers } from './handlers.ts';
import { toResponse, type AdmissionRequest } from '../../k8s/admission/review.ts';

const PATH = '/validate-disaggregatedset-x-k8s-io-v1-disaggregatedset';
const handler = disaggregatedSetWebhookHandlers[PATH]!;

const role = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  spec: { replicas: 3, leaderWorkerTemplate: { size: 1, workerTemplate: {} } },
  ...extra,
});
const request = (operation: AdmissionRequest['operation'], spec: unknown): AdmissionRequest => ({
  uid: 'u1',
  kind: { group: 'disaggregatedset.x-k8s.io', version: 'v1', kind: 'DisaggregatedSet' },
  resource: { group: 'disaggregatedset.x-k8s.io', version: 'v1', resource: 'disaggregatedsets' },
  operation,
  object: { metadata: { name: 'ds', namespace: 'ns' }, spec },
});
const WARNING =
  'role "prefill" sets scaling.mode: External and spec.replicas: 3 — spec.replicas is ignored; drive replicas via DisaggregatedSetRoleScaler "ds-prefill" instead';

test('allowed with the External-role warning, as controller-runtime sends it', async () => {
  const decision = await handler(request('CREATE', { roles: [role('prefill', { scaling: { mode: 'External' } })] }));
  assert.deepEqual(toResponse('u1', decision), { uid: 'u1', allowed: true, warnings: [WARNING] });
});

test('a refusal is a 403 with the aggregated field errors, and keeps the warnings', async () => {
  const decision = await handler(
    request('UPDATE', { slices: 2, roles: [role('prefill', { scaling: { mode: 'External' } }), role('decode')] }),
  );
  assert.deepEqual(toResponse('u1', decision), {
    uid: 'u1',
    allowed: false,
    status: {
      code: 403,
      reason: 'Forbidden',
      message:
        'spec.slices: Forbidden: spec.slices > 1 is not supported while any role has scaling.mode: External (alpha restriction)',
    },
    warnings: [WARNING],
  });
});

test('DELETE is allowed; a request without an object is a 400', async () => {
  assert.deepEqual(await handler(request('DELETE', undefined)), { allowed: true });
  const { object: _none, ...empty } = request('CREATE', {});
  assert.deepEqual(await handler(empty), {
    allowed: false,
    status: { code: 400, message: 'there is no content to decode' },
  });
});

test('the served rules include ours: a child LWS the LWS webhook would refuse', async () => {
  const decision = await handler(
    request('CREATE', {
      roles: [
        role('prefill', { spec: { replicas: 1, leaderWorkerTemplate: { size: 0, workerTemplate: {} } } }),
        role('decode'),
      ],
    }),
  );
  assert.equal(decision.allowed, false);
  assert.equal(
    !decision.allowed && decision.status.message,
    'spec.roles[0].spec.leaderWorkerTemplate.size: Invalid value: 0: size must be equal or greater than 1',
  );
});
