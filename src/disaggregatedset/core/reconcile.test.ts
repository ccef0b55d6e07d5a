/**
 * Replays upstream (v0.10.0) disaggregatedset_controller_test.go, service_manager_test.go,
 * scaler_manager_test.go and lws_manager_test.go against the pure reconcile session.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DisaggregatedSetKind,
  EventReasonScalerConflict,
  GroupVersion,
  InitialReplicasAnnotationKey,
  RevisionLabelKey,
  RoleLabelKey,
  SetNameLabelKey,
  SliceLabelKey,
} from '../api/keys.ts';
import type {
  DisaggregatedRoleSpec,
  DisaggregatedSet,
  DisaggregatedSetRoleScaler,
  LeaderWorkerSetLike,
  ServiceLike,
} from '../api/types.ts';
import { renderLeaderWorkerSet, type CreateParams } from './render.ts';
import { reconcile, ReconcileError, ReconcileSession, type World } from './reconcile.ts';
import { computeRevision, plainJSONEncoder } from './revision.ts';
import { getTargetReplicas } from './rollout.ts';
import { desiredScalerStatus } from './status.ts';
import { bareOwner, buildDS, emptyWorld, lws, replicasOf, withRole, withRoleNoReplicas } from './testkit.ts';
import {
  generateLabels,
  generateLegacyName,
  generateName,
  getLWSReplicas,
  parseInitialReplicasAnnotation,
  type RevisionRoles,
} from './utils.ts';

const encode = plainJSONEncoder;
const opts = { encodeRoleTemplates: encode };
const session = (world: World): ReconcileSession => new ReconcileSession(world, opts);
const find = (world: World, name: string): LeaderWorkerSetLike | undefined =>
  world.leaderWorkerSets.find((l) => l.metadata.name === name);
const hasService = (world: World, name: string): boolean => world.services.some((s) => s.metadata.name === name);

/** createOldLeaderWorkerSet / createSliceLWS / createLegacyLeaderWorkerSet fixtures. */
function childLWS(
  ds: DisaggregatedSet,
  name: string,
  labels: Record<string, string>,
  replicas: number,
): LeaderWorkerSetLike {
  const l = lws(name, { labels, replicas, statusReplicas: replicas, ready: replicas, owner: bareOwner(ds) });
  l.spec!.leaderWorkerTemplate = {
    size: 1,
    workerTemplate: { spec: { containers: [{ name: 'c', image: 'nginx:1.0' }] } },
  };
  return l;
}
const oldLWS = (ds: DisaggregatedSet, role: string, revision: string, replicas: number): LeaderWorkerSetLike =>
  childLWS(
    ds,
    `${ds.metadata.name}-0-${revision}-${role}`,
    { [SetNameLabelKey]: ds.metadata.name!, [SliceLabelKey]: '0', [RoleLabelKey]: role, [RevisionLabelKey]: revision },
    replicas,
  );
const sliceLWS = (ds: DisaggregatedSet, slice: number, role: string, revision: string): LeaderWorkerSetLike =>
  childLWS(
    ds,
    generateName(ds.metadata.name!, slice, revision, role),
    generateLabels(ds.metadata.name!, slice, revision, role),
    2,
  );
const legacyLWS = (ds: DisaggregatedSet, role: string, revision: string): LeaderWorkerSetLike =>
  childLWS(
    ds,
    generateLegacyName(ds.metadata.name!, revision, role),
    { [SetNameLabelKey]: ds.metadata.name!, [RoleLabelKey]: role, [RevisionLabelKey]: revision },
    2,
  );

describe('controller (disaggregatedset_controller_test.go)', () => {
  it('TestFreshDeploymentNoRollingUpdate', () => {
    const ds = buildDS('fresh-deploy', [withRole('prefill', 3, 'nginx:1.0'), withRole('decode', 2, 'nginx:1.0')]);
    const r = reconcile(emptyWorld(ds), opts);
    assert.deepEqual(r.errors, []);
    const rev = computeRevision(ds.spec.roles, encode);
    assert.equal(replicasOf(r.world, generateName('fresh-deploy', 0, rev, 'prefill')), 3);
    assert.equal(replicasOf(r.world, generateName('fresh-deploy', 0, rev, 'decode')), 2);
  });

  it('TestScalingWithoutRollingUpdate', () => {
    const ds = buildDS('scale-test', [withRole('prefill', 5, 'nginx:1.0'), withRole('decode', 4, 'nginx:1.0')]);
    const rev = computeRevision(ds.spec.roles, encode);
    const r = reconcile(emptyWorld(ds, [oldLWS(ds, 'prefill', rev, 3), oldLWS(ds, 'decode', rev, 2)]), opts);
    assert.equal(replicasOf(r.world, generateName('scale-test', 0, rev, 'prefill')), 5);
    assert.equal(replicasOf(r.world, generateName('scale-test', 0, rev, 'decode')), 4);
    assert.deepEqual(
      r.actions.filter((a) => a.kind === 'ScaleLWS'),
      [
        { kind: 'ScaleLWS', name: generateName('scale-test', 0, rev, 'prefill'), replicas: 5 },
        { kind: 'ScaleLWS', name: generateName('scale-test', 0, rev, 'decode'), replicas: 4 },
      ],
    );
  });

  it('TestSlicesCreateOneSetPerSlice', () => {
    const ds = buildDS('multi-slice', [withRole('prefill', 2, 'nginx:1.0'), withRole('decode', 3, 'nginx:1.0')], {
      slices: 2,
    });
    const r = reconcile(emptyWorld(ds), opts);
    const rev = computeRevision(ds.spec.roles, encode);
    for (const slice of [0, 1]) {
      const p = find(r.world, generateName('multi-slice', slice, rev, 'prefill'));
      assert.ok(p, `prefill LWS should exist for slice ${slice}`);
      assert.equal(p.spec?.replicas, 2);
      assert.equal(p.metadata.labels?.[SliceLabelKey], String(slice));
      assert.equal(replicasOf(r.world, generateName('multi-slice', slice, rev, 'decode')), 3);
    }
    assert.equal(r.world.leaderWorkerSets.length, 4);
  });

  it('TestSlicesScaleDownDeletesRemovedSlice', () => {
    const ds = buildDS('scale-slice', [withRole('prefill', 2, 'nginx:1.0'), withRole('decode', 2, 'nginx:1.0')], {
      slices: 1,
    });
    const rev = computeRevision(ds.spec.roles, encode);
    const objs = [0, 1].flatMap((s) => [sliceLWS(ds, s, 'prefill', rev), sliceLWS(ds, s, 'decode', rev)]);
    const r = reconcile(emptyWorld(ds, objs), opts);
    assert.ok(find(r.world, generateName('scale-slice', 0, rev, 'prefill')));
    assert.equal(find(r.world, generateName('scale-slice', 1, rev, 'prefill')), undefined);
    assert.equal(find(r.world, generateName('scale-slice', 1, rev, 'decode')), undefined);
    const events = r.actions.filter((a) => a.kind === 'Event').map((a) => (a.kind === 'Event' ? a.note : ''));
    assert.deepEqual(events, [
      `Deleted LWS ${generateName('scale-slice', 1, rev, 'decode')} for removed slice 1`,
      `Deleted LWS ${generateName('scale-slice', 1, rev, 'prefill')} for removed slice 1`,
    ]);
  });

  it('TestLegacyAdoptedInPlace', () => {
    const ds = buildDS('legacy-adopt', [withRole('prefill', 2, 'nginx:1.0'), withRole('decode', 2, 'nginx:1.0')]);
    const rev = computeRevision(ds.spec.roles, encode);
    const r = reconcile(emptyWorld(ds, [legacyLWS(ds, 'prefill', rev), legacyLWS(ds, 'decode', rev)]), opts);
    assert.ok(find(r.world, generateLegacyName('legacy-adopt', rev, 'prefill')));
    assert.equal(find(r.world, generateName('legacy-adopt', 0, rev, 'prefill')), undefined);
    assert.equal(r.world.leaderWorkerSets.length, 2);
  });

  it('TestLegacyMigratesToSliceAwareOnRollout', () => {
    const ds = buildDS('legacy-migrate', [withRole('prefill', 2, 'nginx:2.0'), withRole('decode', 2, 'nginx:2.0')]);
    const rev = computeRevision(ds.spec.roles, encode);
    const r = reconcile(
      emptyWorld(ds, [legacyLWS(ds, 'prefill', 'old12345'), legacyLWS(ds, 'decode', 'old12345')]),
      opts,
    );
    const migrated = find(r.world, generateName('legacy-migrate', 0, rev, 'prefill'));
    assert.ok(migrated);
    assert.equal(migrated.metadata.labels?.[SliceLabelKey], '0');
    assert.ok(find(r.world, generateLegacyName('legacy-migrate', 'old12345', 'prefill')));
  });

  it('TestSlicesIncreaseRecreatesLegacySlice0', () => {
    const ds = buildDS('legacy-grow', [withRole('prefill', 2, 'nginx:1.0'), withRole('decode', 2, 'nginx:1.0')], {
      slices: 2,
    });
    const rev = computeRevision(ds.spec.roles, encode);
    const legacySvc: ServiceLike = {
      metadata: {
        name: generateLegacyName('legacy-grow', rev, 'prefill') + '-prv',
        namespace: 'default',
        labels: { [SetNameLabelKey]: 'legacy-grow', [RoleLabelKey]: 'prefill', [RevisionLabelKey]: rev },
      },
      spec: { clusterIP: 'None' },
    };
    const world: World = {
      ...emptyWorld(ds, [legacyLWS(ds, 'prefill', rev), legacyLWS(ds, 'decode', rev)]),
      services: [legacySvc],
    };
    const r = reconcile(world, opts);
    assert.equal(find(r.world, generateLegacyName('legacy-grow', rev, 'prefill')), undefined);
    assert.equal(find(r.world, generateLegacyName('legacy-grow', rev, 'decode')), undefined);
    assert.equal(hasService(r.world, legacySvc.metadata.name!), false);
    assert.ok(find(r.world, generateName('legacy-grow', 0, rev, 'prefill')));
    assert.ok(find(r.world, generateName('legacy-grow', 1, rev, 'prefill')));
    // The legacy Service is deleted before the legacy LWS.
    const kinds = r.actions.filter((a) => a.kind === 'DeleteService' || a.kind === 'DeleteLWS').slice(0, 2);
    assert.deepEqual(kinds, [
      { kind: 'DeleteService', name: legacySvc.metadata.name },
      { kind: 'DeleteLWS', name: generateLegacyName('legacy-grow', rev, 'prefill') },
    ]);
  });

  it('TestSlicesIncreaseWithRolloutNotBlocked', () => {
    const ds = buildDS('legacy-rollout', [withRole('prefill', 2, 'nginx:1.0'), withRole('decode', 2, 'nginx:1.0')], {
      slices: 2,
    });
    const rev = computeRevision(ds.spec.roles, encode);
    assert.notEqual(rev, 'oldrev01');
    const r = reconcile(
      emptyWorld(ds, [legacyLWS(ds, 'prefill', 'oldrev01'), legacyLWS(ds, 'decode', 'oldrev01')]),
      opts,
    );
    assert.ok(find(r.world, generateName('legacy-rollout', 0, rev, 'prefill')));
    assert.ok(find(r.world, generateName('legacy-rollout', 1, rev, 'prefill')));
  });
});

describe('ServiceManager (service_manager_test.go)', () => {
  const mkDS = (name = 'test-deploy'): DisaggregatedSet =>
    buildDS(name, [withRoleNoReplicas('prefill', 'nginx:1.0'), withRoleNoReplicas('decode', 'nginx:1.0')], {
      uid: 'test-uid',
    });
  const readyLWS = (dsName: string, revision: string, role: string, ready: number): LeaderWorkerSetLike => ({
    metadata: { name: generateName(dsName, 0, revision, role), labels: generateLabels(dsName, 0, revision, role) },
    status: { readyReplicas: ready },
  });
  const group = (dsName: string, revision: string, p: number, d: number): RevisionRoles => ({
    revision,
    roles: new Map([
      ['prefill', readyLWS(dsName, revision, 'prefill', p)],
      ['decode', readyLWS(dsName, revision, 'decode', d)],
    ]),
  });
  const svcName = (b: string, revision: string, role: string) => generateName(b, 0, revision, role) + '-prv';
  const oldSvc = (ds: DisaggregatedSet, revision: string, role: string, sliced = true): ServiceLike => ({
    metadata: {
      name: sliced
        ? svcName(ds.metadata.name!, revision, role)
        : generateLegacyName(ds.metadata.name!, revision, role) + '-prv',
      namespace: 'default',
      labels: {
        [SetNameLabelKey]: ds.metadata.name!,
        ...(sliced ? { [SliceLabelKey]: '0' } : {}),
        [RoleLabelKey]: role,
        [RevisionLabelKey]: revision,
      },
    },
    spec: { clusterIP: 'None' },
  });
  const run = (ds: DisaggregatedSet, services: ServiceLike[], groups: RevisionRoles[], target: string): World => {
    const s = session({ ...emptyWorld(ds), services });
    s.reconcileServices(0, groups, target);
    return s.snapshot();
  };
  const svc = (w: World, name: string): ServiceLike => {
    const s = w.services.find((x) => x.metadata.name === name);
    assert.ok(s, `service ${name} should exist`);
    return s;
  };

  it('no service created when only one role is ready', () => {
    const w = run(mkDS(), [], [group('test-deploy', 'abc12345', 2, 0)], 'abc12345');
    assert.equal(w.services.length, 0);
  });
  it('services created when both roles have >= 1 ready replica', () => {
    const w = run(mkDS(), [], [group('test-deploy', 'abc12345', 1, 1)], 'abc12345');
    svc(w, svcName('test-deploy', 'abc12345', 'prefill'));
    svc(w, svcName('test-deploy', 'abc12345', 'decode'));
  });
  it('service is headless with clusterIP None', () => {
    const w = run(mkDS(), [], [group('test-deploy', 'abc12345', 1, 1)], 'abc12345');
    assert.equal(svc(w, svcName('test-deploy', 'abc12345', 'prefill')).spec?.clusterIP, 'None');
  });
  it('service is portless with no ports defined', () => {
    const w = run(mkDS(), [], [group('test-deploy', 'abc12345', 1, 1)], 'abc12345');
    assert.equal(svc(w, svcName('test-deploy', 'abc12345', 'decode')).spec?.ports, undefined);
  });
  it('service name uses prv prefix', () => {
    const w = run(mkDS('my-app'), [], [group('my-app', 'ef53f2d7', 1, 1)], 'ef53f2d7');
    svc(w, 'my-app-0-ef53f2d7-prefill-prv');
    svc(w, 'my-app-0-ef53f2d7-decode-prv');
  });
  it('standard labels are applied', () => {
    const w = run(mkDS(), [], [group('test-deploy', 'abc12345', 1, 1)], 'abc12345');
    assert.deepEqual(svc(w, svcName('test-deploy', 'abc12345', 'decode')).metadata.labels, {
      [SetNameLabelKey]: 'test-deploy',
      [RoleLabelKey]: 'decode',
      [RevisionLabelKey]: 'abc12345',
      [SliceLabelKey]: '0',
    });
  });
  it('selector matches pod labels for role and revision', () => {
    const w = run(mkDS(), [], [group('test-deploy', 'abc12345', 1, 1)], 'abc12345');
    const s = svc(w, svcName('test-deploy', 'abc12345', 'decode'));
    assert.deepEqual(s.spec?.selector, {
      [SetNameLabelKey]: 'test-deploy',
      [RoleLabelKey]: 'decode',
      [RevisionLabelKey]: 'abc12345',
      [SliceLabelKey]: '0',
    });
    assert.deepEqual(s.metadata.ownerReferences, [
      { apiVersion: GroupVersion, kind: DisaggregatedSetKind, name: 'test-deploy', uid: 'test-uid', controller: true },
    ]);
  });
  it('old services deleted when revision is drained', () => {
    const ds = mkDS();
    const w = run(ds, [oldSvc(ds, 'old12345', 'decode')], [group('test-deploy', 'new12345', 1, 1)], 'new12345');
    assert.equal(hasService(w, svcName('test-deploy', 'old12345', 'decode')), false);
    svc(w, svcName('test-deploy', 'new12345', 'decode'));
  });
  it('legacy slice-agnostic service is adopted and cleaned up on drain', () => {
    const ds = mkDS();
    const legacy = oldSvc(ds, 'old12345', 'prefill', false);
    const w = run(ds, [legacy], [group('test-deploy', 'new12345', 1, 1)], 'new12345');
    assert.equal(hasService(w, legacy.metadata.name!), false);
  });
  it('no flip-flop when multiple revisions are ready during rolling update', () => {
    const ds = mkDS();
    const olds = [oldSvc(ds, 'old12345', 'prefill'), oldSvc(ds, 'old12345', 'decode')];
    const s = session({ ...emptyWorld(ds), services: olds });
    s.reconcileServices(
      0,
      [group('test-deploy', 'old12345', 2, 2), group('test-deploy', 'new12345', 1, 1)],
      'new12345',
    );
    assert.ok(hasService(s.snapshot(), svcName('test-deploy', 'new12345', 'prefill')));
    assert.ok(hasService(s.snapshot(), svcName('test-deploy', 'old12345', 'prefill')));
    s.reconcileServices(
      0,
      [group('test-deploy', 'old12345', 0, 0), group('test-deploy', 'new12345', 2, 2)],
      'new12345',
    );
    assert.equal(hasService(s.snapshot(), svcName('test-deploy', 'old12345', 'prefill')), false);
    assert.equal(hasService(s.snapshot(), svcName('test-deploy', 'old12345', 'decode')), false);
  });
});

describe('ScalerManager (scaler_manager_test.go)', () => {
  const external = (name: string): DisaggregatedRoleSpec => ({ name, scaling: { mode: 'External' } });
  const staticRole = (name: string, replicas?: number): DisaggregatedRoleSpec =>
    replicas === undefined ? { name } : { name, spec: { replicas } };
  const newDS = (name: string, ...roles: DisaggregatedRoleSpec[]): DisaggregatedSet =>
    buildDS(name, roles, { uid: `uid-${name}` });

  it('TestScalerManagerReconcileCreatesMissing', () => {
    const ds = newDS('myds', external('prefill'), staticRole('decode'));
    const s = session(emptyWorld(ds));
    const scalers = s.reconcileScalers(() => 0);
    assert.ok(scalers.has('prefill'));
    assert.ok(!scalers.has('decode'));
    const got = s.snapshot().scalers.find((x) => x.metadata.name === 'myds-prefill');
    assert.ok(got);
    assert.equal(got.metadata.labels?.[RoleLabelKey], 'prefill');
    assert.equal(got.metadata.labels?.[SetNameLabelKey], 'myds');
    assert.deepEqual(got.metadata.ownerReferences, [
      {
        apiVersion: GroupVersion,
        kind: DisaggregatedSetKind,
        name: 'myds',
        uid: 'uid-myds',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.deepEqual(got.spec, { replicas: 0 });
  });

  it('TestScalerManagerReconcileDeletesOrphaned', () => {
    const ds = newDS('myds', external('prefill'), staticRole('decode'));
    const stale: DisaggregatedSetRoleScaler = {
      metadata: {
        name: 'myds-old-role',
        namespace: 'default',
        labels: { [SetNameLabelKey]: 'myds', [RoleLabelKey]: 'old-role' },
        ownerReferences: [
          { apiVersion: GroupVersion, kind: 'DisaggregatedSet', name: 'myds', uid: 'uid-myds', controller: true },
        ],
      },
    };
    const s = session({ ...emptyWorld(ds), scalers: [stale] });
    s.reconcileScalers(() => 0);
    assert.equal(
      s.snapshot().scalers.some((x) => x.metadata.name === 'myds-old-role'),
      false,
    );
    assert.ok(
      s.actions.some(
        (a) => a.kind === 'Event' && a.note === 'Deleted scaler myds-old-role (role old-role is no longer External)',
      ),
    );
  });

  it('TestScalerManagerReconcileRefusesForeignScaler', () => {
    const ds = newDS('myds', external('prefill'), staticRole('decode'));
    const foreign: DisaggregatedSetRoleScaler = { metadata: { name: 'myds-prefill', namespace: 'default' } };
    const s = session({ ...emptyWorld(ds), scalers: [foreign] });
    const scalers = s.reconcileScalers(() => 0);
    assert.ok(!scalers.has('prefill'));
    const got = s.snapshot().scalers.find((x) => x.metadata.name === 'myds-prefill');
    assert.equal(got?.metadata.ownerReferences, undefined);
    const ev = s.actions.find((a) => a.kind === 'Event');
    assert.ok(ev && ev.kind === 'Event' && ev.reason === EventReasonScalerConflict && ev.type === 'Warning');
  });

  // TestGetTargetReplicasResolutionMatrix
  const matrix: [string, DisaggregatedRoleSpec, boolean, number, number, number][] = [
    ['static default', staticRole('r'), false, 0, 0, 1],
    ['static explicit', staticRole('r', 4), false, 0, 0, 4],
    ['external + scaler seeded at 0', external('r'), true, 0, 0, 0],
    ['external + scaler written to 7', external('r'), true, 7, 0, 7],
    ['external + scaler missing (transient) falls back to currentNew', external('r'), false, 0, 3, 3],
  ];
  for (const [name, role, has, val, currentNew, want] of matrix) {
    it(`TestGetTargetReplicasResolutionMatrix ${name}`, () => {
      const ds = newDS('d', role);
      const scalers = new Map<string, DisaggregatedSetRoleScaler>();
      if (has) scalers.set('r', { metadata: {}, spec: { replicas: val } });
      assert.equal(getTargetReplicas(ds, 'r', scalers, currentNew), want);
    });
  }

  it('TestScalerManagerWriteStatus', () => {
    const scaler: DisaggregatedSetRoleScaler = {
      metadata: { name: 'myds-prefill', namespace: 'default', generation: 2 },
      spec: { replicas: 5 },
    };
    const st = desiredScalerStatus('myds', 'prefill', scaler, 4, '2025-01-01T00:00:00Z');
    assert.equal(st.replicas, 4);
    assert.equal(
      st.selector,
      'disaggregatedset.x-k8s.io/name=myds,disaggregatedset.x-k8s.io/role=prefill,leaderworkerset.sigs.k8s.io/worker-index=0',
    );
    assert.equal(st.observedGeneration, 2);
    assert.deepEqual(st.conditions, [
      {
        type: 'Ready',
        status: 'True',
        observedGeneration: 2,
        reason: 'Bound',
        message: 'Scaler bound to a live DisaggregatedSet role',
        lastTransitionTime: '2025-01-01T00:00:00Z',
      },
    ]);
  });
});

describe('LeaderWorkerSetManager (lws_manager_test.go)', () => {
  const managerLabels = {
    [SetNameLabelKey]: 'test-deployment',
    [RoleLabelKey]: 'prefill',
    [RevisionLabelKey]: 'abc123',
  };
  const managerLWS = (name: string, replicas: number, annotations?: Record<string, string>) =>
    lws(name, { labels: managerLabels, replicas, annotations });
  const ds = buildDS('test-deployment', [withRoleNoReplicas('prefill', 'x'), withRoleNoReplicas('decode', 'x')]);

  // TestParseInitialReplicasAnnotation
  for (const [name, annotations, expected] of [
    ['nil annotations map returns nil', undefined, undefined],
    ['missing annotation returns nil', { 'other-key': 'value' }, undefined],
    ['invalid non-numeric annotation returns nil', { [InitialReplicasAnnotationKey]: 'not-a-number' }, undefined],
    ['valid annotation returns correct value', { [InitialReplicasAnnotationKey]: '5' }, 5],
    ['zero value annotation returns zero', { [InitialReplicasAnnotationKey]: '0' }, 0],
  ] as const) {
    it(`TestParseInitialReplicasAnnotation ${name}`, () =>
      assert.equal(parseInitialReplicasAnnotation(lws('x', { annotations })), expected));
  }

  // TestGetLWSReplicas
  for (const [name, replicas, expected] of [
    ['nil replicas returns 1', undefined, 1],
    ['set replicas returns correct value', 5, 5],
    ['zero replicas returns 0', 0, 0],
  ] as const) {
    it(`TestGetLWSReplicas ${name}`, () => assert.equal(getLWSReplicas(lws('x', { replicas })), expected));
  }

  it('TestManagerDelete successfully deletes existing LWS', () => {
    const s = session(emptyWorld(ds, [managerLWS('test-lws', 3)]));
    s.deleteLWS('test-lws');
    assert.equal(s.snapshot().leaderWorkerSets.length, 0);
  });
  it('TestManagerDelete returns nil when LWS not found (idempotent)', () => {
    const s = session(emptyWorld(ds));
    assert.doesNotThrow(() => s.deleteLWS('nonexistent'));
  });

  it('TestManagerScale skips patch when already at desired scale', () => {
    const s = session(emptyWorld(ds, [managerLWS('test-lws', 5)]));
    s.scaleLWS('test-lws', 5);
    assert.deepEqual(s.actions, []);
  });
  it('TestManagerScale scales to new replica count', () => {
    const s = session(emptyWorld(ds, [managerLWS('test-lws', 3)]));
    s.scaleLWS('test-lws', 5);
    assert.deepEqual(s.actions, [{ kind: 'ScaleLWS', name: 'test-lws', replicas: 5 }]);
    assert.equal(replicasOf(s.snapshot(), 'test-lws'), 5);
  });
  it('TestManagerScale returns error when LWS not found', () => {
    assert.throws(() => session(emptyWorld(ds)).scaleLWS('nonexistent', 5), ReconcileError);
  });

  it('TestManagerSetInitialReplicas skips update when value already correct', () => {
    const s = session(emptyWorld(ds, [managerLWS('test-lws', 3, { [InitialReplicasAnnotationKey]: '5' })]));
    assert.equal(s.setInitialReplicas('test-lws', 5), 5);
    assert.deepEqual(s.actions, []);
  });
  it('TestManagerSetInitialReplicas updates when overwriting different value', () => {
    const s = session(emptyWorld(ds, [managerLWS('test-lws', 3, { [InitialReplicasAnnotationKey]: '5' })]));
    assert.equal(s.setInitialReplicas('test-lws', 10), 5);
    assert.deepEqual(s.actions, [
      { kind: 'AnnotateLWS', name: 'test-lws', key: InitialReplicasAnnotationKey, value: '10' },
    ]);
  });
  it('TestManagerSetInitialReplicas sets annotation when not present', () => {
    const s = session(emptyWorld(ds, [managerLWS('test-lws', 3)]));
    assert.equal(s.setInitialReplicas('test-lws', 5), undefined);
    assert.equal(find(s.snapshot(), 'test-lws')?.metadata.annotations?.[InitialReplicasAnnotationKey], '5');
  });
  it('TestManagerSetInitialReplicas returns error when LWS not found', () => {
    assert.throws(() => session(emptyWorld(ds)).setInitialReplicas('nonexistent', 5), ReconcileError);
  });

  const params = (over: Partial<CreateParams> & { dsSpec?: Partial<DisaggregatedSet['spec']> }): CreateParams => {
    const d = buildDS(over.ds?.metadata.name ?? 'test-deploy', [], { uid: 'test-uid' });
    Object.assign(d.spec, over.dsSpec);
    return {
      ds: over.ds ?? d,
      role: 'prefill',
      slice: over.slice ?? 0,
      revision: over.revision ?? 'abc123',
      replicas: over.replicas ?? 3,
      labels: over.labels ?? {
        [SetNameLabelKey]: 'test-deploy',
        [RoleLabelKey]: 'prefill',
        [RevisionLabelKey]: 'abc123',
      },
      config: over.config ?? { name: '', spec: { leaderWorkerTemplate: { size: 1 } } },
    };
  };
  it('TestManagerCreate returns nil when LWS already exists (idempotent)', () => {
    const s = session(emptyWorld(ds, [managerLWS('test-deploy-0-abc123-prefill', 3)]));
    assert.doesNotThrow(() => s.createLWS(renderLeaderWorkerSet(params({}))));
    assert.deepEqual(s.actions, []);
  });
  it('TestManagerCreate successfully creates new LWS', () => {
    const s = session(emptyWorld(ds));
    s.createLWS(renderLeaderWorkerSet(params({})));
    const created = s.actions[0];
    assert.ok(created?.kind === 'CreateLWS');
    assert.deepEqual(created.object, {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: {
        name: 'test-deploy-0-abc123-prefill',
        namespace: 'default',
        labels: { [SetNameLabelKey]: 'test-deploy', [RoleLabelKey]: 'prefill', [RevisionLabelKey]: 'abc123' },
        ownerReferences: [
          {
            apiVersion: GroupVersion,
            kind: 'DisaggregatedSet',
            name: 'test-deploy',
            uid: 'test-uid',
            controller: true,
          },
        ],
      },
      spec: {
        replicas: 3,
        leaderWorkerTemplate: {
          size: 1,
          workerTemplate: {
            metadata: {
              labels: { [SetNameLabelKey]: 'test-deploy', [RoleLabelKey]: 'prefill', [RevisionLabelKey]: 'abc123' },
            },
            spec: {},
          },
        },
      },
    });
  });
  it('TestManagerCreate merges user metadata with system labels taking precedence', () => {
    const obj = renderLeaderWorkerSet(
      params({
        ds: buildDS('test', [], { uid: 'uid' }),
        revision: 'rev1',
        replicas: 1,
        labels: { [SetNameLabelKey]: 'test', [RoleLabelKey]: 'prefill', app: 'system-app' },
        config: {
          name: '',
          metadata: { labels: { 'kueue.x-k8s.io/queue-name': 'q1', app: 'user-app' }, annotations: { note: 'val' } },
          spec: { leaderWorkerTemplate: { size: 1 } },
        },
      }),
    );
    assert.equal(obj.metadata.name, 'test-0-rev1-prefill');
    assert.equal(obj.metadata.labels?.['kueue.x-k8s.io/queue-name'], 'q1');
    assert.equal(obj.metadata.labels?.app, 'system-app');
    assert.equal(obj.metadata.annotations?.note, 'val');
  });
  it('TestManagerCreate injects placement affinity into leader and worker templates', () => {
    const obj = renderLeaderWorkerSet(
      params({
        dsSpec: { placementPolicy: { type: 'ExclusiveTopology', topology: 'topology.example.com/rack' } },
        slice: 1,
        replicas: 2,
        labels: { [SetNameLabelKey]: 'test-deploy', [RoleLabelKey]: 'prefill', [SliceLabelKey]: '1' },
        config: { name: '', spec: { leaderWorkerTemplate: { size: 2, leaderTemplate: {}, workerTemplate: {} } } },
      }),
    );
    assert.equal(obj.metadata.name, 'test-deploy-1-abc123-prefill');
    const lwt = obj.spec!.leaderWorkerTemplate!;
    for (const [name, tmpl] of [
      ['leader', lwt.leaderTemplate],
      ['worker', lwt.workerTemplate],
    ] as const) {
      const aff = tmpl?.spec?.affinity;
      assert.ok(aff?.podAffinity && aff.podAntiAffinity, `${name} affinity`);
      const terms = aff.podAffinity.requiredDuringSchedulingIgnoredDuringExecution!;
      assert.equal(terms.length, 1);
      assert.equal(terms[0]!.topologyKey, 'topology.example.com/rack');
      assert.deepEqual(terms[0]!.labelSelector?.matchExpressions, [
        { key: SetNameLabelKey, operator: 'In', values: ['test-deploy'] },
        { key: SliceLabelKey, operator: 'In', values: ['1'] },
      ]);
      assert.equal(aff.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution!.length, 2);
    }
  });
  it('TestManagerCreate no affinity injected without a placement policy', () => {
    const obj = renderLeaderWorkerSet(
      params({
        replicas: 1,
        labels: { [SetNameLabelKey]: 'test-deploy' },
        config: { name: '', spec: { leaderWorkerTemplate: { size: 2, leaderTemplate: {} } } },
      }),
    );
    assert.equal(obj.spec!.leaderWorkerTemplate!.workerTemplate!.spec!.affinity, undefined);
    assert.equal(obj.spec!.leaderWorkerTemplate!.leaderTemplate!.spec!.affinity, undefined);
  });

  // TestComputeRevision
  const rolesWith = (p: string, pSize: number): DisaggregatedRoleSpec[] => [
    { name: p, spec: { replicas: 2, leaderWorkerTemplate: { size: pSize } } },
    { name: 'decode', spec: { replicas: 3, leaderWorkerTemplate: { size: 1 } } },
  ];
  it('TestComputeRevision returns consistent revision for same inputs', () => {
    const a = computeRevision(rolesWith('prefill', 1), encode);
    assert.equal(a, computeRevision(rolesWith('prefill', 1), encode));
    assert.equal(a.length, 8);
  });
  it('TestComputeRevision returns different revision for different Size', () =>
    assert.notEqual(
      computeRevision(rolesWith('prefill', 1), encode),
      computeRevision(rolesWith('prefill', 2), encode),
    ));
  it('TestComputeRevision returns different revision for different role names', () =>
    assert.notEqual(
      computeRevision(rolesWith('prefill', 1), encode),
      computeRevision(rolesWith('other-role', 1), encode),
    ));
  it('TestComputeRevision handles empty roles slice', () => {
    // Go marshals the empty (non-nil) slice as "[]": sha256("[]") = 4f53cda1...
    assert.equal(computeRevision([], encode), '4f53cda1');
  });

  // TestManagerListSliceBucketing
  const sliced = (name: string, slice: string) =>
    lws(name, { labels: { [SetNameLabelKey]: 'test-deployment', [RoleLabelKey]: 'prefill', [SliceLabelKey]: slice } });
  const legacy = lws('legacy', { labels: { [SetNameLabelKey]: 'test-deployment', [RoleLabelKey]: 'prefill' } });
  const bucket = session(emptyWorld(ds, [sliced('s0', '0'), sliced('s1', '1'), legacy]));
  const names = (slice: number) =>
    bucket
      .listLWS(slice)
      .map((l) => l.metadata.name)
      .sort();
  it('TestManagerListSliceBucketing slice 0 includes label-less legacy', () =>
    assert.deepEqual(names(0), ['legacy', 's0']));
  it('TestManagerListSliceBucketing slice 1 excludes legacy', () => assert.deepEqual(names(1), ['s1']));
  it('TestManagerListSliceBucketing all slices returns everything', () =>
    assert.deepEqual(names(-1), ['legacy', 's0', 's1']));
});
