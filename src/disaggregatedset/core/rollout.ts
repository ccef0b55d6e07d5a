/**
 * @module disaggregatedset/core/rollout
 * Replica targets and per-role rollout configuration (upstream executor.go getTargetReplicas,
 * isExternal, extractRollingUpdateConfig) and intstr.GetScaledValueFromIntOrPercent.
 */
import { RoleScalingExternal } from '../api/keys.ts';
import type { DisaggregatedSet, DisaggregatedSetRoleScaler, IntOrString } from '../api/types.ts';
import { goAtoi } from './utils.ts';
import { defaultRollingUpdateConfig, type RollingUpdateConfig } from './planner.ts';

/** Scalers keyed by role name (what ScalerManager.Reconcile returns). */
export type ScalerMap = ReadonlyMap<string, DisaggregatedSetRoleScaler>;

export type ScaledValue = { ok: true; value: number } | { ok: false; error: string };

/**
 * intstr.GetScaledValueFromIntOrPercent. An absent value is the zero IntOrString (int 0). Strings
 * must end in "%" and the rest must parse with strconv.Atoi; percentages scale against `total`
 * rounding up (ceil) or down (floor).
 */
export function getScaledValueFromIntOrPercent(
  v: IntOrString | undefined,
  total: number,
  roundUp: boolean,
): ScaledValue {
  if (v === undefined || typeof v === 'number') return { ok: true, value: Math.trunc(v ?? 0) };
  if (!v.endsWith('%')) {
    return { ok: false, error: 'invalid value for IntOrString: invalid type: string is not a percentage' };
  }
  const digits = v.slice(0, -1);
  const n = goAtoi(digits);
  if (n === undefined) {
    const why = /^[+-]?[0-9]+$/.test(digits) ? 'value out of range' : 'invalid syntax';
    const atoiErr = `strconv.Atoi: parsing ${JSON.stringify(digits)}: ${why}`;
    return { ok: false, error: `invalid value for IntOrString: invalid value ${JSON.stringify(v)}: ${atoiErr}` };
  }
  const scaled = (n * total) / 100;
  return { ok: true, value: Math.trunc(roundUp ? Math.ceil(scaled) : Math.floor(scaled)) };
}

/** Whether the role (by name) has scaling.mode External; false for a role not in spec. */
export function isExternal(ds: DisaggregatedSet, roleName: string): boolean {
  const role = ds.spec.roles.find((r) => r.name === roleName);
  return role?.scaling?.mode === RoleScalingExternal;
}

/**
 * getTargetReplicas: per-slice desired replicas for a role. External: the scaler's spec.replicas,
 * or `currentNew` when no scaler is known. Static: spec.replicas (nil => 1). Unknown role => 1.
 */
export function getTargetReplicas(
  ds: DisaggregatedSet,
  roleName: string,
  scalers: ScalerMap | undefined,
  currentNew: number,
): number {
  const role = ds.spec.roles.find((r) => r.name === roleName);
  if (role === undefined) return 1;
  if (role.scaling?.mode === RoleScalingExternal) {
    const s = scalers?.get(roleName);
    return s !== undefined ? (s.spec?.replicas ?? 0) : currentNew;
  }
  return role.spec?.replicas ?? 1;
}

/**
 * extractRollingUpdateConfig: defaults (surge 1, unavailable 0) per role, overridden for each spec
 * role that has rolloutStrategy.rollingUpdateConfiguration: values are scaled against the role's
 * target replicas (getTargetReplicas with currentNew 0); surge rounds up, unavailable down; a
 * value that fails to parse counts as 0. If unavailable > 0 both are taken; else if surge > 0 only
 * surge; else the defaults stay. A spec role missing from `allRoleNames` writes index 0 (upstream
 * indexes a Go map, whose missing key yields 0).
 */
export function extractRollingUpdateConfig(
  ds: DisaggregatedSet,
  allRoleNames: readonly string[],
  scalers: ScalerMap | undefined,
): RollingUpdateConfig[] {
  const config = defaultRollingUpdateConfig(allRoleNames.length);
  const roleIndex = new Map(allRoleNames.map((n, i) => [n, i] as const));
  for (const role of ds.spec.roles) {
    const rc = role.spec?.rolloutStrategy?.rollingUpdateConfiguration;
    if (rc === undefined || rc === null) continue;
    const i = roleIndex.get(role.name) ?? 0;
    const replicas = getTargetReplicas(ds, role.name, scalers, 0);
    const s = getScaledValueFromIntOrPercent(rc.maxSurge, replicas, true);
    const u = getScaledValueFromIntOrPercent(rc.maxUnavailable, replicas, false);
    const surge = s.ok ? s.value : 0;
    const unavail = u.ok ? u.value : 0;
    const entry = config[i];
    if (entry === undefined) continue;
    if (unavail > 0) {
      entry.maxUnavailable = unavail;
      entry.maxSurge = surge;
    } else if (surge > 0) {
      entry.maxSurge = surge;
    }
  }
  return config;
}
