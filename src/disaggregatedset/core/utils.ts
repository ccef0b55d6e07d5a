/**
 * @module disaggregatedset/core/utils
 * Naming, labels, slice bucketing, initial-replica bookkeeping and revision grouping
 * (upstream pkg/utils/disaggregatedset/utils.go plus the small LWS-manager helpers).
 */
import {
  AppLabelKey,
  DefaultSlices,
  InitialReplicasAnnotationKey,
  RevisionLabelKey,
  RoleLabelKey,
  ServiceNameSuffix,
  SetNameLabelKey,
  SliceLabelKey,
} from '../api/keys.ts';
import type { DisaggregatedRoleSpec, DisaggregatedSet, LeaderWorkerSetLike } from '../api/types.ts';

// --- Go number parsing --------------------------------------------------------------------------

const DECIMAL = /^[+-]?[0-9]+$/;

/** strconv.ParseInt(s, 10, bits): a decimal with optional sign, within range; undefined on error. */
export function goParseInt(s: string, bits: 32 | 64): number | undefined {
  if (!DECIMAL.test(s)) return undefined;
  const v = BigInt(s);
  const limit = 1n << BigInt(bits - 1);
  if (v < -limit || v >= limit) return undefined;
  return Number(v);
}

/** strconv.Atoi on a 64-bit platform. */
export function goAtoi(s: string): number | undefined {
  return goParseInt(s, 64);
}

// --- Names and labels ---------------------------------------------------------------------------

/** Child LWS name: `<ds>-<slice>-<revision>-<role>`. */
export function generateName(baseName: string, slice: number, revision: string, role: string): string {
  return `${baseName}-${slice}-${revision}-${role}`;
}

/** Pre-slices LWS name `<ds>-<revision>-<role>` (a legacy slice-0 object). */
export function generateLegacyName(baseName: string, revision: string, role: string): string {
  return `${baseName}-${revision}-${role}`;
}

/** Headless Service name for an LWS: `<lws-name>-prv`. */
export function serviceNameForLWS(lwsName: string): string {
  return lwsName + ServiceNameSuffix;
}

/** The legacy (slice-agnostic) Service name `<ds>-<revision>-<role>-prv`. */
export function legacyServiceName(baseName: string, revision: string, role: string): string {
  return generateLegacyName(baseName, revision, role) + ServiceNameSuffix;
}

/** System labels on a child LWS and both its pod templates (GenerateLabels). */
export function generateLabels(
  baseName: string,
  slice: number,
  revision: string,
  role: string,
): Record<string, string> {
  return {
    [AppLabelKey]: `${baseName}-${slice}-${role}`,
    [RoleLabelKey]: role,
    [SliceLabelKey]: String(slice),
    [SetNameLabelKey]: baseName,
    [RevisionLabelKey]: revision,
  };
}

/** spec.slices, defaulting to 1. */
export function getSlices(ds: DisaggregatedSet): number {
  return ds.spec.slices ?? DefaultSlices;
}

/**
 * Whether an object's labels place it in `slice`. slice < 0 matches everything; slice 0 also matches
 * an object with no (or an empty) slice label, i.e. a legacy pre-slices object. The comparison is
 * textual against `strconv.Itoa(slice)`.
 */
export function sliceLabelMatches(labels: Record<string, string> | undefined, slice: number): boolean {
  if (slice < 0) return true;
  const value = labels?.[SliceLabelKey];
  if (value === undefined || value === '') return slice === 0;
  return value === String(slice);
}

/** Whether the object carries a non-empty slice label (created by the slices-aware controller). */
export function hasSliceLabel(labels: Record<string, string> | undefined): boolean {
  const value = labels?.[SliceLabelKey];
  return value !== undefined && value !== '';
}

export function getRoleConfigs(ds: DisaggregatedSet): Map<string, DisaggregatedRoleSpec> {
  const configs = new Map<string, DisaggregatedRoleSpec>();
  for (const role of ds.spec.roles) configs.set(role.name, role);
  return configs;
}

export function getRoleNames(ds: DisaggregatedSet): string[] {
  return ds.spec.roles.map((r) => r.name);
}

// --- Replicas -----------------------------------------------------------------------------------

/** spec.replicas with the nil => 1 rule (upstream getLWSReplicas). */
export function getLWSReplicas(lws: LeaderWorkerSetLike): number {
  return lws.spec?.replicas ?? 1;
}

/**
 * GetInitialReplicas: the initial-replicas annotation parsed with strconv.ParseInt(v, 10, 32); an
 * absent, empty or unparsable value gives undefined.
 */
export function getInitialReplicas(lws: LeaderWorkerSetLike): number | undefined {
  const value = lws.metadata.annotations?.[InitialReplicasAnnotationKey];
  if (value === undefined || value === '') return undefined;
  return goParseInt(value, 32);
}

/**
 * parseInitialReplicasAnnotation (LWS manager): the same annotation parsed with strconv.Atoi, so
 * the accepted range is int64 rather than int32.
 */
export function parseInitialReplicasAnnotation(lws: LeaderWorkerSetLike): number | undefined {
  const value = lws.metadata.annotations?.[InitialReplicasAnnotationKey];
  if (value === undefined) return undefined;
  return goAtoi(value);
}

/** SetInitialReplicas: a copy of the LWS with the annotation set to the decimal `replicas`. */
export function setInitialReplicas(lws: LeaderWorkerSetLike, replicas: number): LeaderWorkerSetLike {
  return {
    ...lws,
    metadata: {
      ...lws.metadata,
      annotations: { ...lws.metadata.annotations, [InitialReplicasAnnotationKey]: String(replicas) },
    },
  };
}

/** ComputeInitialReplicaState: per-role sum of initial-replicas (falling back to spec.replicas, nil => 1). */
export function computeInitialReplicaState(lwsList: readonly LeaderWorkerSetLike[]): Map<string, number> {
  const state = new Map<string, number>();
  for (const lws of lwsList) {
    const role = lws.metadata.labels?.[RoleLabelKey] ?? '';
    if (role === '') continue;
    const replicas = getInitialReplicas(lws) ?? lws.spec?.replicas ?? 1;
    state.set(role, (state.get(role) ?? 0) + replicas);
  }
  return state;
}

// --- Revision grouping --------------------------------------------------------------------------

/** One revision's LWS, keyed by role. */
export interface RevisionRoles {
  revision: string;
  roles: Map<string, LeaderWorkerSetLike>;
}

export type RevisionRolesList = RevisionRoles[];

/** Sum of spec.replicas (nil => 1) of `role` across revisions. */
export function getTotalReplicasPerRole(revisions: RevisionRolesList, role: string): number {
  let total = 0;
  for (const rev of revisions) {
    const lws = rev.roles.get(role);
    if (lws !== undefined) total += getLWSReplicas(lws);
  }
  return total;
}

/** Sum of initial-replicas (falling back to spec.replicas, nil => 1) of `role` across revisions. */
export function getTotalInitialReplicasPerRole(revisions: RevisionRolesList, role: string): number {
  let total = 0;
  for (const rev of revisions) {
    const lws = rev.roles.get(role);
    if (lws !== undefined) total += getInitialReplicas(lws) ?? getLWSReplicas(lws);
  }
  return total;
}

/**
 * GroupByRevision: buckets LWS by revision label, then by role label (a later LWS with the same
 * revision and role replaces the earlier one). Upstream returns the groups in Go map order (random);
 * here they come in first-seen order. Missing labels group under "".
 */
export function groupByRevision(lwsList: readonly LeaderWorkerSetLike[]): RevisionRolesList {
  const byRevision = new Map<string, RevisionRoles>();
  for (const lws of lwsList) {
    const revision = lws.metadata.labels?.[RevisionLabelKey] ?? '';
    const role = lws.metadata.labels?.[RoleLabelKey] ?? '';
    let group = byRevision.get(revision);
    if (group === undefined) {
      group = { revision, roles: new Map() };
      byRevision.set(revision, group);
    }
    group.roles.set(role, lws);
  }
  return [...byRevision.values()];
}

/** Whether `obj` has a controller owner reference with the given UID (upstream isControlledBy). */
export function isControlledBy(
  obj: { metadata: { ownerReferences?: { controller?: boolean; uid: string }[] } },
  uid: string | undefined,
): boolean {
  return (obj.metadata.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === (uid ?? ''));
}
