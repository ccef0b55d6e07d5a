/**
 * @module core/leader-statefulset
 * The leader StatefulSet as the LWS reconciler server-side applies it every pass (upstream
 * constructLeaderStatefulSetApplyConfiguration + setControllerReferenceWithStatefulSet). Its pods are the
 * group leaders `<lws>-<i>`; their template is the leader template, or the worker template when none is set.
 */
import {
  API_VERSION,
  EXCLUSIVE_KEY_ANNOTATION,
  KIND,
  REPLICAS_ANNOTATION,
  REVISION_KEY_LABEL,
  SET_NAME_LABEL,
  SIZE_ANNOTATION,
  SUBDOMAIN_POLICY_ANNOTATION,
  SUBGROUP_EXCLUSIVE_KEY_ANNOTATION,
  SUBGROUP_POLICY_TYPE_ANNOTATION,
  SUBGROUP_SIZE_ANNOTATION,
  WORKER_INDEX_LABEL,
} from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { PodTemplateSpec, StatefulSet } from '../../k8s/client/objects.ts';
import { scaledMaxSurge, scaledMaxUnavailable } from './lws-spec.ts';
import { groupSize, lwsName, lwsNamespace, rolloutSettings, specReplicas, subdomainPolicy } from './lws-spec.ts';
import { controllerReference, mergeMetadata } from './object-meta.ts';
import { withVolumeClaims } from './volume-claims.ts';

export interface LeaderStatefulSetParams {
  /** Key of the revision the LWS currently runs (labels of the STS and of its pod template). */
  revisionKey: string;
  /** From rollingUpdateParameters. */
  partition: number;
  replicas: number;
}

/** Selector of the leader pods; also what hpaPodSelector renders. */
export function leaderSelector(lws: LeaderWorkerSet): Record<string, string> {
  return { [SET_NAME_LABEL]: lwsName(lws), [WORKER_INDEX_LABEL]: '0' };
}

/**
 * The StatefulSet's rollingUpdate.maxUnavailable: the LWS budget plus the surge (surge groups may be
 * replaced at once), at least 1 (also when replicas is 0).
 */
export function leaderMaxUnavailable(lws: LeaderWorkerSet): number {
  const replicas = specReplicas(lws);
  const { maxUnavailable, maxSurge } = rolloutSettings(lws);
  return Math.max(1, scaledMaxUnavailable(maxUnavailable, replicas) + scaledMaxSurge(maxSurge, replicas));
}

/** Annotations the controller puts on the leader pod template. */
function leaderTemplateAnnotations(lws: LeaderWorkerSet): Record<string, string> {
  const userAnnotations = lws.metadata.annotations ?? {};
  const annotations: Record<string, string> = { [SIZE_ANNOTATION]: String(groupSize(lws)) };
  if (userAnnotations[EXCLUSIVE_KEY_ANNOTATION]) {
    annotations[EXCLUSIVE_KEY_ANNOTATION] = userAnnotations[EXCLUSIVE_KEY_ANNOTATION];
  }
  const subGroup = lws.spec.leaderWorkerTemplate.subGroupPolicy;
  if (subGroup) {
    // Upstream always writes the type here (the CRD defaults it to LeaderWorker).
    annotations[SUBGROUP_POLICY_TYPE_ANNOTATION] = subGroup.subGroupPolicyType ?? 'LeaderWorker';
    annotations[SUBGROUP_SIZE_ANNOTATION] = String(subGroup.subGroupSize ?? 0);
    if (userAnnotations[SUBGROUP_EXCLUSIVE_KEY_ANNOTATION]) {
      annotations[SUBGROUP_EXCLUSIVE_KEY_ANNOTATION] = userAnnotations[SUBGROUP_EXCLUSIVE_KEY_ANNOTATION];
    }
  }
  if (subdomainPolicy(lws) === 'UniquePerReplica') annotations[SUBDOMAIN_POLICY_ANNOTATION] = 'UniquePerReplica';
  return annotations;
}

function leaderPodTemplate(lws: LeaderWorkerSet, revisionKey: string): PodTemplateSpec {
  const source = lws.spec.leaderWorkerTemplate.leaderTemplate ?? lws.spec.leaderWorkerTemplate.workerTemplate;
  const template = structuredClone(source);
  const metadata = (template.metadata ??= {});
  // Added to the user's labels and annotations, overriding same-named keys.
  metadata.labels = {
    ...metadata.labels,
    [WORKER_INDEX_LABEL]: '0',
    [SET_NAME_LABEL]: lwsName(lws),
    [REVISION_KEY_LABEL]: revisionKey,
  };
  metadata.annotations = { ...metadata.annotations, ...leaderTemplateAnnotations(lws) };
  return template;
}

export function buildLeaderStatefulSet(lws: LeaderWorkerSet, params: LeaderStatefulSetParams): StatefulSet {
  const name = lwsName(lws);
  const spec = withVolumeClaims(
    {
      serviceName: name, // also in UniquePerReplica mode
      replicas: params.replicas,
      podManagementPolicy: 'Parallel',
      template: leaderPodTemplate(lws, params.revisionKey),
      updateStrategy: {
        type: rolloutSettings(lws).type,
        rollingUpdate: { maxUnavailable: leaderMaxUnavailable(lws), partition: params.partition },
      },
      selector: { matchLabels: leaderSelector(lws) },
    },
    lws,
  );
  const metadata: StatefulSet['metadata'] = { name, namespace: lwsNamespace(lws) };
  const labels = mergeMetadata(lws.metadata.labels, {
    [SET_NAME_LABEL]: name,
    [REVISION_KEY_LABEL]: params.revisionKey,
  });
  if (labels) metadata.labels = labels;
  const annotations = mergeMetadata(lws.metadata.annotations, { [REPLICAS_ANNOTATION]: String(specReplicas(lws)) });
  if (annotations) metadata.annotations = annotations;
  metadata.ownerReferences = [controllerReference(lws, API_VERSION, KIND)];
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata, spec };
}
