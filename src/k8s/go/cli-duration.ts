/**
 * @module cli/duration
 * Go-style durations ("500ms", "2s", "1m30s") → milliseconds.
 */
import { UsageError } from '../../cli/usage-error.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string, flag: string): number {
  const parts = /^((?:\d+(?:\.\d+)?(?:ms|s|m|h))+)$/.exec(text.trim());
  if (!parts) throw new UsageError(`${flag}: invalid duration "${text}" (examples: 500ms, 2s, 1m30s)`);
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(total);
}
