/**
 * @module disaggregatedset/core/executor
 * The rolling-update executor's decisions (upstream executor.go) as pure functions: planner input
 * extraction, stability, newest-first drain ordering with coordinated drain, and the per-LWS scale
 * operations of one rollout step. Side effects are returned as data; see reconcile.ts for the whole
 * reconcile flow that sequences them.
 */
import type { DisaggregatedSet, LeaderWorkerSetLike } from '../api/types.ts';
import { computeNextStep, type RoleReplicaState, type UpdateStep } from './planner.ts';
import { extractRollingUpdateConfig, getTargetReplicas, isExternal, type ScalerMap } from './rollout.ts';
import {
  generateName,
  getLWSReplicas,
  getRoleNames,
  getTotalInitialReplicasPerRole,
  getTotalReplicasPerRole,
  type RevisionRoles,
  type RevisionRolesList,
} from './utils.ts';

/** One LWS scale operation (merge patch of spec.replicas) with the role it belongs to. */
export interface ScaleOp {
  /** LWS name to patch. */
  name: string;
  role: string;
  from: number;
  to: number;
}

/** Role names in spec, and role names present in any old revision. */
export function buildRoleSets(
  specRoleNames: readonly string[],
  oldRevisions: RevisionRolesList,
): { spec: Set<string>; old: Set<string> } {
  const spec = new Set(specRoleNames);
  const old = new Set<string>();
  for (const rev of oldRevisions) for (const name of rev.roles.keys()) old.add(name);
  return { spec, old };
}

/**
 * Old-revision roles no longer in spec. Upstream iterates a Go map (random order); here they are
 * sorted, which does not change any decision (per-role planner math is order-independent).
 */
export function removedRoles(oldRoleSet: ReadonlySet<string>, specRoleSet: ReadonlySet<string>): string[] {
  return [...oldRoleSet].filter((r) => !specRoleSet.has(r)).sort();
}

/** detectRoleChanges: (added, removed) role names (logged only upstream). */
export function detectRoleChanges(
  specRoleNames: readonly string[],
  oldRevisions: RevisionRolesList,
): { added: string[]; removed: string[] } {
  const { spec, old } = buildRoleSets(specRoleNames, oldRevisions);
  return { added: specRoleNames.filter((n) => !old.has(n)), removed: removedRoles(old, spec) };
}

/** Every spec role has an LWS in the revision whose spec.replicas (nil => 1) equals status.readyReplicas. */
export function isRevisionStable(rev: RevisionRoles, roleNames: readonly string[]): boolean {
  for (const name of roleNames) {
    const lws = rev.roles.get(name);
    if (lws === undefined) return false;
    if (getLWSReplicas(lws) !== (lws.status?.readyReplicas ?? 0)) return false;
  }
  return true;
}

function timestamp(lws: LeaderWorkerSetLike): number {
  const t = lws.metadata.creationTimestamp;
  if (t === undefined || t === '') return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** Latest creationTimestamp among the revision's LWS (absent => the zero time). */
export function maxTimestamp(rev: RevisionRoles): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const lws of rev.roles.values()) max = Math.max(max, timestamp(lws));
  return max;
}

/**
 * Revisions ordered newest first by maxTimestamp; a copy (input untouched). With no role names the
 * input is returned as is. Ties keep input order (upstream's pdqsort is insertion sort, hence
 * stable, for fewer than 13 elements).
 */
export function sortByNewestTimestamp(revisions: RevisionRolesList, roleNames: readonly string[]): RevisionRolesList {
  if (roleNames.length === 0) return revisions;
  const keyed = revisions.map((rev) => ({ rev, ts: maxTimestamp(rev) }));
  keyed.sort((a, b) => (a.ts === b.ts ? 0 : b.ts > a.ts ? 1 : -1));
  return keyed.map((k) => k.rev);
}

export interface PlannerState {
  initialOld: RoleReplicaState;
  currentOld: RoleReplicaState;
  currentNew: RoleReplicaState;
  targetNew: RoleReplicaState;
}

/**
 * buildPlannerState over allRoleNames (spec roles, then removed roles): initialOld = sum of old
 * initial-replicas (fallback spec.replicas); currentOld = sum of old spec.replicas; for spec roles
 * currentNew = the new LWS spec.replicas and targetNew = getTargetReplicas, with the External
 * no-shrink guard (target never below currentNew while old revisions exist). Removed roles have
 * currentNew = targetNew = 0.
 */
export function buildPlannerState(
  ds: DisaggregatedSet,
  allRoleNames: readonly string[],
  specRoleSet: ReadonlySet<string>,
  oldRevisions: RevisionRolesList,
  newRevision: RevisionRoles,
  scalers: ScalerMap | undefined,
): PlannerState {
  const n = allRoleNames.length;
  const s: PlannerState = {
    initialOld: new Array<number>(n).fill(0),
    currentOld: new Array<number>(n).fill(0),
    currentNew: new Array<number>(n).fill(0),
    targetNew: new Array<number>(n).fill(0),
  };
  allRoleNames.forEach((roleName, i) => {
    s.initialOld[i] = getTotalInitialReplicasPerRole(oldRevisions, roleName);
    s.currentOld[i] = getTotalReplicasPerRole(oldRevisions, roleName);
    if (!specRoleSet.has(roleName)) return;
    const lws = newRevision.roles.get(roleName);
    if (lws !== undefined) s.currentNew[i] = getLWSReplicas(lws);
    s.targetNew[i] = getTargetReplicas(ds, roleName, scalers, s.currentNew[i]!);
    if (isExternal(ds, roleName) && oldRevisions.length > 0 && s.targetNew[i]! < s.currentNew[i]!) {
      s.targetNew[i] = s.currentNew[i]!;
    }
  });
  return s;
}

/**
 * scaleUpNew: for each spec role whose new count rises, patch the new-revision LWS — addressed by
 * the generated slice-aware name `<ds>-<slice>-<revision>-<role>` — to the target.
 */
export function planScaleUpNew(
  dsName: string,
  slice: number,
  newRevision: RevisionRoles,
  allRoleNames: readonly string[],
  specRoleSet: ReadonlySet<string>,
  current: RoleReplicaState,
  target: RoleReplicaState,
): ScaleOp[] {
  const ops: ScaleOp[] = [];
  allRoleNames.forEach((name, i) => {
    if (!specRoleSet.has(name) || current[i]! >= target[i]!) return;
    ops.push({
      name: generateName(dsName, slice, newRevision.revision, name),
      role: name,
      from: current[i]!,
      to: target[i]!,
    });
  });
  return ops;
}

/**
 * scaleDownOld: budget[i] = current[i] - target[i] old replicas to remove per role, taken from old
 * revisions newest first. Within a revision each role drains min(budget, replicas); if any role of
 * that revision would reach 0, every role of that revision goes to 0 (coordinated drain), and only
 * the roles that reached 0 on their own (or all, when none did) consume budget. Stops when no
 * budget is positive. LWS are addressed by their actual names (legacy names included).
 */
export function planScaleDownOld(
  oldRevisions: RevisionRolesList,
  roleNames: readonly string[],
  current: RoleReplicaState,
  target: RoleReplicaState,
): ScaleOp[] {
  const budget = roleNames.map((_, i) => current[i]! - target[i]!);
  const ops: ScaleOp[] = [];
  for (const wl of sortByNewestTimestamp(oldRevisions, roleNames)) {
    if (budget.every((v) => v <= 0)) break;
    const newReplicas = new Map<string, number>();
    const plannedDrain = new Map<string, number>();
    const triggers = new Set<string>();
    roleNames.forEach((name, i) => {
      const lws = wl.roles.get(name);
      if (lws === undefined) return;
      const replicas = getLWSReplicas(lws);
      const drain = Math.min(budget[i]!, replicas);
      plannedDrain.set(name, drain);
      newReplicas.set(name, replicas - drain);
      if (replicas - drain === 0) triggers.add(name);
    });
    const anyTriggered = triggers.size > 0;
    if (anyTriggered) for (const name of roleNames) if (wl.roles.has(name)) newReplicas.set(name, 0);
    roleNames.forEach((name, i) => {
      const lws = wl.roles.get(name);
      if (lws === undefined) return;
      const replicas = getLWSReplicas(lws);
      const to = newReplicas.get(name) ?? 0;
      if (replicas <= to) return;
      ops.push({ name: lws.metadata.name ?? '', role: name, from: replicas, to });
      if (triggers.has(name) || !anyTriggered) budget[i]! -= plannedDrain.get(name) ?? 0;
    });
  }
  return ops;
}

/** Outcome of ReconcileRollingUpdate for an existing new revision. */
export type RollingUpdateDecision =
  | { kind: 'waitForStable' }
  | { kind: 'complete' }
  | { kind: 'step'; step: UpdateStep; allRoleNames: string[]; scaleUp: ScaleOp[]; scaleDown: ScaleOp[] };

/**
 * ReconcileRollingUpdate's decision: wait (requeue 1s) while the new revision is not stable;
 * "complete" (event RollingUpdateCompleted, no requeue) when the planner has no next step;
 * otherwise the scale-ups (first) and scale-downs (second) of the next step (no requeue).
 */
export function decideRollingUpdate(
  ds: DisaggregatedSet,
  slice: number,
  oldRevisions: RevisionRolesList,
  newRevision: RevisionRoles,
  scalers: ScalerMap | undefined,
): RollingUpdateDecision {
  const specRoleNames = getRoleNames(ds);
  const { spec, old } = buildRoleSets(specRoleNames, oldRevisions);
  const allRoleNames = [...specRoleNames, ...removedRoles(old, spec)];
  if (!isRevisionStable(newRevision, specRoleNames)) return { kind: 'waitForStable' };
  const state = buildPlannerState(ds, allRoleNames, spec, oldRevisions, newRevision, scalers);
  const config = extractRollingUpdateConfig(ds, allRoleNames, scalers);
  const step = computeNextStep(state.initialOld, state.currentOld, state.currentNew, state.targetNew, config);
  if (step === undefined) return { kind: 'complete' };
  return {
    kind: 'step',
    step,
    allRoleNames,
    scaleUp: planScaleUpNew(ds.metadata.name ?? '', slice, newRevision, allRoleNames, spec, state.currentNew, step.new),
    scaleDown: planScaleDownOld(oldRevisions, allRoleNames, state.currentOld, step.past),
  };
}
