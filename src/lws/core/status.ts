/**
 * @module core/status
 * The LWS status the reconciler writes each pass (upstream updateStatus + updateConditions): group counters,
 * hpaPodSelector, and exactly one condition set True per pass. Zero values are left out, as Go's omitempty
 * does on the wire.
 */
import {
  CONDITION_AVAILABLE,
  CONDITION_PROGRESSING,
  CONDITION_UPDATE_IN_PROGRESS,
  GROUP_INDEX_LABEL,
  REVISION_KEY_LABEL,
} from '../api/keys.ts';
import type { LeaderWorkerSet, LeaderWorkerSetStatus } from '../api/types.ts';
import type { Condition, KubeObject, Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { makeCondition, setConditions } from './conditions.ts';
import { conditionChanged, type CoreEvent } from './events.ts';
import { parseGroupIndex } from './group-states.ts';
import { leaderSelector } from './leader-statefulset.ts';
import { groupSize, lwsGeneration, rolloutSettings, specReplicas } from './lws-spec.ts';
import { podRunningAndReady, statefulSetReady } from './pod-readiness.ts';

export interface StatusResult {
  status: LeaderWorkerSetStatus;
  /** The condition-change event, when conditions changed. */
  events: CoreEvent[];
  /** Every desired group runs the current revision and is ready, with no spec partition: old revisions can go. */
  updateDone: boolean;
  /** Whether `status` differs from what the LWS carries (upstream only writes then). */
  changed: boolean;
}

export interface GroupCounts {
  /** Ready groups, surge groups included. */
  ready: number;
  /** Updated groups, surge groups included. */
  updated: number;
  /** Ready groups among the desired indices (< replicas). */
  readyDesired: number;
  /** Desired groups at or above the spec partition: the ones the rollout must update. */
  inScope: number;
  updatedInScope: number;
  updatedAndReadyInScope: number;
}

const revisionOf = (obj: KubeObject): string => obj.metadata.labels?.[REVISION_KEY_LABEL] ?? '';

/** `<key>=<value>` pairs sorted by key, as labels.Selector.String() renders a matchLabels selector. */
export function hpaPodSelector(lws: LeaderWorkerSet): string {
  return Object.entries(leaderSelector(lws))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/**
 * Counts over the leader pods. A group whose worker StatefulSet does not exist (size > 1) is skipped
 * altogether; a leader pod whose group-index label does not parse fails the pass, as upstream.
 */
export function countGroups(
  lws: LeaderWorkerSet,
  leaderPods: readonly Pod[],
  workerStatefulSets: readonly StatefulSet[],
  revisionKey: string,
): GroupCounts {
  const replicas = specReplicas(lws);
  const partition = rolloutSettings(lws).partition;
  const noWorkers = groupSize(lws) === 1;
  const workersByName = new Map(workerStatefulSets.map((sts) => [sts.metadata.name, sts]));
  const counts: GroupCounts = {
    ready: 0,
    updated: 0,
    readyDesired: 0,
    inScope: 0,
    updatedInScope: 0,
    updatedAndReadyInScope: 0,
  };
  for (const pod of leaderPods) {
    const index = parseGroupIndex(pod);
    if (index === undefined) {
      const label = pod.metadata.labels?.[GROUP_INDEX_LABEL] ?? '';
      throw new Error(`strconv.Atoi: parsing ${JSON.stringify(label)}: invalid syntax`);
    }
    const sts = noWorkers ? undefined : workersByName.get(pod.metadata.name);
    if (!noWorkers && !sts) continue;
    const desired = index < replicas;
    const inScope = desired && index >= partition;
    if (inScope) counts.inScope++;
    const ready = (!sts || statefulSetReady(sts)) && podRunningAndReady(pod);
    const updated = (!sts || revisionOf(sts) === revisionKey) && revisionOf(pod) === revisionKey;
    if (ready) counts.ready++;
    if (updated) {
      counts.updated++;
      if (inScope) counts.updatedInScope++;
    }
    if (desired && ready) counts.readyDesired++;
    if (inScope && ready && updated) counts.updatedAndReadyInScope++;
  }
  return counts;
}

/** The single condition this pass sets True (UpdateInProgress comes with Progressing). */
function wantedConditions(lws: LeaderWorkerSet, counts: GroupCounts, now: Date): Condition[] {
  const generation = lwsGeneration(lws);
  if (counts.updatedInScope < counts.inScope) {
    return [
      makeCondition(CONDITION_UPDATE_IN_PROGRESS, generation, now),
      makeCondition(CONDITION_PROGRESSING, generation, now),
    ];
  }
  if (counts.readyDesired === specReplicas(lws) && counts.updatedAndReadyInScope === counts.inScope) {
    return [makeCondition(CONDITION_AVAILABLE, generation, now)];
  }
  return [makeCondition(CONDITION_PROGRESSING, generation, now)];
}

/** Drops Go zero values so the result matches what an omitempty status looks like on the wire. */
function withoutZeroValues(status: LeaderWorkerSetStatus): LeaderWorkerSetStatus {
  const out: LeaderWorkerSetStatus = {};
  if (status.conditions && status.conditions.length > 0) out.conditions = status.conditions;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.updatedReplicas) out.updatedReplicas = status.updatedReplicas;
  if (status.replicas) out.replicas = status.replicas;
  if (status.hpaPodSelector) out.hpaPodSelector = status.hpaPodSelector;
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  return out;
}

/**
 * `leaderSts` is the leader StatefulSet as last read (its status.replicas becomes status.replicas);
 * `leaderPods` the pods labelled with the LWS name and worker-index 0; `workerStatefulSets` the LWS's
 * StatefulSets (the leader one may be included: it is never named like a leader pod).
 */
export function computeStatus(
  lws: LeaderWorkerSet,
  leaderSts: StatefulSet | undefined,
  leaderPods: readonly Pod[],
  workerStatefulSets: readonly StatefulSet[],
  revisionKey: string,
  now: Date,
): StatusResult {
  const previous = lws.status ?? {};
  const counts = countGroups(lws, leaderPods, workerStatefulSets, revisionKey);
  const conditions = structuredClone(previous.conditions ?? []);
  const wanted = wantedConditions(lws, counts, now);
  const conditionsChanged = setConditions(conditions, wanted, lwsGeneration(lws), now);

  const status = withoutZeroValues({
    conditions,
    readyReplicas: counts.ready,
    updatedReplicas: counts.updated,
    replicas: leaderSts?.status?.replicas ?? 0,
    hpaPodSelector: previous.hpaPodSelector || hpaPodSelector(lws),
    observedGeneration: lwsGeneration(lws),
  });
  const countersChanged =
    (previous.readyReplicas ?? 0) !== counts.ready ||
    (previous.updatedReplicas ?? 0) !== counts.updated ||
    (previous.replicas ?? 0) !== (status.replicas ?? 0) ||
    (previous.observedGeneration ?? 0) !== lwsGeneration(lws) ||
    !previous.hpaPodSelector;

  const first = wanted[0]!;
  const events = conditionsChanged
    ? [conditionChanged(first.reason!, first.message!, counts.ready, specReplicas(lws))]
    : [];
  const updateDone = rolloutSettings(lws).partition === 0 && counts.updatedAndReadyInScope === specReplicas(lws);
  return { status, events, updateDone, changed: countersChanged || conditionsChanged };
}
