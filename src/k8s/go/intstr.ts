/**
 * @module k8s/go/intstr
 * apimachinery's IntOrString: a JSON number is the Int form, a JSON string the String form (usually a percentage).
 * `scaledValue` is `GetScaledValueFromIntOrPercent` with Go's error texts (upstream surfaces them as reconcile
 * errors); `isValidPercent` and `percentValue` are the validators' helpers.
 */
import { atoi } from './format.ts';
import { regexError } from '../validation/object-meta.ts';

/** An intstr.IntOrString: an absolute number or a percentage such as "25%". */
export type IntOrString = number | string;

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

const PERCENT_FMT = '[0-9]+%';
const PERCENT = new RegExp(`^${PERCENT_FMT}$`);

export function isValidPercent(value: string): string[] {
  if (PERCENT.test(value)) return [];
  return [
    regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%'),
  ];
}

/** The percentage of a valid percent string, undefined otherwise (upstream's `getPercentValue`). */
export function percentValue(value: IntOrString): number | undefined {
  if (typeof value !== 'string' || isValidPercent(value).length > 0) return undefined;
  try {
    return atoi(value.slice(0, -1));
  } catch {
    // Only digits get here, so the error is an overflow, where Atoi's ignored result saturates at int64 max.
    return Number.MAX_SAFE_INTEGER;
  }
}
