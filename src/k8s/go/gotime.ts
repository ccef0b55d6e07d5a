/**
 * @module revision/gotime
 * metav1.Time's JSON form: parsed as Go's time.Parse(time.RFC3339, …) does, written back in UTC
 * with whole seconds, and `null` for Go's zero time (0001-01-01T00:00:00Z).
 */

export interface GoTime {
  /** Seconds since 1970-01-01T00:00:00Z (years 0–9999 fit a double exactly). */
  unix: number;
  nanos: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;
const ZERO_UNIX = daysFromCivil(1, 1, 1) * 86400;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const DAYS_IN = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** undefined where Go returns a parse error. */
export function parseGoTime(s: string): GoTime | undefined {
  const m = RFC3339.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, min, sec] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || min > 59 || sec > 59) return undefined;
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN[month - 1]!;
  if (day < 1 || day > monthDays) return undefined;
  let offset = 0;
  const zone = m[8]!;
  if (zone !== 'Z') {
    const [hh, mm] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
    if (hh > 23 || mm > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (hh * 60 + mm) * 60;
  }
  // Go reads at most nine fractional digits and ignores the rest.
  const nanos = Number((m[7] ?? '').slice(0, 9).padEnd(9, '0'));
  const unix = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec - offset;
  return { unix, nanos };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Time.MarshalJSON's text (RFC 3339, UTC, no fraction), or null for the zero time. */
export function formatGoTime(t: GoTime): string | null {
  if (t.unix === ZERO_UNIX && t.nanos === 0) return null;
  const days = Math.floor(t.unix / 86400);
  const rest = t.unix - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const year = y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
  const clock = `${pad(Math.floor(rest / 3600), 2)}:${pad(Math.floor(rest / 60) % 60, 2)}:${pad(rest % 60, 2)}`;
  return `${year}-${pad(mo, 2)}-${pad(d, 2)}T${clock}Z`;
}
