/**
 * @module core/observations
 * What the metrics observe, decided from plain objects: when a rolling update finished and how long it took,
 * and when a group turned Ready and how long after its leader was created. Pure; the shell calls these from
 * watch events and records the results (controllers/lws-metrics).
 */
import type { LeaderWorkerSet } from '../api/types.ts';
import type { Pod } from '../../k8s/client/objects.ts';
import { WORKER_INDEX_LABEL } from '../api/keys.ts';
import { podRunningAndReady } from './pod-readiness.ts';

const UPDATE_IN_PROGRESS = 'UpdateInProgress';

const conditionOf = (lws: LeaderWorkerSet | undefined, type: string) =>
  lws?.status?.conditions?.find((c) => c.type === type);

const timeOf = (t: string | undefined): number | undefined => {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * A rolling update that ended between `before` and `after`: UpdateInProgress was True and no longer is. Its
 * duration runs from that condition's transition to True until its transition away from True (the update of
 * `after`, or `now` when the condition is gone). Undefined when no rollout ended here.
 */
export function finishedRollout(
  before: LeaderWorkerSet | undefined,
  after: LeaderWorkerSet,
  now: Date,
): { seconds: number } | undefined {
  const was = conditionOf(before, UPDATE_IN_PROGRESS);
  if (was?.status !== 'True') return undefined;
  const is = conditionOf(after, UPDATE_IN_PROGRESS);
  if (is?.status === 'True') return undefined;
  const start = timeOf(was.lastTransitionTime);
  if (start === undefined) return undefined;
  const end = (is && timeOf(is.lastTransitionTime)) ?? now.getTime();
  return { seconds: Math.max(0, (end - start) / 1000) };
}

/**
 * A group that is Ready: `size` pods, none terminating, all running and ready, the leader (worker index 0)
 * among them. The time to Ready runs from the leader's creation to the last pod's Ready transition, so it
 * covers scheduling, image pulls and start-up of the whole group. Undefined while the group is not Ready.
 */
export function readyGroup(pods: readonly Pod[], size: number): { leaderUid: string; seconds: number } | undefined {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  if (live.length < size) return undefined;
  const leader = live.find((p) => (p.metadata.labels?.[WORKER_INDEX_LABEL] ?? '0') === '0');
  if (!leader?.metadata.uid) return undefined;
  if (!live.every(podRunningAndReady)) return undefined;
  const created = timeOf(leader.metadata.creationTimestamp);
  if (created === undefined) return undefined;
  const readyAt = Math.max(
    ...live.map((p) => timeOf(p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime) ?? created),
  );
  return { leaderUid: leader.metadata.uid, seconds: Math.max(0, (readyAt - created) / 1000) };
}
