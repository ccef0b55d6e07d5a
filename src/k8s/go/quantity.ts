/**
 * @module revision/quantity
 * resource.Quantity as k8s.io/apimachinery v0.36 parses and prints it, so that quantities in a
 * LeaderWorkerSet serialise to the very bytes Go would write (`0.5` → `500m`, `1024Mi` → `1Gi`).
 *
 * Values are exact: `unscaled × 10^exp10` with a bigint mantissa. Upstream keeps small values in an
 * int64 fast path and big ones in inf.Dec; both print the same canonical text, but only the fast
 * path remembers the input string, so the fast-path test is replayed here to know when Go echoes
 * the input verbatim (`100m`, `+1`, `1025Mi`) instead of canonicalising it.
 */

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export interface Quantity {
  unscaled: bigint;
  exp10: number;
  format: QuantityFormat;
  /** The input text, when upstream caches it; MarshalJSON then returns it unchanged. */
  cached?: string;
}

export class QuantityParseError extends Error {}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = 'eEinumkKMGTP';
const MAX_INT64 = (1n << 63n) - 1n;
const NANO = -9;

export const ZERO_QUANTITY: Readonly<Quantity> = Object.freeze({ unscaled: 0n, exp10: 0, format: 'DecimalSI' });

interface Parts {
  positive: boolean;
  /** Sign, digits and point as written (leading zeros kept). */
  value: string;
  /** Integer digits without leading zeros ("0" when none). */
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Splits like upstream's parseQuantityString, quirks included ("5." and "Ki" are accepted). */
function split(str: string): Parts {
  let pos = 0;
  let positive = true;
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+';
    pos++;
  }
  while (str[pos] === '0') pos++;
  if (pos >= str.length) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (isDigit(str[i])) i++;
  if (i >= str.length) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= str.length) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < str.length && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos < str.length) throw new QuantityParseError(`quantity ${JSON.stringify(str)}: wrong format`);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

function interpret(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  const dec = DECIMAL_SUFFIXES[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const parsed = BigInt(suffix.slice(1));
    // strconv.ParseInt(…, 64) must succeed; the int32 conversion then wraps.
    if (BigInt.asIntN(64, parsed) === parsed) {
      return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
    }
  }
  throw new QuantityParseError(`quantity suffix ${JSON.stringify(suffix)} is not recognised`);
}

/** Parses like resource.ParseQuantity. Throws QuantityParseError where Go returns an error. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError('quantity is empty');
  if (str === '0') return { ...ZERO_QUANTITY, cached: '0' };
  const p = split(str);
  const { base, exponent, format } = interpret(p.suffix);
  return fastPath(str, p, exponent, format) ?? slowPath(p, base, exponent, format);
}

/** Upstream's int64 path: exact values that fit, with the input string kept when already tidy. */
function fastPath(str: string, p: Parts, exponent: number, format: QuantityFormat): Quantity | undefined {
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (p.denom.length > 0) return undefined;
    mantissa = 1n << BigInt(exponent);
    precision = 15 - p.num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else {
    scale = exponent;
    precision = 18 - (p.num.length + p.denom.length);
  }
  if (precision < 0) return undefined;
  scale -= p.denom.length;
  if (scale < NANO) return undefined;
  const shifted = p.num + p.denom;
  const value = BigInt(shifted);
  let result = value * mantissa;
  if (result > MAX_INT64) return undefined; // int64Multiply overflowed
  if (!p.positive) result = -result;
  const q: Quantity =
    format === 'BinarySI' ? { unscaled: result, exp10: 0, format } : { unscaled: result, exp10: scale, format };
  const keep =
    format === 'BinarySI' ? (value & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  if (keep) q.cached = str;
  return q;
}

/** Upstream's inf.Dec path: exact, then rounded away from zero to nano precision. */
function slowPath(p: Parts, base: 2 | 10, exponent: number, format: QuantityFormat): Quantity {
  const m = /^[+-]?([0-9]*)(?:\.([0-9]*))?$/.exec(p.value);
  if (m === null || !/[0-9]/.test(p.value)) throw new QuantityParseError('unable to parse numeric part of quantity');
  const frac = m[2] ?? '';
  let magnitude = BigInt((m[1] ?? '') + frac || '0');
  let exp10 = -frac.length;
  if (base === 10) exp10 += exponent;
  else magnitude <<= BigInt(exponent);
  if (magnitude !== 0n && exp10 < NANO) {
    magnitude = ceilShift(magnitude, NANO - exp10);
    exp10 = NANO;
  }
  if (format === 'BinarySI') {
    if (compare(magnitude, exp10, MAX_INT64, 0) > 0) [magnitude, exp10] = [MAX_INT64, 0];
    if (magnitude !== 0n && compare(magnitude, exp10, 1n, 0) < 0) format = 'DecimalSI';
  }
  return { unscaled: p.positive ? magnitude : -magnitude, exp10, format };
}

/** ceil(m / 10^digits) for m > 0, without building huge powers for absurd exponents. */
function ceilShift(m: bigint, digits: number): bigint {
  if (digits > m.toString().length) return 1n;
  const div = 10n ** BigInt(digits);
  return (m + div - 1n) / div;
}

/** Compares a×10^ea with b×10^eb. */
function compare(a: bigint, ea: number, b: bigint, eb: number): number {
  const e = Math.min(ea, eb);
  const x = a * 10n ** BigInt(ea - e);
  const y = b * 10n ** BigInt(eb - e);
  return x === y ? 0 : x < y ? -1 : 1;
}

export function isZeroQuantity(q: Quantity): boolean {
  return q.unscaled === 0n;
}

/** The canonical text (Quantity.String without a cached string). */
export function canonicalQuantity(q: Quantity): string {
  if (q.unscaled === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const small = compare(abs(q.unscaled), q.exp10, 1024n, 0) < 0;
    const whole = asInteger(q.unscaled, q.exp10);
    if (!small && whole !== undefined) return base1024(whole);
    format = 'DecimalSI';
  }
  let mantissa = q.unscaled;
  let exp = q.exp10;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp++;
  }
  // Lower the exponent to a multiple of three (Go's % truncates, hence the double mod).
  const down = ((exp % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(down);
  exp -= down;
  if (format === 'DecimalExponent') return exp === 0 ? `${mantissa}` : `${mantissa}e${exp}`;
  // Exponents beyond the SI table print with no suffix at all: an upstream quirk, kept.
  const suffix = Object.entries(DECIMAL_SUFFIXES).find(([, e]) => e === exp)?.[0] ?? '';
  return `${mantissa}${suffix}`;
}

function base1024(n: bigint): string {
  let times = 0;
  while (abs(n) >= 1024n && n % 1024n === 0n) {
    n /= 1024n;
    times++;
  }
  const suffix = Object.entries(BINARY_SUFFIXES).find(([, e]) => e === times * 10)?.[0] ?? '';
  return `${n}${suffix}`;
}

function asInteger(unscaled: bigint, exp10: number): bigint | undefined {
  if (exp10 >= 0) return unscaled * 10n ** BigInt(exp10);
  const div = 10n ** BigInt(-exp10);
  return unscaled % div === 0n ? unscaled / div : undefined;
}

const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** What Quantity.MarshalJSON writes (without the quotes). */
export function quantityString(q: Quantity): string {
  return q.cached ?? canonicalQuantity(q);
}

/** strings.TrimSpace: Unicode White_Space (unlike String.prototype.trim, not U+FEFF). */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

/**
 * Quantity.UnmarshalJSON on a value from the apiserver: null is zero; a number arrives as Go
 * printed it; a string arrives as the raw token, quotes stripped but escapes kept, so text the
 * apiserver had to escape can never parse.
 */
export function quantityFromJSON(input: unknown): Quantity {
  if (input === undefined || input === null) return ZERO_QUANTITY;
  if (typeof input === 'number' && Number.isFinite(input)) {
    return parseQuantity(Object.is(input, -0) ? '-0' : String(input));
  }
  // eslint-disable-next-line no-control-regex -- control characters are among what Go escapes
  if (typeof input === 'string' && !/[\u0000-\u001f"\\<>&\u2028\u2029]/.test(input)) {
    return parseQuantity(input.replace(GO_TRIM, ''));
  }
  throw new QuantityParseError(`cannot decode ${JSON.stringify(input)} as a quantity`);
}

/** Quantity.IsZero of a wire value; text that does not parse counts as zero (the apiserver rejects it anyway). */
export function isNonZeroQuantity(value: unknown): boolean {
  try {
    return !isZeroQuantity(quantityFromJSON(value));
  } catch {
    return false;
  }
}

/**
 * Quantity.Add on a copy of `a`: the exact sum; the cached text is dropped, and the format is `b`'s when `a`
 * is zero (Go's rule), `a`'s otherwise.
 */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const e = Math.min(a.exp10, b.exp10);
  const unscaled = a.unscaled * 10n ** BigInt(a.exp10 - e) + b.unscaled * 10n ** BigInt(b.exp10 - e);
  return { unscaled, exp10: e, format: a.unscaled === 0n ? b.format : a.format };
}

/** Quantity.Cmp: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  return compare(a.unscaled, a.exp10, b.unscaled, b.exp10);
}
