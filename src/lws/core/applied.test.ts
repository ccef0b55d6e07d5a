import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../k8s/client/objects.ts';
import { APPLY_PATIENCE_MS, appliedRecord, applyIsNoOp, cacheBehindApply, previousForEvents } from './applied.ts';

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
  assert.deepEqual(appliedRecord(d, live(d, 1), live(d, 1)), {
    fingerprint: JSON.stringify(d),
    uid: 'sts-uid',
    generation: 1,
  });
});

// cacheBehindApply: the cache has not shown our last apply of exactly this object yet.
{
  const sts = (rv: string | undefined, partition = 3) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 's', namespace: 'n', ...(rv ? { resourceVersion: rv } : {}) },
    spec: { partition },
  });
  const desired = sts(undefined, 2);
  const answer = { ...sts('11', 2), metadata: { ...sts('11', 2).metadata, uid: 'u', generation: 2 } };
  const record = appliedRecord(desired, answer, sts('10'), 1000)!;
  const cases: [string, ReturnType<typeof sts> | undefined, object, number, boolean][] = [
    ['cache still holds the object the apply replaced', sts('10'), desired, 1100, true],
    ['cache shows the apply', sts('11', 2), desired, 1100, false],
    ['cache shows something newer', sts('57', 2), desired, 1100, false],
    ['a different desired object: act on it', sts('10'), sts(undefined, 1), 1100, false],
    ['waited long enough', sts('10'), desired, 1000 + APPLY_PATIENCE_MS + 1, false],
  ];
  for (const [name, cached, want, now, expected] of cases) {
    test(`cacheBehindApply: ${name}`, () =>
      assert.equal(cacheBehindApply(cached as never, want as never, record, now), expected));
  }
  test('cacheBehindApply: a created object is awaited until the cache has it', () => {
    const created = appliedRecord(desired, answer, undefined, 1000)!;
    assert.equal(cacheBehindApply(undefined, desired, created, 1100), true);
    assert.equal(cacheBehindApply(sts('11', 2) as never, desired, created, 1100), false);
  });
  test('cacheBehindApply: an apply that changed nothing is not awaited (no event will come)', () => {
    const noop = appliedRecord(
      desired,
      { ...answer, metadata: { ...answer.metadata, resourceVersion: '10' } },
      sts('10'),
    )!;
    assert.equal(cacheBehindApply(sts('10') as never, desired, noop), false);
  });
}

test('previousForEvents: a cache behind our last apply compares against the partition that apply set', () => {
  const cached = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 's', uid: 'u', generation: 1 },
    spec: { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 4 } } },
  };
  const last = { fingerprint: '', uid: 'u', generation: 2, partition: 2 };
  const seen = previousForEvents(cached, last) as typeof cached;
  assert.equal(seen.spec.updateStrategy.rollingUpdate.partition, 2);
  assert.equal(seen.spec.replicas, 4);
  assert.equal(cached.spec.updateStrategy.rollingUpdate.partition, 4, 'the cached object is not changed');
  const caughtUp = { ...cached, metadata: { ...cached.metadata, generation: 2 } };
  assert.equal(previousForEvents(caughtUp, last), caughtUp);
  const recreated = { ...cached, metadata: { ...cached.metadata, uid: 'v' } };
  assert.equal(previousForEvents(recreated, last), recreated);
  assert.equal(previousForEvents(undefined, last), undefined);
});
