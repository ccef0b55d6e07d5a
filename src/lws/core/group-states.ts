/**
 * @module core/group-states
 * Per-group readiness and revision for the rollout arithmetic (upstream getReplicaStates). Group i counts only
 * when both its leader pod `<lws>-<i>` and (size > 1) its worker StatefulSet `<lws>-<i>` exist; a group being
 * rebuilt is neither ready nor updated.
 */
import { GROUP_INDEX_LABEL, REVISION_KEY_LABEL } from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { KubeObject, Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { leaderPodName } from './names.ts';
import { groupSize, lwsName } from './lws-spec.ts';
import { podRunningAndReady, statefulSetReady } from './pod-readiness.ts';

export interface GroupState {
  /** Leader Running and Ready, and the worker StatefulSet (if any) ready. */
  ready: boolean;
  /** Leader pod and worker StatefulSet both carry the current revision key. */
  updated: boolean;
}

const revisionOf = (obj: KubeObject): string => obj.metadata.labels?.[REVISION_KEY_LABEL] ?? '';

/** Go strconv.Atoi of a group-index label; undefined when it does not parse. */
export function parseGroupIndex(obj: KubeObject): number | undefined {
  const value = obj.metadata.labels?.[GROUP_INDEX_LABEL] ?? '';
  // Fast path for what controllers write (plain decimal digits): read on every pass over every group.
  if (value.length > 0 && value.length < 16) {
    let index = 0;
    let i = 0;
    for (; i < value.length; i++) {
      const digit = value.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      index = index * 10 + digit;
    }
    if (i === value.length) return index;
  }
  if (!/^[+-]?[0-9]+$/.test(value)) return undefined;
  const index = Number(value);
  return Number.isSafeInteger(index) ? index : undefined;
}

/** Objects placed at their group index (0 <= index < length; a later duplicate wins), like upstream SortByIndex. */
function byGroupIndex<T extends KubeObject>(items: readonly T[], length: number): (T | undefined)[] {
  const slots: (T | undefined)[] = new Array<T | undefined>(length).fill(undefined);
  for (const item of items) {
    const index = parseGroupIndex(item);
    if (index === undefined || index < 0 || index >= length) continue;
    slots[index] = item;
  }
  return slots;
}

/**
 * One state per leader StatefulSet replica (indices 0..spec.replicas-1). `leaderPods` are the pods labelled
 * with the LWS name and worker-index 0; `statefulSets` may include the leader StatefulSet (it has no
 * group-index label and is ignored).
 */
export function groupStates(
  lws: LeaderWorkerSet,
  leaderSts: StatefulSet | undefined,
  leaderPods: readonly Pod[],
  statefulSets: readonly StatefulSet[],
  revisionKey: string,
): GroupState[] {
  const count = leaderSts?.spec?.replicas ?? 0;
  const pods = byGroupIndex(leaderPods, count);
  const workers = byGroupIndex(statefulSets, count);
  const noWorkers = groupSize(lws) === 1;
  const states: GroupState[] = [];
  for (let index = 0; index < count; index++) {
    const name = leaderPodName(lwsName(lws), index);
    const pod = pods[index];
    const sts = workers[index];
    if (pod?.metadata.name !== name || (!noWorkers && sts?.metadata.name !== name)) {
      states.push({ ready: false, updated: false });
      continue;
    }
    const leaderReady = podRunningAndReady(pod);
    const leaderUpdated = revisionOf(pod) === revisionKey;
    if (noWorkers || !sts) {
      states.push({ ready: leaderReady, updated: leaderUpdated });
      continue;
    }
    states.push({
      ready: leaderReady && statefulSetReady(sts),
      updated: leaderUpdated && revisionOf(sts) === revisionKey,
    });
  }
  return states;
}
