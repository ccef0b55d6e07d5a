/**
 * @module disaggregatedset/webhooks/crd-defaults
 * What the apiserver does to a DisaggregatedSet body before any webhook sees it, with upstream's v0.10.0 CRD
 * (`config/crd/bases/disaggregatedset.x-k8s.io_disaggregatedsets.yaml`): explicit nulls dropped (no field is
 * nullable), then the structural-schema defaults: `spec.slices` 1, `placementPolicy.type` None,
 * `roles[].scaling.mode` Static, and below each role's `spec` the LeaderWorkerSet spec's own defaults (its schema
 * is the LeaderWorkerSet spec's). Defaults only fill objects that are present.
 */
import type { DisaggregatedSet } from '../api/types.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { applyLwsSpecDefaults, dropNulls } from '../../lws/webhooks/crd-defaults.ts';
import { DefaultSlices, PlacementNone, RoleScalingStatic } from '../api/keys.ts';

export function applyDisaggregatedSetCrdDefaults(input: DisaggregatedSet): DisaggregatedSet {
  const ds = structuredClone(input);
  const root = ds as unknown as Record<string, unknown>;
  // The schema describes everything but the root metadata (a bare `type: object`, coerced separately).
  for (const [key, member] of Object.entries(root)) {
    if (key === 'metadata') continue;
    if (member === null) delete root[key];
    else dropNulls(member);
  }
  const spec = ds.spec;
  if (!spec || typeof spec !== 'object') return ds;
  spec.slices ??= DefaultSlices;
  if (spec.placementPolicy) spec.placementPolicy.type ??= PlacementNone;
  for (const role of Array.isArray(spec.roles) ? spec.roles : []) {
    if (!role || typeof role !== 'object') continue;
    if (role.scaling) role.scaling.mode ??= RoleScalingStatic;
    if (role.spec) applyLwsSpecDefaults(role.spec as unknown as LeaderWorkerSet['spec']);
  }
  return ds;
}
