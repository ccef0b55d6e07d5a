/**
 * @module core/conditions
 * The three LWS conditions and upstream's setCondition rules. A condition is only ever *set* True; setting
 * Available flips a True Progressing/UpdateInProgress to False and vice versa (Progressing and
 * UpdateInProgress may both be True). An existing condition is rewritten (fresh lastTransitionTime) only when
 * its status or observedGeneration differs.
 */
import { CONDITION_AVAILABLE, CONDITION_PROGRESSING, CONDITION_UPDATE_IN_PROGRESS } from '../api/keys.ts';
import type { Condition } from '../../k8s/client/objects.ts';
import { ALL_GROUPS_READY, GROUPS_PROGRESSING, GROUPS_UPDATING } from './events.ts';

export type ConditionType =
  typeof CONDITION_AVAILABLE | typeof CONDITION_PROGRESSING | typeof CONDITION_UPDATE_IN_PROGRESS;

const TEXTS: Record<ConditionType, { reason: string; message: string }> = {
  [CONDITION_AVAILABLE]: { reason: ALL_GROUPS_READY, message: 'All replicas are ready' },
  [CONDITION_PROGRESSING]: { reason: GROUPS_PROGRESSING, message: 'Replicas are progressing' },
  [CONDITION_UPDATE_IN_PROGRESS]: { reason: GROUPS_UPDATING, message: 'Rolling Upgrade is in progress' },
};

/** metav1.Time: RFC 3339 in UTC with whole seconds. */
export function formatTime(time: Date): string {
  return time.toISOString().replace(/\.[0-9]+Z$/, 'Z');
}

export function makeCondition(type: ConditionType, generation: number, now: Date): Condition {
  const { reason, message } = TEXTS[type];
  return { type, status: 'True', lastTransitionTime: formatTime(now), observedGeneration: generation, reason, message };
}

/** Available excludes both Progressing and UpdateInProgress. */
export function exclusiveConditionTypes(a: string, b: string): boolean {
  const pair = new Set([a, b]);
  return pair.has(CONDITION_AVAILABLE) && (pair.has(CONDITION_PROGRESSING) || pair.has(CONDITION_UPDATE_IN_PROGRESS));
}

/** Go reads an absent observedGeneration as 0. */
const generationOf = (c: Condition): number => c.observedGeneration ?? 0;

/** Applies one condition to `conditions` in place; true when anything changed. */
export function setCondition(conditions: Condition[], wanted: Condition, now: Date): boolean {
  const incoming: Condition = { ...wanted, lastTransitionTime: formatTime(now) };
  let found = false;
  let changed = false;
  const existingCount = conditions.length;
  for (let i = 0; i < existingCount; i++) {
    const current = conditions[i]!;
    if (current.type === incoming.type) {
      if (current.status !== incoming.status || generationOf(current) !== generationOf(incoming)) {
        conditions[i] = { ...incoming };
        changed = true;
      }
      found = true;
    } else if (
      exclusiveConditionTypes(current.type, incoming.type) &&
      incoming.status === 'True' &&
      current.status === 'True'
    ) {
      // Reason and message stay: "Available False, All replicas are ready" reads as "no longer available".
      conditions[i] = {
        ...current,
        status: 'False',
        lastTransitionTime: formatTime(now),
        observedGeneration: incoming.observedGeneration,
      };
      changed = true;
    }
  }
  if (incoming.status === 'True' && !found) {
    conditions.push(incoming);
    changed = true;
  }
  return changed;
}

/**
 * Applies conditions in order, then stamps observedGeneration on all. Like upstream's
 * `changed = changed || setCondition(...)`, the conditions after the first one that changes something are
 * not applied this pass (so a new UpdateInProgress lands one pass before its Progressing).
 */
export function setConditions(conditions: Condition[], wanted: readonly Condition[], generation: number, now: Date) {
  let changed = false;
  for (const condition of wanted) changed = changed || setCondition(conditions, condition, now);
  for (let i = 0; i < conditions.length; i++) {
    if (generationOf(conditions[i]!) !== generation) {
      conditions[i] = { ...conditions[i]!, observedGeneration: generation };
      changed = true;
    }
  }
  return changed;
}
