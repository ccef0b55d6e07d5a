/**
 * @module webhooks/pod-mutation
 * The pod mutating webhook (`mpod.kb.io`, CREATE), upstream's `PodWebhook.Default` step by step: identity
 * labels from the pod name, the UniquePerReplica subdomain, exclusive placement, subgroup labels, an optional
 * gang-scheduling hook, TPU variables, then the LWS variables.
 */
import type { Pod } from '../../k8s/client/objects.ts';
import {
  EXCLUSIVE_KEY_ANNOTATION,
  GROUP_INDEX_LABEL,
  GROUP_UNIQUE_HASH_LABEL,
  LEADER_POD_NAME_ANNOTATION,
  SET_NAME_LABEL,
  SIZE_ANNOTATION,
  SUBDOMAIN_POLICY_ANNOTATION,
  SUBGROUP_EXCLUSIVE_KEY_ANNOTATION,
  SUBGROUP_INDEX_LABEL,
  SUBGROUP_POLICY_TYPE_ANNOTATION,
  SUBGROUP_SIZE_ANNOTATION,
  SUBGROUP_UNIQUE_HASH_LABEL,
  WORKER_INDEX_LABEL,
} from '../api/keys.ts';
import { groupKey, subGroupKey } from '../core/names.ts';
import { AdmissionError, goDiv, goRem } from '../../k8s/admission/errors.ts';
import { setExclusiveAffinities } from './exclusive-affinity.ts';
import { atoi } from '../../k8s/go/format.ts';
import { addLWSVariables } from './lws-env.ts';
import { statefulPodOrdinal } from './stateful-ordinal.ts';
import { addTPUVariables, podRequestsTPUs } from './tpu.ts';

export interface PodMutationOptions {
  /**
   * Gang-scheduling seam (upstream's SchedulerProvider.InjectPodGroupMetadata, e.g. volcano's
   * `scheduling.k8s.io/group-name` annotation). Mutates the pod copy in place; runs after the labels are set.
   */
  injectPodGroupMetadata?: (pod: Pod) => void;
}

/**
 * The mutated copy of an LWS pod; `pod` itself when it has no `leaderworkerset.sigs.k8s.io/name` label.
 * Expects `metadata.namespace` to be set (the apiserver sets it before admission). Throws AdmissionError
 * (upstream's denial text) or GoPanic (a subgroup size of 0).
 */
export function mutatePod(pod: Pod, options: PodMutationOptions = {}): Pod {
  if (!(SET_NAME_LABEL in (pod.metadata.labels ?? {}))) return pod;
  const out = structuredClone(pod);
  const name = out.metadata.name ?? '';
  const labels = out.metadata.labels!;
  const annotations = (out.metadata.annotations ??= {});
  const sizeText = annotations[SIZE_ANNOTATION];
  if (sizeText === undefined) throw new AdmissionError(`size annotation is unexpectedly missing for pod ${name}`);
  const size = atoi(sizeText);

  if (labels[WORKER_INDEX_LABEL] === '0') mutateLeader(out, name, labels, annotations);
  else mutateWorker(out, name, size, labels, annotations);

  options.injectPodGroupMetadata?.(out);
  if (podRequestsTPUs(out.spec)) addTPUVariables(out, size);
  addLWSVariables(out);
  return out;
}

function ordinalOf(name: string): number {
  const parsed = statefulPodOrdinal(name);
  if (!parsed) throw new AdmissionError(`parsing pod ordinal for pod ${name}`);
  return parsed.ordinal;
}

function mutateLeader(pod: Pod, name: string, labels: Record<string, string>, annotations: Record<string, string>) {
  if (!(GROUP_INDEX_LABEL in labels)) labels[GROUP_INDEX_LABEL] = String(ordinalOf(name));
  if (annotations[SUBDOMAIN_POLICY_ANNOTATION] === 'UniquePerReplica') {
    pod.spec = { ...pod.spec!, subdomain: name };
  }
  // The group key both labels the group and marks exclusive placement as already handled.
  const key = (labels[GROUP_UNIQUE_HASH_LABEL] ??= groupKey(pod.metadata.namespace ?? '', name));
  const topologyKey = annotations[EXCLUSIVE_KEY_ANNOTATION];
  if (topologyKey !== undefined) setExclusiveAffinities(pod, key, topologyKey, GROUP_UNIQUE_HASH_LABEL);

  if (
    SUBGROUP_SIZE_ANNOTATION in annotations &&
    !labels[SUBGROUP_INDEX_LABEL] &&
    annotations[SUBGROUP_POLICY_TYPE_ANNOTATION] !== 'LeaderExcluded'
  ) {
    // The leader always lands in subgroup 0.
    assignSubGroup(pod, labels, annotations, '0', subGroupKey(name, '0'));
  }
}

function mutateWorker(
  pod: Pod,
  name: string,
  size: number,
  labels: Record<string, string>,
  annotations: Record<string, string>,
) {
  const workerIndex = ordinalOf(name);
  labels[WORKER_INDEX_LABEL] = String(workerIndex);
  const subGroupSizeText = annotations[SUBGROUP_SIZE_ANNOTATION];
  if (subGroupSizeText === undefined || labels[SUBGROUP_INDEX_LABEL]) return;
  const index = subGroupIndex(size, atoi(subGroupSizeText), workerIndex);
  // The policy type is not consulted for workers (as upstream).
  const leaderName = annotations[LEADER_POD_NAME_ANNOTATION] ?? '';
  assignSubGroup(pod, labels, annotations, index, subGroupKey(leaderName, index));
}

function assignSubGroup(
  pod: Pod,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  index: string,
  key: string,
) {
  labels[SUBGROUP_INDEX_LABEL] = index;
  labels[SUBGROUP_UNIQUE_HASH_LABEL] = key;
  const topologyKey = annotations[SUBGROUP_EXCLUSIVE_KEY_ANNOTATION];
  if (topologyKey !== undefined) setExclusiveAffinities(pod, key, topologyKey, SUBGROUP_UNIQUE_HASH_LABEL);
}

/** When only size-1 divides evenly, the leader is the extra pod of subgroup 0 and workers shift down by one. */
export function subGroupIndex(size: number, subGroupSize: number, workerIndex: number): string {
  if (goRem(size - 1, subGroupSize) === 0 && goRem(size, subGroupSize) !== 0) {
    return String(goDiv(workerIndex - 1, subGroupSize));
  }
  return String(goDiv(workerIndex, subGroupSize));
}
