/**
 * @module core/intstr
 * apimachinery's `GetScaledValueFromIntOrPercent`: an absolute number, or a percentage of `total` rounded
 * down (maxUnavailable) or up (maxSurge). Error texts are Go's, since upstream surfaces them as reconcile errors.
 */
import type { IntOrString } from '../../lws/api/types.ts';

/** Go `strconv.Atoi` for the base-10 digits of a percentage. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (!value.endsWith('%')) {
    throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  }
  let percent: number;
  try {
    percent = atoi(value.slice(0, -1));
  } catch (e) {
    throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** maxUnavailable as a count of groups: rounded down. */
export const scaledMaxUnavailable = (value: IntOrString, replicas: number): number =>
  scaledValue(value, replicas, false);

/** maxSurge as a count of groups: rounded up, and never more than the replicas themselves. */
export const scaledMaxSurge = (value: IntOrString, replicas: number): number =>
  Math.min(scaledValue(value, replicas, true), replicas);
