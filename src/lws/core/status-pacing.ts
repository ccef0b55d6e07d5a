/**
 * @module core/status-pacing
 * How long a status write may wait. While one LeaderWorkerSet of 500 groups scales up, every worker
 * StatefulSet's status change triggers a reconcile whose only news is "one more group ready": written one
 * by one that is one LWS status update per group (≈ 540 writes in `npm run bench`'s 2,000-pod scenario,
 * each a full object through the apiserver and back through every watch). Counter-only changes are
 * therefore written at most once per interval per LeaderWorkerSet — the reconcile requeues itself for the
 * rest of the interval, so the final counts always land. Condition, generation and selector changes are
 * never delayed, so `Available`, `Progressing` and `UpdateInProgress` appear as soon as they are true.
 */

/** The pacing interval: readyReplicas and friends trail the cluster by at most this much. */
export const STATUS_COUNTER_INTERVAL_MS = 1000;

/**
 * Milliseconds to wait before writing a status change; 0 means write now. `lastWriteMs` is the time of
 * this LWS's previous status write in this process (undefined: none yet).
 */
export function statusWriteDelay(
  change: { changed: boolean; countersOnly: boolean },
  lastWriteMs: number | undefined,
  nowMs: number,
  intervalMs = STATUS_COUNTER_INTERVAL_MS,
): number {
  if (!change.changed || !change.countersOnly || lastWriteMs === undefined) return 0;
  const wait = lastWriteMs + intervalMs - nowMs;
  return wait > 0 ? Math.ceil(wait) : 0;
}
