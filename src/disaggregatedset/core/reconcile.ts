/**
 * @module disaggregatedset/core/reconcile
 * One upstream `DisaggregatedSetReconciler.Reconcile` pass as a pure function: observed objects in,
 * the ordered list of writes and events out.
 *
 * Upstream reads through the client between its own writes (list after delete, get after create,
 * ...). To reproduce that, the pass works on a private copy of the observed objects and applies
 * each of its writes to that copy before the next read — exactly what upstream sees with a
 * strongly consistent client (its unit tests' fake client). The copy is returned as `world` so a
 * caller (or a test) can feed it back in.
 *
 * Where upstream iterates Go maps (random order) this module uses spec-role order, first-seen
 * revision order and name-sorted lists; none of these change which writes happen, only their
 * order. See NOTES.md for the write verbs (create / JSON merge patch / delete / status patch).
 */
import {
  EventActionConflict,
  EventActionCreate,
  EventActionDelete,
  EventActionMigrate,
  EventActionUpdate,
  EventReasonLWSDeleted,
  EventReasonRollingUpdateCompleted,
  EventReasonRollingUpdateStarted,
  EventReasonScalerConflict,
  EventReasonScalerCreated,
  EventReasonScalerDeleted,
  EventReasonScalingDown,
  EventReasonScalingUp,
  FreshScalerSeed,
  InitialReplicasAnnotationKey,
  RevisionLabelKey,
  RoleLabelKey,
  RoleScalingExternal,
  RolloutRequeueAfterMs,
  SetNameLabelKey,
  SliceLabelKey,
} from '../api/keys.ts';
import type {
  DisaggregatedSet,
  DisaggregatedSetRoleScaler,
  DisaggregatedSetRoleScalerStatus,
  DisaggregatedSetStatus,
  LeaderWorkerSetLike,
  ServiceLike,
} from '../api/types.ts';
import { decideRollingUpdate, type ScaleOp } from './executor.ts';
import { buildService, renderLeaderWorkerSet, renderScaler, scalerName } from './render.ts';
import { getTargetReplicas, type ScalerMap } from './rollout.ts';
import { computeRevision, type RoleTemplatesEncoder } from './revision.ts';
import { computeDisaggregatedSetStatus, desiredScalerStatus, formatTime, observedScalerReplicas } from './status.ts';
import {
  generateLabels,
  generateLegacyName,
  generateName,
  getLWSReplicas,
  getRoleNames,
  getSlices,
  getTotalReplicasPerRole,
  goAtoi,
  groupByRevision,
  hasSliceLabel,
  isControlledBy,
  legacyServiceName,
  parseInitialReplicasAnnotation,
  sliceLabelMatches,
  type RevisionRoles,
  type RevisionRolesList,
} from './utils.ts';

/** Objects in the DisaggregatedSet's namespace as the controller would read them. */
export interface World {
  ds: DisaggregatedSet;
  /** LeaderWorkerSets of the namespace (at least those labelled with the DS name or at its generated names). */
  leaderWorkerSets: LeaderWorkerSetLike[];
  /** Services of the namespace (at least those labelled with the DS name or at its legacy names). */
  services: ServiceLike[];
  /** RoleScalers of the namespace (at least those labelled with the DS name or at its scaler names). */
  scalers: DisaggregatedSetRoleScaler[];
}

export interface EventRecord {
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
}

/**
 * A side effect, in upstream order. Verbs: Create* = POST (AlreadyExists tolerated as described);
 * ScaleLWS = JSON merge patch {"spec":{"replicas":N}}; AnnotateLWS = JSON merge patch
 * {"metadata":{"annotations":{key:value}}}; Delete* = DELETE (NotFound ignored, default
 * propagation); PatchScalerStatus = merge patch on the status subresource; UpdateStatus = PUT on the
 * DS status subresource (only with `fixes.status`).
 */
export type Action =
  | { kind: 'CreateLWS'; object: LeaderWorkerSetLike }
  | { kind: 'ScaleLWS'; name: string; replicas: number }
  | { kind: 'AnnotateLWS'; name: string; key: string; value: string }
  | { kind: 'DeleteLWS'; name: string }
  | { kind: 'CreateService'; object: ServiceLike }
  | { kind: 'DeleteService'; name: string }
  | { kind: 'CreateScaler'; object: DisaggregatedSetRoleScaler }
  | { kind: 'DeleteScaler'; name: string }
  | { kind: 'PatchScalerStatus'; name: string; status: DisaggregatedSetRoleScalerStatus }
  | { kind: 'UpdateStatus'; status: DisaggregatedSetStatus }
  | ({ kind: 'Event' } & EventRecord);

export interface ReconcileOptions {
  /** Go-JSON encoder for the revision hash (see revision.ts). */
  encodeRoleTemplates: RoleTemplatesEncoder;
  /** RFC 3339 "now" for condition timestamps and simulated creationTimestamps. */
  now?: string;
  /**
   * Opt into post-v0.10.0 behaviour from upstream main: `ownership` = #933 + #983 (LWS reads
   * filtered by controller owner, refusing to scale/adopt foreign LWS); `status` = #933 + #980
   * (DS status with observedGeneration, roleStatuses and Available/Progressing).
   */
  fixes?: { ownership?: boolean; status?: boolean };
}

export interface ReconcileResult {
  actions: Action[];
  /** Earliest non-zero RequeueAfter across slices (0 = none). */
  requeueAfterMs: number;
  /** Errors (upstream errors.Join'ed them and returned them, causing a rate-limited requeue). */
  errors: string[];
  /** The observed objects after this pass's writes. */
  world: World;
  revision: string;
}

/** An error upstream would return from Reconcile (or from the manager call it models). */
export class ReconcileError extends Error {}

/** Runs one Reconcile pass. */
export function reconcile(observed: World, opts: ReconcileOptions): ReconcileResult {
  return new ReconcileSession(observed, opts).run();
}

const byName = <T extends { metadata: { name?: string } }>(a: T, b: T): number => {
  const x = a.metadata.name ?? '';
  const y = b.metadata.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * A reconcile pass over a private copy of the observed objects. Its methods model the upstream
 * managers' calls (LeaderWorkerSetManager, ServiceManager, ScalerManager) and the reconciler steps;
 * each write is recorded in `actions` and applied to the copy. `run()` is the whole Reconcile.
 */
export class ReconcileSession {
  readonly ds: DisaggregatedSet;
  readonly name: string;
  lws: LeaderWorkerSetLike[];
  services: ServiceLike[];
  scalerObjs: DisaggregatedSetRoleScaler[];
  readonly actions: Action[] = [];
  readonly opts: ReconcileOptions;
  readonly now: string;

  constructor(observed: World, opts: ReconcileOptions) {
    this.ds = structuredClone(observed.ds);
    this.name = this.ds.metadata.name ?? '';
    this.lws = structuredClone(observed.leaderWorkerSets);
    this.services = structuredClone(observed.services);
    this.scalerObjs = structuredClone(observed.scalers);
    this.opts = opts;
    this.now = opts.now ?? formatTime(new Date());
  }

  get ownership(): boolean {
    return this.opts.fixes?.ownership === true;
  }

  event(type: EventRecord['type'], reason: string, action: string, note: string): void {
    this.actions.push({ kind: 'Event', type, reason, action, note });
  }

  // --- LWS "client" -----------------------------------------------------------------------------

  /** LeaderWorkerSetManager.List: label name=<ds> (and role), slice bucketing, (owner filter). */
  listLWS(slice: number, role = ''): LeaderWorkerSetLike[] {
    return this.lws
      .filter((l) => l.metadata.labels?.[SetNameLabelKey] === this.name)
      .filter((l) => role === '' || l.metadata.labels?.[RoleLabelKey] === role)
      .filter((l) => !this.ownership || isControlledBy(l, this.ds.metadata.uid))
      .filter((l) => sliceLabelMatches(l.metadata.labels, slice))
      .sort(byName);
  }

  rawGetLWS(name: string): LeaderWorkerSetLike | undefined {
    return this.lws.find((l) => l.metadata.name === name);
  }

  /** LeaderWorkerSetManager.Get (ownership-filtered with fixes.ownership). */
  getLWS(name: string): LeaderWorkerSetLike | undefined {
    const l = this.rawGetLWS(name);
    if (l !== undefined && this.ownership && !isControlledBy(l, this.ds.metadata.uid)) return undefined;
    return l;
  }

  /** GetForRole: slice-aware name, then (slice 0 only) the legacy name. */
  getForRole(slice: number, revision: string, role: string): LeaderWorkerSetLike | undefined {
    const l = this.getLWS(generateName(this.name, slice, revision, role));
    if (l !== undefined || slice !== 0) return l;
    return this.getLWS(generateLegacyName(this.name, revision, role));
  }

  createLWS(obj: LeaderWorkerSetLike): void {
    const name = obj.metadata.name ?? '';
    const existing = this.rawGetLWS(name);
    if (existing !== undefined) {
      if (this.ownership && !isControlledBy(existing, this.ds.metadata.uid)) {
        throw new ReconcileError(
          `LeaderWorkerSet ${name} exists but is not controlled by DisaggregatedSet ${this.name}; refusing to adopt it`,
        );
      }
      return; // AlreadyExists is success (the POST is still made).
    }
    this.actions.push({ kind: 'CreateLWS', object: structuredClone(obj) });
    const stored = structuredClone(obj);
    stored.metadata.generation = 1;
    if (this.opts.now !== undefined) stored.metadata.creationTimestamp = this.opts.now;
    stored.status = {};
    this.lws.push(stored);
  }

  /** LeaderWorkerSetManager.Scale: Get (error if missing), no-op when equal, else merge patch. */
  scaleLWS(name: string, replicas: number): void {
    const l = this.rawGetLWS(name);
    if (l === undefined) {
      throw new ReconcileError(
        `failed to scale ${name}: failed to get LeaderWorkerSet ${name} for scaling: leaderworkersets.leaderworkerset.x-k8s.io "${name}" not found`,
      );
    }
    if (this.ownership && !isControlledBy(l, this.ds.metadata.uid)) {
      throw new ReconcileError(
        `failed to scale ${name}: LeaderWorkerSet ${name} exists but is not controlled by DisaggregatedSet ${this.name}; refusing to scale it`,
      );
    }
    if (getLWSReplicas(l) === replicas) return;
    this.actions.push({ kind: 'ScaleLWS', name, replicas });
    l.spec = { ...l.spec, replicas };
  }

  deleteLWS(name: string): void {
    this.actions.push({ kind: 'DeleteLWS', name });
    this.lws = this.lws.filter((l) => l.metadata.name !== name);
  }

  /**
   * LeaderWorkerSetManager.SetInitialReplicas: Get (error if missing); returns the previous
   * annotation value (strconv.Atoi); patches only when it differs (overwriting a different value).
   */
  setInitialReplicas(name: string, replicas: number): number | undefined {
    const l = this.rawGetLWS(name);
    if (l === undefined) {
      throw new ReconcileError(
        `failed to get LeaderWorkerSet ${name}: leaderworkersets.leaderworkerset.x-k8s.io "${name}" not found`,
      );
    }
    const oldValue = parseInitialReplicasAnnotation(l);
    if (oldValue === replicas) return oldValue;
    const value = String(replicas);
    this.actions.push({ kind: 'AnnotateLWS', name, key: InitialReplicasAnnotationKey, value });
    l.metadata.annotations = { ...l.metadata.annotations, [InitialReplicasAnnotationKey]: value };
    return oldValue;
  }

  /** The observed objects as of now (after this session's writes). */
  snapshot(): World {
    return { ds: this.ds, leaderWorkerSets: this.lws, services: this.services, scalers: this.scalerObjs };
  }

  listServices(): ServiceLike[] {
    return this.services.filter((s) => s.metadata.labels?.[SetNameLabelKey] === this.name).sort(byName);
  }

  deleteService(name: string): void {
    this.actions.push({ kind: 'DeleteService', name });
    this.services = this.services.filter((s) => s.metadata.name !== name);
  }

  // --- The pass ---------------------------------------------------------------------------------

  run(): ReconcileResult {
    const revision = computeRevision(this.ds.spec.roles, this.opts.encodeRoleTemplates);
    const sliceCount = getSlices(this.ds);
    const errors: string[] = [];
    let requeueAfterMs = 0;
    const done = (): ReconcileResult => ({
      actions: this.actions,
      requeueAfterMs,
      errors,
      world: this.snapshot(),
      revision,
    });

    let scalers: Map<string, DisaggregatedSetRoleScaler>;
    try {
      this.cleanupRemovedSlices(sliceCount);
      scalers = this.reconcileScalers(this.seedForRole());
      if (sliceCount > 1) this.recreateLegacySlice0(revision);
    } catch (err) {
      if (!(err instanceof ReconcileError)) throw err;
      errors.push(err.message);
      return done();
    }

    for (let slice = 0; slice < sliceCount; slice++) {
      try {
        const after = this.reconcileSlice(slice, revision, scalers);
        if (after > 0 && (requeueAfterMs === 0 || after < requeueAfterMs)) requeueAfterMs = after;
      } catch (err) {
        if (!(err instanceof ReconcileError)) throw err;
        errors.push(`slice ${slice}: ${err.message}`);
      }
    }
    this.updateScalerStatus(scalers);

    if (this.opts.fixes?.status === true) {
      const owned = this.lws.filter(
        (l) => l.metadata.labels?.[SetNameLabelKey] === this.name && isControlledBy(l, this.ds.metadata.uid),
      );
      const { status, changed } = computeDisaggregatedSetStatus(this.ds, owned, revision, scalers, this.now);
      if (changed) {
        this.actions.push({ kind: 'UpdateStatus', status });
        this.ds.status = status;
      }
    }
    return done();
  }

  /** cleanupRemovedSlices: LWS then Services whose slice label (strconv.Atoi) is >= the slice count. */
  cleanupRemovedSlices(desired: number): void {
    for (const l of this.listLWS(-1)) {
      const idx = goAtoi(l.metadata.labels?.[SliceLabelKey] ?? '');
      if (idx === undefined || idx < desired) continue;
      const name = l.metadata.name ?? '';
      this.deleteLWS(name);
      this.event('Normal', EventReasonLWSDeleted, EventActionDelete, `Deleted LWS ${name} for removed slice ${idx}`);
    }
    for (const s of this.listServices()) {
      const idx = goAtoi(s.metadata.labels?.[SliceLabelKey] ?? '');
      if (idx === undefined || idx < desired) continue;
      this.deleteService(s.metadata.name ?? '');
    }
  }

  /** seedForRole: role's summed LWS spec.replicas (nil => 1) over all slices/revisions, or 1 if it has none. */
  seedForRole(): (role: string) => number {
    const sums = new Map<string, number>();
    for (const l of this.listLWS(-1)) {
      const role = l.metadata.labels?.[RoleLabelKey] ?? '';
      sums.set(role, (sums.get(role) ?? 0) + getLWSReplicas(l));
    }
    return (role) => sums.get(role) ?? FreshScalerSeed;
  }

  /** ScalerManager.Reconcile. Returns role -> scaler for External roles that have a usable scaler. */
  reconcileScalers(seedFor: (role: string) => number): Map<string, DisaggregatedSetRoleScaler> {
    const uid = this.ds.metadata.uid;
    const externalRoles = this.ds.spec.roles.filter((r) => r.scaling?.mode === RoleScalingExternal).map((r) => r.name);
    const external = new Set(externalRoles);
    const existing = new Map<string, DisaggregatedSetRoleScaler>();
    const listed = this.scalerObjs.filter((s) => s.metadata.labels?.[SetNameLabelKey] === this.name).sort(byName);
    for (const s of listed) {
      if (!isControlledBy(s, uid)) continue;
      const role = s.metadata.labels?.[RoleLabelKey] ?? '';
      if (!external.has(role)) {
        const name = s.metadata.name ?? '';
        this.actions.push({ kind: 'DeleteScaler', name });
        this.scalerObjs = this.scalerObjs.filter((x) => x.metadata.name !== name);
        this.event(
          'Normal',
          EventReasonScalerDeleted,
          EventActionDelete,
          `Deleted scaler ${name} (role ${role} is no longer External)`,
        );
        continue;
      }
      existing.set(role, s);
    }
    for (const role of externalRoles) {
      if (existing.has(role)) continue;
      const name = scalerName(this.name, role);
      const taken = this.scalerObjs.find((s) => s.metadata.name === name);
      if (taken === undefined) {
        const scaler = renderScaler(this.ds, role, seedFor(role));
        this.actions.push({ kind: 'CreateScaler', object: structuredClone(scaler) });
        const stored = structuredClone(scaler);
        stored.metadata.generation = 1;
        this.scalerObjs.push(stored);
        this.event('Normal', EventReasonScalerCreated, EventActionCreate, `Created scaler ${name} for role ${role}`);
        existing.set(role, stored);
        continue;
      }
      if (!isControlledBy(taken, uid)) {
        this.event(
          'Warning',
          EventReasonScalerConflict,
          EventActionConflict,
          `Scaler ${name} exists but is not controlled by this DisaggregatedSet; not adopting`,
        );
        continue;
      }
      existing.set(role, taken);
    }
    return existing;
  }

  /** recreateLegacySlice0 (only when slices > 1): legacy Service, then legacy LWS, per spec role. */
  recreateLegacySlice0(revision: string): void {
    for (const role of getRoleNames(this.ds)) {
      const l = this.getLWS(generateLegacyName(this.name, revision, role));
      if (l === undefined || hasSliceLabel(l.metadata.labels)) continue;
      this.deleteService(legacyServiceName(this.name, revision, role));
      const name = l.metadata.name ?? '';
      this.deleteLWS(name);
      this.event(
        'Normal',
        EventReasonLWSDeleted,
        EventActionMigrate,
        `Deleted legacy slice-0 LWS ${name} to recreate it in slice-aware form`,
      );
    }
  }

  /** GetRevisionRolesList: (old revisions grouped, the target revision's group or undefined). */
  revisionRolesList(slice: number, revision: string): { old: RevisionRolesList; current: RevisionRoles | undefined } {
    const all = this.listLWS(slice);
    const old = groupByRevision(all.filter((l) => l.metadata.labels?.[RevisionLabelKey] !== revision));
    const cur = groupByRevision(all.filter((l) => l.metadata.labels?.[RevisionLabelKey] === revision));
    return { old, current: cur[0] };
  }

  /** reconcileSlice; returns RequeueAfter in ms (0 = none). */
  reconcileSlice(slice: number, revision: string, scalers: ScalerMap): number {
    this.cleanupDrainedLWS(slice, revision);
    const { old } = this.revisionRolesList(slice, revision);
    let totalOld = 0;
    for (const role of getRoleNames(this.ds)) totalOld += getTotalReplicasPerRole(old, role);
    const requeue =
      old.length > 0 && totalOld > 0
        ? this.reconcileRollingUpdateNew(slice, revision, scalers)
        : this.reconcileSimple(slice, revision, scalers);
    const groups = groupByRevision(this.listLWS(slice));
    try {
      this.reconcileServices(slice, groups, revision);
    } catch (err) {
      if (err instanceof ReconcileError) throw new ReconcileError(`failed to reconcile services: ${err.message}`);
      throw err;
    }
    return requeue;
  }

  /** cleanupDrainedLWS: delete every old revision of the slice whose LWS all have spec.replicas 0. */
  cleanupDrainedLWS(slice: number, revision: string): void {
    const byRevision = new Map<string, Map<string, LeaderWorkerSetLike>>();
    for (const l of this.listLWS(slice)) {
      const rev = l.metadata.labels?.[RevisionLabelKey] ?? '';
      if (rev === revision) continue;
      let roles = byRevision.get(rev);
      if (roles === undefined) byRevision.set(rev, (roles = new Map()));
      roles.set(l.metadata.labels?.[RoleLabelKey] ?? '', l);
    }
    for (const roles of byRevision.values()) {
      if (![...roles.values()].every((l) => getLWSReplicas(l) === 0)) continue;
      for (const l of roles.values()) {
        const name = l.metadata.name ?? '';
        this.deleteLWS(name);
        this.event('Normal', EventReasonLWSDeleted, EventActionDelete, `Deleted drained LWS ${name}`);
      }
    }
  }

  /** executor.ReconcileRollingUpdateNew. */
  reconcileRollingUpdateNew(slice: number, revision: string, scalers: ScalerMap): number {
    const { old, current } = this.revisionRolesList(slice, revision);
    if (old.length === 0) return 0;
    if (current === undefined) return this.initRollingUpdate(slice, revision, old);
    const decision = decideRollingUpdate(this.ds, slice, old, current, scalers);
    switch (decision.kind) {
      case 'waitForStable':
        return RolloutRequeueAfterMs;
      case 'complete':
        this.event(
          'Normal',
          EventReasonRollingUpdateCompleted,
          EventActionUpdate,
          `Completed rolling update to revision ${current.revision}`,
        );
        return 0;
      case 'step':
        this.applyScaleOps(decision.scaleUp, 'up');
        this.applyScaleOps(decision.scaleDown, 'down');
        return 0;
    }
  }

  applyScaleOps(ops: readonly ScaleOp[], dir: 'up' | 'down'): void {
    for (const op of ops) {
      this.scaleLWS(op.name, op.to);
      if (dir === 'up') {
        this.event(
          'Normal',
          EventReasonScalingUp,
          EventActionUpdate,
          `Scaling up ${op.role} LWS ${op.name} from ${op.from} to ${op.to} replicas`,
        );
      } else {
        this.event(
          'Normal',
          EventReasonScalingDown,
          EventActionUpdate,
          `Scaling down ${op.role} LWS ${op.name} from ${op.from} to ${op.to} replicas`,
        );
      }
    }
  }

  /** initRollingUpdate: event, snapshot initial-replicas on every old LWS, create new LWS at 0; requeue 1s. */
  initRollingUpdate(slice: number, revision: string, old: RevisionRolesList): number {
    this.event(
      'Normal',
      EventReasonRollingUpdateStarted,
      EventActionUpdate,
      `Started rolling update to revision ${revision}`,
    );
    for (const group of old) {
      for (const l of group.roles.values()) {
        try {
          this.setInitialReplicas(l.metadata.name ?? '', getLWSReplicas(l));
        } catch (err) {
          if (!(err instanceof ReconcileError)) throw err; // upstream only logs this failure
        }
      }
    }
    for (const role of this.ds.spec.roles) this.ensureNewLWSExists(slice, revision, role.name, 0);
    return RolloutRequeueAfterMs;
  }

  /** ensureNewLWSExists: create `<ds>-<slice>-<revision>-<role>` unless Get finds it. */
  ensureNewLWSExists(slice: number, revision: string, role: string, replicas: number): boolean {
    if (this.getLWS(generateName(this.name, slice, revision, role)) !== undefined) return false;
    const config = this.ds.spec.roles.find((r) => r.name === role) ?? { name: role };
    this.createLWS(
      renderLeaderWorkerSet({
        ds: this.ds,
        role,
        slice,
        config,
        revision,
        labels: generateLabels(this.name, slice, revision, role),
        replicas,
      }),
    );
    return true;
  }

  /** reconcileSimple: per role create at the target, or scale the existing (possibly legacy) LWS. */
  reconcileSimple(slice: number, revision: string, scalers: ScalerMap): number {
    for (const config of this.ds.spec.roles) {
      const role = config.name;
      const existing = this.getForRole(slice, revision, role);
      const currentReplicas = existing?.spec?.replicas ?? 0;
      const desired = getTargetReplicas(this.ds, role, scalers, currentReplicas);
      try {
        if (existing === undefined) {
          this.createLWS(
            renderLeaderWorkerSet({
              ds: this.ds,
              role,
              slice,
              config,
              revision,
              labels: generateLabels(this.name, slice, revision, role),
              replicas: desired,
            }),
          );
          continue;
        }
        if (getLWSReplicas(existing) !== desired) this.scaleLWS(existing.metadata.name ?? '', desired);
      } catch (err) {
        if (err instanceof ReconcileError) throw new ReconcileError(`failed to reconcile ${role} role: ${err.message}`);
        throw err;
      }
    }
    return 0;
  }

  /** ServiceManager.ReconcileServices for one slice. */
  reconcileServices(slice: number, groups: RevisionRolesList, targetRevision: string): void {
    const roleNames = getRoleNames(this.ds);
    const target = groups.find((g) => g.revision === targetRevision);
    if (target === undefined || !revisionReadyOnAllRoles(target, roleNames)) return;
    for (const role of roleNames) {
      const l = target.roles.get(role);
      if (l === undefined) continue;
      const svc = buildService(this.ds, l);
      if (this.services.some((s) => s.metadata.name === svc.metadata.name)) continue; // AlreadyExists: kept as is
      this.actions.push({ kind: 'CreateService', object: structuredClone(svc) });
      this.services.push(svc);
    }
    const ready = new Set(groups.filter((g) => revisionReadyOnAllRoles(g, roleNames)).map((g) => g.revision));
    ready.add(targetRevision);
    for (const s of this.listServices()) {
      if (!sliceLabelMatches(s.metadata.labels, slice)) continue;
      if (!ready.has(s.metadata.labels?.[RevisionLabelKey] ?? '')) this.deleteService(s.metadata.name ?? '');
    }
  }

  /** updateScalerStatus + ScalerManager.WriteStatus (one status merge patch per scaler, spec-role order). */
  updateScalerStatus(scalers: Map<string, DisaggregatedSetRoleScaler>): void {
    if (scalers.size === 0) return;
    const observed = observedScalerReplicas(this.listLWS(-1), scalers);
    const order = this.ds.spec.roles.map((r) => r.name).filter((r) => scalers.has(r));
    for (const role of order) {
      const s = scalers.get(role)!;
      const status = desiredScalerStatus(this.name, role, s, observed.get(role) ?? 0, this.now);
      this.actions.push({ kind: 'PatchScalerStatus', name: s.metadata.name ?? '', status });
      s.status = status;
    }
  }
}

/** Every spec role has an LWS in the group with status.readyReplicas >= 1. */
export function revisionReadyOnAllRoles(group: RevisionRoles, roleNames: readonly string[]): boolean {
  for (const role of roleNames) {
    const l = group.roles.get(role);
    if (l === undefined || (l.status?.readyReplicas ?? 0) < 1) return false;
  }
  return true;
}
