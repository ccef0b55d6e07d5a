import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../k8s/client/objects.ts';
import { appliedRecord, applyIsNoOp } from './applied.ts';

const desired = (replicas = 3): KubeObject & { spec: { replicas: number } } => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: {
    name: 'lws',
    namespace: 'ns',
    labels: { 'leaderworkerset.sigs.k8s.io/name': 'lws' },
    annotations: { 'leaderworkerset.sigs.k8s.io/replicas': String(replicas) },
    ownerReferences: [
      {
        apiVersion: 'leaderworkerset.x-k8s.io/v1',
        kind: 'LeaderWorkerSet',
        name: 'lws',
        uid: 'lws-uid',
        controller: true,
      },
    ],
  },
  spec: { replicas },
});

/** What the apiserver holds after applying `d`: our fields plus its own. */
const live = (d: KubeObject, generation = 4, uid = 'sts-uid'): KubeObject => ({
  ...structuredClone(d),
  metadata: {
    ...structuredClone(d.metadata),
    uid,
    generation,
    resourceVersion: '99',
    labels: { ...d.metadata.labels, extra: 'x' },
  },
});

test('applyIsNoOp: skip only when the cache shows exactly what the last apply produced', () => {
  const d = desired();
  const record = appliedRecord(d, live(d));
  assert.ok(record);
  const steps: Array<[string, KubeObject | undefined, KubeObject, boolean]> = [
    ['unchanged object, same desired → skip', live(d), d, true],
    [
      'status-only change (new resourceVersion, same generation) → skip',
      { ...live(d), status: { readyReplicas: 2 } } as KubeObject,
      d,
      true,
    ],
    ['no cached object → apply', undefined, d, false],
    ['someone edited the spec (generation bumped) → apply', live(d, 5), d, false],
    ['object deleted and recreated (new UID) → apply', live(d, 4, 'other'), d, false],
    ['desired changed (new replicas) → apply', live(d), desired(4), false],
  ];
  for (const [name, cached, want, expected] of steps) assert.equal(applyIsNoOp(cached, want, record), expected, name);

  const lostLabel = live(d);
  delete lostLabel.metadata.labels!['leaderworkerset.sigs.k8s.io/name'];
  assert.equal(applyIsNoOp(lostLabel, d, record), false, 'a label we set was removed → apply');
  const changedAnnotation = live(d);
  changedAnnotation.metadata.annotations!['leaderworkerset.sigs.k8s.io/replicas'] = '9';
  assert.equal(applyIsNoOp(changedAnnotation, d, record), false, 'an annotation we set was changed → apply');
  const orphaned = live(d);
  orphaned.metadata.ownerReferences = [];
  assert.equal(applyIsNoOp(orphaned, d, record), false, 'the controller reference was removed → apply');
  assert.equal(applyIsNoOp(live(d), d, undefined), false, 'nothing applied yet in this term → apply');
});

test('appliedRecord: an answer without UID or generation never allows a skip', () => {
  const d = desired();
  assert.equal(appliedRecord(d, undefined), undefined);
  assert.equal(appliedRecord(d, { metadata: { name: 'lws' } }), undefined);
  assert.deepEqual(appliedRecord(d, live(d, 1)), { fingerprint: JSON.stringify(d), uid: 'sts-uid', generation: 1 });
});
