/**
 * @module k8s/go/duration
 * Go's `time.ParseDuration` and `Duration.String`, because upstream's flags and Configuration file take Go
 * durations ("15s", "1m30s", "1.5h", "300ms", "0") and users copy them from upstream's docs.
 */

import { UsageError } from './errors.ts';

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** A text that `time.ParseDuration` rejects; the message is Go's. */
export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

const quote = (s: string) => JSON.stringify(s);

/** Milliseconds (possibly fractional) of a Go duration string; throws DurationError with Go's message. */
export function parseGoDuration(text: string): number {
  const invalid = () => new DurationError(`time: invalid duration ${quote(text)}`);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let totalNs = 0;
  while (s !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [all, whole = '', fraction] = number;
    // Go requires digits before or after the dot.
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    s = s.slice(all.length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') throw new DurationError(`time: missing unit in duration ${quote(text)}`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) throw new DurationError(`time: unknown unit ${quote(unit)} in duration ${quote(text)}`);
    s = s.slice(unit.length);
    totalNs += Number(`${whole || '0'}.${fraction || '0'}`) * scale;
  }
  // Go's int64 nanoseconds overflow at about 292 years.
  if (totalNs > 2 ** 63 - 1) throw invalid();
  return (sign * totalNs) / 1e6;
}

/** Go's `Duration.String()` for whole milliseconds: "15s", "1m30s", "2h0m0s", "500ms", "0s". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${trim(rest)}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = `${trim(rest / 1000)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

const trim = (n: number) => String(Number(n.toFixed(9)));

/**
 * A command-line duration flag: Go's syntax, whole milliseconds, never negative. The UsageError names the flag
 * and carries Go's reason.
 */
export function parseDurationFlag(text: string, flag: string): number {
  let ms: number;
  try {
    ms = parseGoDuration(text.trim());
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message} (examples: 500ms, 2s, 1m30s)`);
  }
  if (ms < 0) throw new UsageError(`${flag}: must not be negative, got "${text}"`);
  return Math.round(ms);
}
