/**
 * @module core/restart
 * Whether a pod event means "recreate this group" under RecreateGroupOnPodRestart / RecreateGroupAfterStart
 * (upstream handleRestartPolicy). Recreating = deleting the leader pod with Foreground propagation: the
 * garbage collector takes the worker StatefulSet and its pods, the leader StatefulSet brings the leader back
 * and the pod reconciler a new worker StatefulSet.
 *
 * Decided from the pod as the watch event carries it, so a deleted worker is seen even when it is already
 * gone from the cache, or replaced under the same name (kubernetes-sigs/lws#998).
 */
import { GROUP_INDEX_LABEL, RECREATE_GROUP_AFTER_START_ANNOTATION, REVISION_KEY_LABEL } from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { groupRecreated, type CoreEvent, type RelatedRef } from './events.ts';
import { groupSize, restartPolicy } from './lws-spec.ts';
import { parseOrdinal } from './names.ts';
import { controllerOf } from './object-meta.ts';
import { containerRestarted, isLeaderPod, podDeleted } from './pod-readiness.ts';

export interface GroupRestartInput {
  /** The pod as the watch event (add, update or delete) shows it. */
  pod: Pod;
  /** The event was a deletion: the pod is gone, whether or not it ever carried a deletionTimestamp. */
  podDeleted?: boolean;
  lws: LeaderWorkerSet;
  /** The pods labelled with the trigger's LWS name and group index, as the cache has them now. */
  groupPods: readonly Pod[];
  /** The group's leader pod, or a lookup of pods by name in the trigger's namespace. */
  leaderPod: Pod | undefined | ((name: string) => Pod | undefined);
  /** Lookup of StatefulSets by name in the trigger's namespace (worker ownership check). */
  statefulSet?: (name: string) => StatefulSet | undefined;
}

export type NoRestartReason =
  | 'policy-does-not-recreate'
  | 'pod-not-restarted-or-deleted'
  | 'group-pending'
  | 'unparseable-pod-name'
  | 'leader-not-found'
  | 'revision-mismatch'
  | 'worker-of-another-group'
  | 'leader-already-deleting';

export interface NoGroupRestart {
  action: 'none';
  reason: NoRestartReason;
  /** The leader is already going away: upstream's pod reconciler stops there for this pod. */
  leaderDeleting?: boolean;
}

export interface GroupRestart {
  action: 'recreate-group';
  lws: LeaderWorkerSet;
  leaderName: string;
  /** Delete with this UID as precondition, so a newer leader of the same name is never hit. */
  leaderUid: string;
  leaderRef: RelatedRef;
  groupIndex: string;
  triggerPod: string;
  /** RecreateGroup event to record once the deletion was accepted. */
  event: CoreEvent;
}

export type RestartDecision = NoGroupRestart | GroupRestart;

const none = (reason: NoRestartReason): NoGroupRestart => ({ action: 'none', reason });

/**
 * "Pending group": not all `size` pods exist, or one of them is Pending. The trigger is counted as a member
 * (upstream reads it from the cache before it disappears) unless a different pod now holds its name.
 */
export function groupPending(trigger: Pod, groupPods: readonly Pod[], size: number): boolean {
  const members = new Map<string, Pod>();
  for (const pod of groupPods) members.set(pod.metadata.name ?? '', pod);
  const name = trigger.metadata.name ?? '';
  const sameName = members.get(name);
  if (!sameName || sameName.metadata.uid === trigger.metadata.uid) members.set(name, trigger);
  if (members.size !== size) return true;
  return [...members.values()].some((pod) => pod.status?.phase === 'Pending');
}

/**
 * A worker belongs to the current group only when its controller is that leader pod (same name and UID), or a
 * StatefulSet that still exists with the owner's UID and is itself controlled by that leader (#805): workers of a
 * previous incarnation of the group, still terminating, must not recreate the new one.
 */
export function workerBelongsToLeader(
  worker: Pod,
  leader: Pod,
  statefulSet: (name: string) => StatefulSet | undefined,
): boolean {
  const owner = controllerOf(worker);
  if (!owner) return false;
  const isLeader = (ref: { kind: string; name: string; uid: string }) =>
    ref.kind === 'Pod' && ref.name === leader.metadata.name && ref.uid === leader.metadata.uid;
  if (owner.kind === 'Pod') return isLeader(owner);
  if (owner.kind !== 'StatefulSet') return false;
  const sts = statefulSet(owner.name);
  if (!sts || sts.metadata.uid !== owner.uid) return false;
  const stsOwner = controllerOf(sts);
  return !!stsOwner && isLeader(stsOwner);
}

export function decideGroupRestart(input: GroupRestartInput): RestartDecision {
  const { pod, lws } = input;
  const policy = restartPolicy(lws);
  if (policy !== 'RecreateGroupOnPodRestart' && policy !== 'RecreateGroupAfterStart') {
    return none('policy-does-not-recreate');
  }
  const deleted = input.podDeleted === true || podDeleted(pod);
  if (!containerRestarted(pod) && !deleted) return none('pod-not-restarted-or-deleted');

  const afterStart =
    policy === 'RecreateGroupAfterStart' ||
    lws.metadata.annotations?.[RECREATE_GROUP_AFTER_START_ANNOTATION] !== undefined;
  if (afterStart && groupPending(pod, input.groupPods, groupSize(lws))) return none('group-pending');

  let leader: Pod;
  if (isLeaderPod(pod)) {
    // A leader that is already going away needs no help.
    if (deleted) return { ...none('leader-already-deleting'), leaderDeleting: true };
    leader = pod;
  } else {
    const parsed = parseOrdinal(pod.metadata.name ?? '');
    if (!parsed) return none('unparseable-pod-name');
    const found = typeof input.leaderPod === 'function' ? input.leaderPod(parsed.parent) : input.leaderPod;
    // Gone: the group is being torn down already, the remaining workers follow.
    if (!found || found.metadata.name !== parsed.parent) return none('leader-not-found');
    // A worker of another revision is about to be replaced by the rollout anyway.
    const revision = (p: Pod) => p.metadata.labels?.[REVISION_KEY_LABEL] ?? '';
    if (revision(found) !== revision(pod)) return none('revision-mismatch');
    if (!workerBelongsToLeader(pod, found, input.statefulSet ?? (() => undefined))) {
      return none('worker-of-another-group');
    }
    leader = found;
  }
  if (podDeleted(leader)) return { ...none('leader-already-deleting'), leaderDeleting: true };

  const groupIndex = leader.metadata.labels?.[GROUP_INDEX_LABEL] ?? '';
  const leaderName = leader.metadata.name ?? '';
  const leaderRef: RelatedRef = {
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: leader.metadata.namespace ?? '',
    name: leaderName,
    uid: leader.metadata.uid ?? '',
  };
  return {
    action: 'recreate-group',
    lws,
    leaderName,
    leaderUid: leader.metadata.uid ?? '',
    leaderRef,
    groupIndex,
    triggerPod: pod.metadata.name ?? '',
    event: groupRecreated(pod.metadata.name ?? '', leader, groupIndex),
  };
}
