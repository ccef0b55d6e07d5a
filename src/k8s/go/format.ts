/**
 * @module webhooks/go-format
 * The few Go formatting and parsing behaviours that leak into upstream's user-visible messages:
 * `%q` quoting, `encoding/json` string escaping, and `strconv.Atoi` errors.
 */
import { AdmissionError } from '../admission/errors.ts';

const HEX = '0123456789abcdef';
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const Q_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

function hex(n: number, width: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) s += HEX[(n >> (4 * i)) & 0xf];
  return s;
}

/** Go's `%q` / `strconv.Quote`: printable runes kept, everything else escaped Go-style. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = Q_ESCAPES[ch];
    if (esc) out += esc;
    else if (PRINTABLE.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
      else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
      else out += `\\U${hex(cp, 8)}`;
    }
  }
  return out + '"';
}

/** A string as Go's `encoding/json` writes it (HTML-safe escaping of <, >, &; U+2028/2029 escaped). */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) {
      out += `\\u${hex(cp, 4)}`;
    } else out += ch;
  }
  return out + '"';
}

/** JSON as Go's `json.Marshal` renders the values upstream reports (scalars, null, arrays, plain objects). */
export function goJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  // Go marshals maps with sorted keys.
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${goJsonString(k)}:${goJson(v)}`).join(',')}}`;
}

const INT64_MAX = 9223372036854775807n;
const UINT64_MAX = 18446744073709551615n;

/**
 * Go's `strconv.Atoi`. Its error (`strconv.Atoi: parsing "x": invalid syntax`) is what upstream's webhooks return
 * verbatim, hence an AdmissionError.
 */
export function atoi(s: string): number {
  const fail = (why: string) => new AdmissionError(`strconv.Atoi: parsing ${goQuote(s)}: ${why}`);
  let digits = s;
  let negative = false;
  if (digits.startsWith('+') || digits.startsWith('-')) {
    negative = digits[0] === '-';
    digits = digits.slice(1);
  }
  if (digits.length === 0) throw fail('invalid syntax');
  let n = 0n;
  for (const ch of digits) {
    if (ch < '0' || ch > '9') throw fail('invalid syntax');
    n = n * 10n + BigInt(ch.charCodeAt(0) - 48);
    // ParseUint stops at the first uint64 overflow, before looking at later characters.
    if (n > UINT64_MAX) throw fail('value out of range');
  }
  if (negative ? n > INT64_MAX + 1n : n > INT64_MAX) throw fail('value out of range');
  return Number(negative ? -n : n);
}
