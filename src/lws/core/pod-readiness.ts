/**
 * @module core/pod-readiness
 * Readiness and lifecycle predicates over pods and StatefulSets, as upstream's pkg/utils/pod and
 * pkg/utils/statefulset define them.
 */
import { REVISION_KEY_LABEL, WORKER_INDEX_LABEL } from '../api/keys.ts';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';

/** The Ready condition is True; the phase is not looked at (upstream `IsPodReady`, used for LeaderReady). */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** Phase Running and Ready condition True (upstream `PodRunningAndReady`, used for group readiness). */
export function podRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/**
 * A StatefulSet whose desired replicas are all available and which is not mid-rollout. An absent
 * spec.replicas is the apiserver default 1.
 */
export function statefulSetReady(sts: StatefulSet): boolean {
  const status = sts.status ?? {};
  return (
    (sts.spec?.replicas ?? 1) === (status.availableReplicas ?? 0) &&
    (status.currentRevision ?? '') === (status.updateRevision ?? '')
  );
}

/** Some (init) container restarted while the pod is Running or Pending; a Failed pod does not count. */
export function containerRestarted(pod: Pod): boolean {
  const phase = pod.status?.phase;
  if (phase !== 'Running' && phase !== 'Pending') return false;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.some((s) => (s.restartCount ?? 0) > 0);
}

/** Marked for deletion (graceful deletion in progress). */
export function podDeleted(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

export function isLeaderPod(pod: Pod): boolean {
  return pod.metadata.labels?.[WORKER_INDEX_LABEL] === '0';
}

/**
 * A leader pod changed in a way the LeaderWorkerSet's status reads (running-and-ready, or the revision it
 * was created from). The StatefulSet status that usually wakes the LWS reconciler comes over another watch
 * and can arrive before the pod change itself; without this the reconcile that saw the older pod is the
 * last one, and the status stays behind until something else happens to the set.
 */
export function leaderPodStatusInputChanged(before: Pod, after: Pod): boolean {
  if (!isLeaderPod(after)) return false;
  return (
    podRunningAndReady(before) !== podRunningAndReady(after) ||
    before.metadata.labels?.[REVISION_KEY_LABEL] !== after.metadata.labels?.[REVISION_KEY_LABEL] ||
    before.metadata.uid !== after.metadata.uid
  );
}
