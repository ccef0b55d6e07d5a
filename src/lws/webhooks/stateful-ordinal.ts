/**
 * @module webhooks/stateful-ordinal
 * Upstream's `GetParentNameAndOrdinal` result as the webhooks use it: a StatefulSet pod's parent name and
 * ordinal, or nothing when the name has no ordinal that fits an int32 (upstream's ordinal -1).
 */
import { parseOrdinal } from '../core/names.ts';

const MAX_INT32 = 2147483647;

export function statefulPodOrdinal(podName: string): { parent: string; ordinal: number } | undefined {
  const parsed = parseOrdinal(podName);
  return parsed && parsed.ordinal <= MAX_INT32 ? parsed : undefined;
}
