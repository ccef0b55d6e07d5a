/**
 * @module core/volume-claims
 * The PVC templates and retention policy both StatefulSets carry. Upstream copies only a PVC template's name
 * and five spec fields (GetPVCApplyConfiguration), stamped with the LWS namespace; everything else the user
 * wrote there (labels, selector, dataSource, ...) is dropped.
 */
import type { LeaderWorkerSet } from '../api/types.ts';
import type { PersistentVolumeClaim, StatefulSet } from '../../k8s/client/objects.ts';
import { lwsNamespace } from './lws-spec.ts';

type StatefulSetSpec = NonNullable<StatefulSet['spec']>;

export function volumeClaimTemplates(lws: LeaderWorkerSet): PersistentVolumeClaim[] {
  return (lws.spec.leaderWorkerTemplate.volumeClaimTemplates ?? []).map((pvc) => {
    const source = pvc.spec ?? {};
    const spec: NonNullable<PersistentVolumeClaim['spec']> = {};
    if (source.accessModes && source.accessModes.length > 0) spec.accessModes = [...source.accessModes];
    if (source.storageClassName !== undefined) spec.storageClassName = source.storageClassName;
    if (source.volumeMode !== undefined) spec.volumeMode = source.volumeMode;
    const { requests, limits } = source.resources ?? {};
    if (requests !== undefined || limits !== undefined) {
      spec.resources = {};
      if (requests !== undefined) spec.resources.requests = { ...requests };
      if (limits !== undefined) spec.resources.limits = { ...limits };
    }
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: pvc.metadata?.name ?? '', namespace: lwsNamespace(lws) },
      spec,
    };
  });
}

/**
 * Both fields always sent, an unset one as "" (upstream points at the Go zero value); the apiserver defaults
 * "" to Retain.
 */
export function retentionPolicy(lws: LeaderWorkerSet): StatefulSetSpec['persistentVolumeClaimRetentionPolicy'] {
  const policy = lws.spec.leaderWorkerTemplate.persistentVolumeClaimRetentionPolicy;
  if (!policy) return undefined;
  return { whenDeleted: policy.whenDeleted ?? '', whenScaled: policy.whenScaled ?? '' };
}

/** Adds the claim templates and retention policy to a StatefulSet spec, leaving out what upstream leaves out. */
export function withVolumeClaims(spec: StatefulSetSpec, lws: LeaderWorkerSet): StatefulSetSpec {
  const templates = volumeClaimTemplates(lws);
  if (templates.length > 0) spec.volumeClaimTemplates = templates;
  const policy = retentionPolicy(lws);
  if (policy) spec.persistentVolumeClaimRetentionPolicy = policy;
  return spec;
}
