/**
 * @module webhooks/intstr
 * apimachinery's IntOrString arithmetic as upstream's validator uses it (`GetScaledValueFromIntOrPercent`,
 * `IsValidPercent`). A JSON number is the Int form, a JSON string the String form.
 */
import type { IntOrString } from '../../lws/api/types.ts';
import { atoi } from './format.ts';
import { regexError } from '../validation/object-meta.ts';

const PERCENT_FMT = '[0-9]+%';
const PERCENT = new RegExp(`^${PERCENT_FMT}$`);

export function isValidPercent(value: string): string[] {
  if (PERCENT.test(value)) return [];
  return [
    regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%'),
  ];
}

/**
 * Scaled value of an absolute number or a percentage of `total` (rounded up or down); an Error for a string
 * that is not a percentage (upstream only checks that an error occurred, so its text is ours).
 */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error('invalid type: string is not a percentage');
  const percent = atoi(value.slice(0, -1));
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
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
