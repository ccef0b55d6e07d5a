import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../client/client.ts';
import { ConflictError, NotFoundError } from '../client/errors.ts';
import { injectCABundle } from './ca-injector.ts';
import { MUTATING_WEBHOOK_CONFIGURATIONS } from '../client/resources.ts';

const target = { ref: MUTATING_WEBHOOK_CONFIGURATIONS, name: 'lws-mutating-webhook-configuration' };

function fakeClient(stored: any, conflicts = 0) {
  const writes: any[] = [];
  const client = {
    get: async () => {
      if (!stored) throw new NotFoundError(404, 'NotFound', 'not found');
      return structuredClone(stored);
    },
    update: async (_ref: unknown, object: any) => {
      if (conflicts-- > 0) throw new ConflictError(409, 'Conflict', 'the object has been modified');
      writes.push(object);
      stored = object;
      return object;
    },
  };
  return { client: client as unknown as KubeClient, writes };
}

const config = (caBundle?: string) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: { name: 'lws-mutating-webhook-configuration', resourceVersion: '7', labels: { owner: 'gitops' } },
  webhooks: [
    { name: 'mleaderworkerset.kb.io', clientConfig: { url: 'https://x/a', caBundle }, sideEffects: 'None' },
    { name: 'mpod.kb.io', clientConfig: { url: 'https://x/b' }, timeoutSeconds: 7 },
  ],
});

test('sets every caBundle, keeps every other field, retries on conflicts', async () => {
  const { client, writes } = fakeClient(config('b2xk'), 2);
  assert.equal(await injectCABundle(client, target, 'CA'), 'patched');
  assert.equal(writes.length, 1);
  const expected = config(Buffer.from('CA').toString('base64'));
  expected.webhooks[1]!.clientConfig = { url: 'https://x/b', caBundle: Buffer.from('CA').toString('base64') } as never;
  assert.deepEqual(writes[0], expected, 'only the caBundle fields changed; resourceVersion kept as precondition');
});

test('no write when nothing differs; missing configurations are reported', async () => {
  const ca = Buffer.from('CA').toString('base64');
  const present = config(ca);
  present.webhooks[1]!.clientConfig = { url: 'https://x/b', caBundle: ca } as never;
  const { client, writes } = fakeClient(present);
  assert.equal(await injectCABundle(client, target, 'CA'), 'unchanged');
  assert.equal(writes.length, 0);
  assert.equal(await injectCABundle(fakeClient(undefined).client, target, 'CA'), 'not-found');
});
