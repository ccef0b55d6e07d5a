/**
 * @module core/rollout
 * The leader StatefulSet's `replicas` and `rollingUpdate.partition` for this pass (upstream
 * rollingUpdateParameters and helpers). Groups are updated from the highest index down by lowering the
 * partition, at most maxUnavailable (+ surge) at a time; with maxSurge, extra groups `<lws>-<R>..` are added
 * for the duration of the update and removed (highest first) as the budget allows. The partition only moves
 * down and never below the LWS's own spec partition.
 */
import { REPLICAS_ANNOTATION } from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { StatefulSet } from '../../k8s/client/objects.ts';
import { surgeReplicaDeleted, surgeReplicasDeleted, type CoreEvent } from './events.ts';
import type { GroupState } from './group-states.ts';
import { scaledMaxSurge, scaledMaxUnavailable } from './lws-spec.ts';
import { lwsName, rolloutSettings, specReplicas } from './lws-spec.ts';

export { groupStates, type GroupState } from './group-states.ts';

export interface RolloutParameters {
  partition: number;
  replicas: number;
  /** Surge-group deletions announced while deciding (GroupsProgressing/Delete). */
  events: CoreEvent[];
}

/** The leader StatefulSet's current partition (the apiserver defaults it to 0). */
export const statefulSetPartition = (sts: StatefulSet): number =>
  sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
/** The leader StatefulSet's desired replicas (apiserver default 1). */
export const statefulSetReplicas = (sts: StatefulSet): number => sts.spec?.replicas ?? 1;

/**
 * Replicas to run while `unready` of the R desired groups are not (ready and updated): the full surge while
 * more than maxSurge are unready, else only as many surge groups as needed to stay within maxUnavailable.
 */
export function rollingUpdateReplicas(
  replicas: number,
  maxSurge: number,
  maxUnavailable: number,
  unready: number,
): number {
  if (unready <= maxSurge) return replicas + Math.max(0, unready - maxUnavailable);
  return replicas + maxSurge;
}

/** Desired groups (indices < R) that are not both ready and updated; missing states count as unready. */
export function unreadyDesiredGroups(states: readonly GroupState[], replicas: number): number {
  let unready = 0;
  for (let index = 0; index < replicas; index++) {
    const state = states[index];
    if (!state || !state.ready || !state.updated) unready++;
  }
  return unready;
}

/** Ready-and-updated groups counted from the highest index down, stopping at the first other one. */
export function readyUpdatedTail(states: readonly GroupState[]): number {
  let tail = 0;
  for (let index = states.length - 1; index >= 0; index--) {
    const state = states[index]!;
    if (!state.ready || !state.updated) break;
    tail++;
  }
  return tail;
}

/** Next partition while rolling: at most `rollingStep` more groups become unavailable, never moving up. */
export function rollingUpdatePartition(
  states: readonly GroupState[],
  stsReplicas: number,
  rollingStep: number,
  currentPartition: number,
): number {
  const base = Math.max(0, stsReplicas - readyUpdatedTail(states) - rollingStep);
  // Groups below the step that are already down use up budget: keep that many more old groups.
  let unavailable = 0;
  for (let index = 0; index < base; index++) if (!states[index]?.ready) unavailable++;
  let partition = base + unavailable;
  // Groups that are down anyway (or already updated) can be rolled for free; stop at the first healthy old one.
  for (let index = Math.min(partition, stsReplicas - 1); index >= base; index--) {
    const state = states[index];
    if (!state?.ready || state.updated) partition = index;
    else break;
  }
  return Math.min(partition, currentPartition);
}

/**
 * Leader StatefulSet replicas for `unready` desired groups (rollingUpdateReplicas with the LWS's settings),
 * announcing the surge groups this removes from the current `stsReplicas`.
 */
export function wantReplicas(
  lws: LeaderWorkerSet,
  stsReplicas: number,
  unready: number,
): { replicas: number; events: CoreEvent[] } {
  const replicas = specReplicas(lws);
  const settings = rolloutSettings(lws);
  const wanted = rollingUpdateReplicas(
    replicas,
    scaledMaxSurge(settings.maxSurge, replicas),
    scaledMaxUnavailable(settings.maxUnavailable, replicas),
    unready,
  );
  const name = lwsName(lws);
  if (wanted === stsReplicas - 1) return { replicas: wanted, events: [surgeReplicaDeleted(name, wanted)] };
  if (wanted < stsReplicas) return { replicas: wanted, events: [surgeReplicasDeleted(name, wanted, stsReplicas - 1)] };
  return { replicas: wanted, events: [] };
}

/** Go strconv.Atoi of the leader StatefulSet's replicas annotation (upstream fails the reconcile otherwise). */
function recordedReplicas(sts: StatefulSet): number {
  const value = sts.metadata.annotations?.[REPLICAS_ANNOTATION] ?? '';
  if (!/^[+-]?[0-9]+$/.test(value)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`);
  return Number(value);
}

/**
 * `states` is groupStates() for the current leader StatefulSet (only read mid-rollout); `lwsUpdated` is true
 * on the pass that created a new revision for a changed template.
 */
export function rollingUpdateParameters(
  lws: LeaderWorkerSet,
  leaderSts: StatefulSet | undefined,
  states: readonly GroupState[],
  lwsUpdated: boolean,
): RolloutParameters {
  const settings = rolloutSettings(lws);
  const result = decide(lws, leaderSts, states, lwsUpdated);
  // Groups below the spec partition are never updated.
  return { ...result, partition: Math.max(result.partition, settings.partition) };
}

function decide(
  lws: LeaderWorkerSet,
  sts: StatefulSet | undefined,
  states: readonly GroupState[],
  lwsUpdated: boolean,
): RolloutParameters {
  const replicas = specReplicas(lws);
  // A new LWS: everything is created from the current template in parallel.
  if (!sts) return { partition: 0, replicas, events: [] };

  const settings = rolloutSettings(lws);
  const stsReplicas = statefulSetReplicas(sts);
  const maxSurge = scaledMaxSurge(settings.maxSurge, replicas);
  const maxUnavailable = scaledMaxUnavailable(settings.maxUnavailable, replicas);
  const burstReplicas = replicas + maxSurge;
  const events: CoreEvent[] = [];
  const want = (unready: number): number => {
    const wanted = wantReplicas(lws, stsReplicas, unready);
    events.push(...wanted.events);
    return wanted.replicas;
  };

  if (lwsUpdated) {
    // Scale up first (new groups get the new template from the start), then roll from the top.
    const partition = Math.min(replicas, stsReplicas);
    if (stsReplicas < replicas) return { partition, replicas, events };
    return { partition, replicas: want(replicas), events };
  }

  const partition = statefulSetPartition(sts);
  if (partition === 0 && stsReplicas === replicas) return { partition: 0, replicas, events };
  if (stsReplicas < replicas) return { partition, replicas, events };

  const unready = unreadyDesiredGroups(states, replicas);
  if (recordedReplicas(sts) !== replicas) {
    // Replicas changed mid-rollout: hold the partition (capped to the new burst size) and resize.
    return { partition: Math.min(partition, burstReplicas), replicas: want(unready), events };
  }

  // Reclaiming surge groups also makes groups unavailable, so what is left of the surge joins the step.
  const rollingStep = maxUnavailable + maxSurge - (burstReplicas - stsReplicas);
  const next = rollingUpdatePartition(states, stsReplicas, rollingStep, partition);
  return { partition: next, replicas: want(unready), events };
}
