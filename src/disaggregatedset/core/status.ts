/**
 * @module disaggregatedset/core/status
 * Status computations.
 *
 *  - RoleScaler status (upstream v0.10.0 ScalerManager.WriteStatus): replicas, selector,
 *    observedGeneration and the Ready condition (apimeta.SetStatusCondition semantics).
 *  - DisaggregatedSet status: upstream v0.10.0 never writes it. The functions below implement what
 *    main added after v0.10.0 (#933 observedGeneration/roleStatuses, #980 Available/Progressing);
 *    whether to use them is the integrator's choice (see NOTES.md).
 */
import {
  AvailableMessage,
  AvailableReason,
  DisaggregatedSetAvailable,
  DisaggregatedSetProgressing,
  DisaggregatedSetRoleScalerReady,
  ProgressingMessage,
  ProgressingReason,
  RevisionLabelKey,
  RoleLabelKey,
  ScalerReadyMessage,
  ScalerReadyReason,
} from '../api/keys.ts';
import type {
  Condition,
  DisaggregatedSet,
  DisaggregatedSetRoleScaler,
  DisaggregatedSetRoleScalerStatus,
  DisaggregatedSetStatus,
  LeaderWorkerSetLike,
  RoleStatus,
} from '../api/types.ts';
import { scalerSelector } from './render.ts';
import { getTargetReplicas, isExternal, type ScalerMap } from './rollout.ts';
import { getSlices } from './utils.ts';

/** metav1.Time as Go serialises it: RFC 3339, second precision, UTC. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * apimeta.SetStatusCondition on a copy: a new type is appended (lastTransitionTime = now when
 * unset); for an existing type a status change sets lastTransitionTime (now when unset) and
 * reason, message and observedGeneration are always synced. Returns the new list and whether
 * anything changed.
 */
export function setStatusCondition(
  conditions: readonly Condition[] | undefined,
  cond: Omit<Condition, 'lastTransitionTime'> & { lastTransitionTime?: string },
  now: string,
): { conditions: Condition[]; changed: boolean } {
  const list = (conditions ?? []).map((c) => ({ ...c }));
  const existing = list.find((c) => c.type === cond.type);
  if (existing === undefined) {
    list.push({ ...cond, lastTransitionTime: cond.lastTransitionTime || now } as Condition);
    return { conditions: list, changed: true };
  }
  let changed = false;
  if (existing.status !== cond.status) {
    existing.status = cond.status;
    existing.lastTransitionTime = cond.lastTransitionTime || now;
    changed = true;
  }
  if (existing.reason !== cond.reason) {
    existing.reason = cond.reason;
    changed = true;
  }
  if (existing.message !== cond.message) {
    existing.message = cond.message;
    changed = true;
  }
  if ((existing.observedGeneration ?? 0) !== (cond.observedGeneration ?? 0)) {
    existing.observedGeneration = cond.observedGeneration;
    changed = true;
  }
  return { conditions: list, changed };
}

/**
 * The status ScalerManager.WriteStatus patches onto a scaler: replicas = observed aggregate
 * status.replicas of the role's LWS (all slices and revisions), selector = leader pods of the role,
 * observedGeneration = scaler generation, Ready=True/Bound condition. Upstream always sends the
 * merge patch (even when empty).
 */
export function desiredScalerStatus(
  dsName: string,
  role: string,
  scaler: DisaggregatedSetRoleScaler,
  observedReplicas: number,
  now: string,
): DisaggregatedSetRoleScalerStatus {
  const generation = scaler.metadata.generation ?? 0;
  const { conditions } = setStatusCondition(
    scaler.status?.conditions,
    {
      type: DisaggregatedSetRoleScalerReady,
      status: 'True',
      observedGeneration: generation,
      reason: ScalerReadyReason,
      message: ScalerReadyMessage,
    },
    now,
  );
  return {
    ...scaler.status,
    replicas: observedReplicas,
    selector: scalerSelector(dsName, role),
    observedGeneration: generation,
    conditions,
  };
}

/** updateScalerStatus's aggregation: sum of LWS status.replicas per role, for roles that have a scaler. */
export function observedScalerReplicas(
  allLWS: readonly LeaderWorkerSetLike[],
  scalers: ScalerMap,
): Map<string, number> {
  const observed = new Map<string, number>();
  for (const lws of allLWS) {
    const role = lws.metadata.labels?.[RoleLabelKey] ?? '';
    if (!scalers.has(role)) continue;
    observed.set(role, (observed.get(role) ?? 0) + (lws.status?.replicas ?? 0));
  }
  return observed;
}

// --- DisaggregatedSet status (main, after v0.10.0) ----------------------------------------------

/**
 * Per spec role: replicas and readyReplicas summed over all of the role's owned LWS (all slices and
 * revisions), updatedReplicas summed only over LWS at the target revision. Also whether the set is
 * Available: for every role replicas == ready == updated == getTargetReplicas(...,0) * slices, and
 * an External role without a known scaler is never available.
 */
export function computeRoleStatuses(
  ds: DisaggregatedSet,
  ownedLWS: readonly LeaderWorkerSetLike[],
  revision: string,
  scalers: ScalerMap | undefined,
): { roleStatuses: RoleStatus[]; available: boolean } {
  const sliceCount = getSlices(ds);
  let available = true;
  const roleStatuses: RoleStatus[] = [];
  for (const role of ds.spec.roles.map((r) => r.name)) {
    let replicas = 0;
    let ready = 0;
    let updated = 0;
    for (const lws of ownedLWS) {
      if (lws.metadata.labels?.[RoleLabelKey] !== role) continue;
      replicas += lws.status?.replicas ?? 0;
      ready += lws.status?.readyReplicas ?? 0;
      if (lws.metadata.labels?.[RevisionLabelKey] === revision) updated += lws.status?.updatedReplicas ?? 0;
    }
    const rs: RoleStatus = { name: role };
    if (replicas !== 0) rs.replicas = replicas;
    if (ready !== 0) rs.readyReplicas = ready;
    if (updated !== 0) rs.updatedReplicas = updated;
    roleStatuses.push(rs);
    if (isExternal(ds, role) && scalers?.get(role) === undefined) {
      available = false;
      continue;
    }
    const desired = getTargetReplicas(ds, role, scalers, 0) * sliceCount;
    if (replicas !== desired || ready !== desired || updated !== desired) available = false;
  }
  return { roleStatuses, available };
}

const sameRoleStatuses = (a: readonly RoleStatus[] | undefined, b: readonly RoleStatus[]): boolean =>
  (a ?? []).length === b.length &&
  b.every((y, i) => {
    const x = (a ?? [])[i]!;
    return (
      x.name === y.name &&
      (x.replicas ?? 0) === (y.replicas ?? 0) &&
      (x.readyReplicas ?? 0) === (y.readyReplicas ?? 0) &&
      (x.updatedReplicas ?? 0) === (y.updatedReplicas ?? 0)
    );
  });

/**
 * main's setDisaggregatedSetCondition: records `type` (Available or Progressing) as True and flips
 * the other one of that pair to False (copying reason/message); lastTransitionTime changes only on
 * a status flip; other condition types are untouched.
 */
export function setAvailabilityCondition(
  conditions: readonly Condition[] | undefined,
  available: boolean,
  generation: number,
  now: string,
): { conditions: Condition[]; changed: boolean } {
  const type = available ? DisaggregatedSetAvailable : DisaggregatedSetProgressing;
  const other = available ? DisaggregatedSetProgressing : DisaggregatedSetAvailable;
  const reason = available ? AvailableReason : ProgressingReason;
  const message = available ? AvailableMessage : ProgressingMessage;
  const list = (conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  let found = false;
  for (const c of list) {
    if (c.type === type) {
      found = true;
      if (c.status !== 'True') {
        Object.assign(c, { status: 'True', lastTransitionTime: now, observedGeneration: generation, reason, message });
        changed = true;
      } else if (c.observedGeneration !== generation || c.reason !== reason || c.message !== message) {
        Object.assign(c, { observedGeneration: generation, reason, message });
        changed = true;
      }
      continue;
    }
    if (c.type !== other) continue;
    if (c.status === 'True') {
      Object.assign(c, { status: 'False', lastTransitionTime: now, observedGeneration: generation, reason, message });
      changed = true;
    } else if (c.observedGeneration !== generation) {
      c.observedGeneration = generation;
      changed = true;
    }
  }
  if (!found) {
    list.push({ type, status: 'True', observedGeneration: generation, lastTransitionTime: now, reason, message });
    changed = true;
  }
  return { conditions: list, changed };
}

/**
 * main's updateStatus: the new DS status and whether a Status().Update is due. `ownedLWS` must be
 * the LWS controlled by the DS (main filters List by controller owner UID).
 */
export function computeDisaggregatedSetStatus(
  ds: DisaggregatedSet,
  ownedLWS: readonly LeaderWorkerSetLike[],
  revision: string,
  scalers: ScalerMap | undefined,
  now: string,
): { status: DisaggregatedSetStatus; changed: boolean } {
  const { roleStatuses, available } = computeRoleStatuses(ds, ownedLWS, revision, scalers);
  const prev = ds.status ?? {};
  const generation = ds.metadata.generation ?? 0;
  let changed = !sameRoleStatuses(prev.roleStatuses, roleStatuses);
  const cond = setAvailabilityCondition(prev.conditions, available, generation, now);
  changed ||= cond.changed;
  if ((prev.observedGeneration ?? 0) !== generation) changed = true;
  const status: DisaggregatedSetStatus = { ...prev, roleStatuses, conditions: cond.conditions };
  if (generation !== 0) status.observedGeneration = generation;
  else delete status.observedGeneration;
  return { status, changed };
}
