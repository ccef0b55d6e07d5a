/**
 * DisaggregatedSet status as computed on upstream main after v0.10.0 (#933, #980), and the reconcile
 * options that opt into main's behaviour (#983 ownership checks). Not part of the v0.10.0 replay.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RevisionLabelKey, RoleLabelKey, SetNameLabelKey, SliceLabelKey } from '../api/keys.ts';
import type { Condition, LeaderWorkerSetLike } from '../api/types.ts';
import { dsOwnerReference } from './render.ts';
import { reconcile } from './reconcile.ts';
import { computeRevision, plainJSONEncoder } from './revision.ts';
import { computeDisaggregatedSetStatus, setAvailabilityCondition } from './status.ts';
import { buildDS, emptyWorld, lws, withRole } from './testkit.ts';
import { generateName } from './utils.ts';

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:01:00Z';

describe('status (main #933/#980)', () => {
  const ds = buildDS('s', [withRole('prefill', 2, 'img'), withRole('decode', 1, 'img')], { slices: 2 });
  ds.metadata.generation = 3;
  const child = (role: string, rev: string, slice: number, st: [number, number, number]): LeaderWorkerSetLike =>
    lws(generateName('s', slice, rev, role), {
      labels: { [SetNameLabelKey]: 's', [RoleLabelKey]: role, [RevisionLabelKey]: rev, [SliceLabelKey]: String(slice) },
      statusReplicas: st[0],
      ready: st[1],
    });
  const withUpdated = (l: LeaderWorkerSetLike, u: number) => ({ ...l, status: { ...l.status, updatedReplicas: u } });

  it('aggregates across slices and counts updated only at the target revision', () => {
    const objs = [
      withUpdated(child('prefill', 'new', 0, [2, 2, 0]), 2),
      withUpdated(child('prefill', 'new', 1, [1, 1, 0]), 1),
      withUpdated(child('prefill', 'old', 1, [1, 1, 0]), 1),
      withUpdated(child('decode', 'new', 0, [1, 1, 0]), 1),
      withUpdated(child('decode', 'new', 1, [1, 1, 0]), 1),
    ];
    const { status, changed } = computeDisaggregatedSetStatus(ds, objs, 'new', undefined, T0);
    assert.ok(changed);
    assert.equal(status.observedGeneration, 3);
    assert.deepEqual(status.roleStatuses, [
      { name: 'prefill', replicas: 4, readyReplicas: 4, updatedReplicas: 3 },
      { name: 'decode', replicas: 2, readyReplicas: 2, updatedReplicas: 2 },
    ]);
    assert.equal(status.conditions?.[0]?.type, 'Progressing');
  });

  it('Available once every role is at desired*slices, ready and updated', () => {
    const objs = [
      withUpdated(child('prefill', 'new', 0, [2, 2, 0]), 2),
      withUpdated(child('prefill', 'new', 1, [2, 2, 0]), 2),
      withUpdated(child('decode', 'new', 0, [1, 1, 0]), 1),
      withUpdated(child('decode', 'new', 1, [1, 1, 0]), 1),
    ];
    const { status } = computeDisaggregatedSetStatus(ds, objs, 'new', undefined, T0);
    assert.deepEqual(status.conditions, [
      {
        type: 'Available',
        status: 'True',
        observedGeneration: 3,
        lastTransitionTime: T0,
        reason: 'AllRolesReady',
        message: 'All roles have reached their desired replica count, ready and updated to the current revision',
      },
    ]);
  });

  it('flips the exclusive pair and keeps lastTransitionTime when status is unchanged', () => {
    const first = setAvailabilityCondition(undefined, false, 1, T0).conditions;
    const flipped = setAvailabilityCondition(first, true, 1, T1).conditions;
    const prog = flipped.find((c) => c.type === 'Progressing')!;
    const avail = flipped.find((c) => c.type === 'Available')!;
    assert.equal(prog.status, 'False');
    assert.equal(prog.lastTransitionTime, T1);
    assert.equal(prog.reason, 'AllRolesReady');
    assert.equal(avail.lastTransitionTime, T1);
    const again = setAvailabilityCondition(flipped, true, 2, '2030-01-01T00:00:00Z');
    assert.ok(again.changed);
    const a2 = again.conditions.find((c: Condition) => c.type === 'Available')!;
    assert.equal(a2.lastTransitionTime, T1);
    assert.equal(a2.observedGeneration, 2);
    assert.equal(again.conditions.find((c) => c.type === 'Progressing')!.observedGeneration, 2);
    assert.equal(setAvailabilityCondition(again.conditions, true, 2, T1).changed, false);
  });

  it('External role without a scaler is never Available', () => {
    const d = buildDS('e', [{ name: 'a', scaling: { mode: 'External' } }, withRole('b', 0, 'x')]);
    assert.equal(computeDisaggregatedSetStatus(d, [], 'r', undefined, T0).status.conditions?.[0]?.type, 'Progressing');
  });
});

describe('reconcile fixes (main #983 ownership, #933 status)', () => {
  it('v0.10.0 scales a foreign same-named LWS; with fixes.ownership it refuses', () => {
    const ds = buildDS('own', [withRole('prefill', 3, 'x'), withRole('decode', 3, 'x')]);
    const rev = computeRevision(ds.spec.roles, plainJSONEncoder);
    const foreign = (role: string) =>
      lws(generateName('own', 0, rev, role), { role, revision: rev, dsName: 'own', replicas: 1, ready: 1 });
    const world = emptyWorld(ds, [foreign('prefill'), foreign('decode')]);
    const v10 = reconcile(world, { encodeRoleTemplates: plainJSONEncoder });
    assert.equal(v10.actions.filter((a) => a.kind === 'ScaleLWS').length, 2);
    const fixed = reconcile(world, { encodeRoleTemplates: plainJSONEncoder, fixes: { ownership: true } });
    assert.equal(fixed.actions.filter((a) => a.kind === 'ScaleLWS').length, 0);
    assert.match(fixed.errors[0] ?? '', /exists but is not controlled by DisaggregatedSet own; refusing to adopt it/);
  });

  it('fixes.status emits one UpdateStatus with roleStatuses and a condition', () => {
    const ds = buildDS('st', [withRole('prefill', 1, 'x'), withRole('decode', 1, 'x')]);
    ds.metadata.generation = 1;
    const r = reconcile(emptyWorld(ds), { encodeRoleTemplates: plainJSONEncoder, now: T0, fixes: { status: true } });
    const upd = r.actions.filter((a) => a.kind === 'UpdateStatus');
    assert.equal(upd.length, 1);
    assert.ok(upd[0]?.kind === 'UpdateStatus');
    assert.deepEqual(upd[0].status.roleStatuses, [{ name: 'prefill' }, { name: 'decode' }]);
    assert.equal(upd[0].status.conditions?.[0]?.type, 'Progressing');
    const created = r.world.leaderWorkerSets[0]!;
    assert.deepEqual(created.metadata.ownerReferences, [dsOwnerReference(ds)]);
  });
});
