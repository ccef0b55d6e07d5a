import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDisaggregatedSet, RenderError } from './render.ts';
import type { DisaggregatedSet } from '../api/types.ts';

const role = (name: string, replicas: number, extra: Record<string, unknown> = {}) => ({
  name,
  ...extra,
  spec: {
    replicas,
    leaderWorkerTemplate: {
      workerTemplate: { spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] } },
    },
  },
});
const set = (roles: unknown[], spec: Record<string, unknown> = {}): DisaggregatedSet =>
  ({
    apiVersion: 'disaggregatedset.x-k8s.io/v1',
    kind: 'DisaggregatedSet',
    metadata: { name: 'pd' },
    spec: { roles, ...spec },
  }) as unknown as DisaggregatedSet;

test('prefill/decode: defaults, upstream revision, child LWS, Services and each child’s objects', () => {
  const r = renderDisaggregatedSet(set([role('prefill', 2), role('decode', 1)]));
  // The same roles as golden vector "prefill/decode as the apiserver defaults them" (upstream's ComputeRevision).
  assert.equal(r.revision, '28d81a04');
  assert.deepEqual(
    r.objects.map((o) => `${o.kind}/${o.metadata.name}`),
    [
      'LeaderWorkerSet/pd-0-28d81a04-prefill',
      'LeaderWorkerSet/pd-0-28d81a04-decode',
      'Service/pd-0-28d81a04-prefill-prv',
      'Service/pd-0-28d81a04-decode-prv',
    ],
  );
  const prefill = r.children[0]!;
  assert.equal(prefill.leaderWorkerSet.spec.replicas, 2);
  assert.deepEqual(
    prefill.objects.filter((o) => o.kind === 'Pod').map((o) => o.metadata.name),
    ['pd-0-28d81a04-prefill-0', 'pd-0-28d81a04-prefill-1'],
  );
  const pod = prefill.objects.find((o) => o.kind === 'Pod')!;
  assert.equal(pod.metadata.labels?.['disaggregatedset.x-k8s.io/role'], 'prefill');
  assert.equal(pod.metadata.namespace, 'default');
});

test('an External role gets its RoleScaler; slices multiply the child LWS', () => {
  const ext = renderDisaggregatedSet(set([role('prefill', 1, { scaling: { mode: 'External' } }), role('decode', 1)]));
  assert.ok(ext.objects.some((o) => o.kind === 'DisaggregatedSetRoleScaler' && o.metadata.name === 'pd-prefill'));
  const sliced = renderDisaggregatedSet(set([role('a', 1), role('b', 1)], { slices: 2 }));
  assert.equal(sliced.objects.filter((o) => o.kind === 'LeaderWorkerSet').length, 4);
});

test('what admission refuses is refused here with the webhook’s message', () => {
  assert.throws(
    () => renderDisaggregatedSet(set([role('a', 1), role('b', 1)], { placementPolicy: { type: 'ExclusiveTopology' } })),
    (e: unknown) => e instanceof RenderError && /spec\.placementPolicy\.topology: Required value/.test(e.message),
  );
  assert.throws(() => renderDisaggregatedSet({ kind: 'Pod' } as unknown as DisaggregatedSet), /expected kind/);
});
