/**
 * @module core/worker-statefulset
 * The worker StatefulSet of one group, created once by the pod reconciler when its leader pod appears
 * (upstream constructWorkerStatefulSetApplyConfiguration + setControllerReferenceWithStatefulSet). It is named
 * like the leader pod, owned by it, and numbers its pods from 1 so they read `<lws>-<group>-<1..size-1>`.
 *
 * `lwsAtRevision` is the live LWS with the leader's revision applied: everything the revision covers (worker
 * template, size, subgroups, network config, claims) comes from the revision, so a group recreated mid-rollout
 * keeps its old shape; metadata (labels, annotations, exclusive-topology keys) is the live one.
 */
import {
  EXCLUSIVE_KEY_ANNOTATION,
  GROUP_INDEX_LABEL,
  GROUP_UNIQUE_HASH_LABEL,
  LEADER_POD_NAME_ANNOTATION,
  LEADER_REQUESTS_TPUS_ANNOTATION,
  REVISION_KEY_LABEL,
  SET_NAME_LABEL,
  SIZE_ANNOTATION,
  SUBGROUP_EXCLUSIVE_KEY_ANNOTATION,
  SUBGROUP_POLICY_TYPE_ANNOTATION,
  SUBGROUP_SIZE_ANNOTATION,
} from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { Pod, PodTemplateSpec, StatefulSet } from '../../k8s/client/objects.ts';
import { podRequestsTPUs } from '../webhooks/tpu.ts';
import { groupSize, lwsName, subdomainPolicy } from './lws-spec.ts';
import { controllerReference, mergeMetadata } from './object-meta.ts';
import { withVolumeClaims } from './volume-claims.ts';

export interface WorkerStatefulSetOptions {
  /** Exclusive placement: `{<topologyKey>: <leader node's value>}`, merged into the template's nodeSelector. */
  nodeSelector?: Record<string, string> | undefined;
}

/** Selector of one group's worker pods. */
export function workerSelector(lws: LeaderWorkerSet, leaderPod: Pod): Record<string, string> {
  const labels = leaderPod.metadata.labels ?? {};
  return {
    [GROUP_INDEX_LABEL]: labels[GROUP_INDEX_LABEL] ?? '',
    [SET_NAME_LABEL]: lwsName(lws),
    [GROUP_UNIQUE_HASH_LABEL]: labels[GROUP_UNIQUE_HASH_LABEL] ?? '',
  };
}

function workerTemplateAnnotations(lws: LeaderWorkerSet, leaderPod: Pod): Record<string, string> {
  const userAnnotations = lws.metadata.annotations ?? {};
  const annotations: Record<string, string> = {
    [SIZE_ANNOTATION]: String(groupSize(lws)),
    [LEADER_POD_NAME_ANNOTATION]: leaderPod.metadata.name ?? '',
  };
  if (userAnnotations[EXCLUSIVE_KEY_ANNOTATION]) {
    annotations[EXCLUSIVE_KEY_ANNOTATION] = userAnnotations[EXCLUSIVE_KEY_ANNOTATION];
  }
  const subGroup = lws.spec.leaderWorkerTemplate.subGroupPolicy;
  if (subGroup) {
    // Unlike the leader template, the type is only written when set.
    if (subGroup.subGroupPolicyType) annotations[SUBGROUP_POLICY_TYPE_ANNOTATION] = subGroup.subGroupPolicyType;
    annotations[SUBGROUP_SIZE_ANNOTATION] = String(subGroup.subGroupSize ?? 0);
    if (userAnnotations[SUBGROUP_EXCLUSIVE_KEY_ANNOTATION]) {
      annotations[SUBGROUP_EXCLUSIVE_KEY_ANNOTATION] = userAnnotations[SUBGROUP_EXCLUSIVE_KEY_ANNOTATION];
    }
  }
  // Workers need to know whether the leader holds a TPU host slot (TPU_WORKER_ID/HOSTNAMES numbering).
  if (podRequestsTPUs(leaderPod.spec)) annotations[LEADER_REQUESTS_TPUS_ANNOTATION] = 'true';
  return annotations;
}

export function buildWorkerStatefulSet(
  lwsAtRevision: LeaderWorkerSet,
  leaderPod: Pod,
  options: WorkerStatefulSetOptions = {},
): StatefulSet {
  const lws = lwsAtRevision;
  const leaderName = leaderPod.metadata.name ?? '';
  const selector = workerSelector(lws, leaderPod);
  const labels = { ...selector, [REVISION_KEY_LABEL]: leaderPod.metadata.labels?.[REVISION_KEY_LABEL] ?? '' };

  const template: PodTemplateSpec = structuredClone(lws.spec.leaderWorkerTemplate.workerTemplate);
  const templateMeta = (template.metadata ??= {});
  templateMeta.labels = { ...templateMeta.labels, ...labels };
  templateMeta.annotations = { ...templateMeta.annotations, ...workerTemplateAnnotations(lws, leaderPod) };
  if (options.nodeSelector && Object.keys(options.nodeSelector).length > 0) {
    const podSpec = (template.spec ??= { containers: [] });
    podSpec.nodeSelector = { ...podSpec.nodeSelector, ...options.nodeSelector };
  }

  const spec = withVolumeClaims(
    {
      serviceName: subdomainPolicy(lws) === 'UniquePerReplica' ? leaderName : lwsName(lws),
      replicas: groupSize(lws) - 1,
      podManagementPolicy: 'Parallel',
      template,
      ordinals: { start: 1 },
      selector: { matchLabels: selector },
    },
    lws,
  );
  const metadata: StatefulSet['metadata'] = { name: leaderName, namespace: leaderPod.metadata.namespace ?? '' };
  const stsLabels = mergeMetadata(lws.metadata.labels, labels);
  if (stsLabels) metadata.labels = stsLabels;
  if (lws.metadata.annotations && Object.keys(lws.metadata.annotations).length > 0) {
    metadata.annotations = { ...lws.metadata.annotations };
  }
  metadata.ownerReferences = [controllerReference(leaderPod, 'v1', 'Pod')];
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata, spec };
}
