/**
 * @module revision/gojson
 * Go's encoding/json, as far as the revision hash needs it. Upstream decodes the LeaderWorkerSet
 * into Go structs (unknown fields dropped, case-sensitive), marshals them, re-parses the result into
 * a generic map and marshals that again. `toGoJSON` reproduces the first round trip from the field
 * table in go-types.json (generated from the Go types by hack/golden); `marshalGo` the last step.
 *
 * Output trees use `Map` for objects so that keys such as `__proto__` stay ordinary data.
 */
import schema from '../../lws/api/go-types.json' with { type: 'json' };
import { quantityFromJSON, quantityString, type Quantity } from './quantity.ts';
import { formatGoTime, parseGoTime } from './gotime.ts';

/** A generic JSON value as Go's json.Unmarshal into `interface{}` yields it. */
export type GoJSON = null | boolean | number | string | GoJSON[] | Map<string, GoJSON>;

/** A value Go could not decode (the controller would fail to read such an object). */
export class GoDecodeError extends Error {}

export type GoType =
  | { kind: 'string' | 'int' | 'bool' | 'quantity' | 'intstr' | 'time' | 'raw' | 'any' }
  | { kind: 'ptr' | 'slice' | 'map'; elem: GoType }
  | { kind: 'struct'; name: string; fields: Field[] };

interface Field {
  json: string;
  type: GoType;
  omitEmpty: boolean;
  /** omitzero through the type's IsZero method (only metav1.Time occurs). */
  omitZero: boolean;
}

const SCALARS = new Set(['string', 'int', 'bool', 'quantity', 'intstr', 'time', 'raw', 'any']);
const structs = new Map<string, GoType & { kind: 'struct' }>();
const rawStructs: Record<string, [string, string, string][]> = schema.structs as never;

function typeOf(ref: string): GoType {
  if (ref.startsWith('*')) return { kind: 'ptr', elem: typeOf(ref.slice(1)) };
  if (ref.startsWith('[]')) return { kind: 'slice', elem: typeOf(ref.slice(2)) };
  if (ref.startsWith('{}')) return { kind: 'map', elem: typeOf(ref.slice(2)) };
  if (SCALARS.has(ref)) return { kind: ref as 'string' };
  let t = structs.get(ref);
  if (t !== undefined) return t;
  const raw = rawStructs[ref];
  if (raw === undefined) throw new Error(`go-types.json: unknown type ${ref}`);
  // Register before resolving fields, in case a type (indirectly) contains itself.
  t = { kind: 'struct', name: ref, fields: [] };
  structs.set(ref, t);
  for (const [json, fieldRef, flags] of raw) {
    if (!/^[eZ]*$/.test(flags)) throw new Error(`go-types.json: ${ref}.${json}: unsupported flags ${flags}`);
    const type = typeOf(fieldRef);
    if (flags.includes('Z') && fieldRef.replace(/^\*/, '') !== 'time') {
      throw new Error(`go-types.json: ${ref}.${json}: omitzero is only implemented for metav1.Time`);
    }
    t.fields.push({ json, type, omitEmpty: flags.includes('e'), omitZero: flags.includes('Z') });
  }
  return t;
}

export const LEADER_WORKER_TEMPLATE = typeOf(schema.roots.LeaderWorkerTemplate);
export const NETWORK_CONFIG = typeOf(schema.roots.NetworkConfig);
/** The whole object: what controller-runtime marshals for the LWS defaulting webhook's patch. */
export const LEADER_WORKER_SET = typeOf(schema.roots.LeaderWorkerSet);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, want: string, got: unknown): never {
  throw new GoDecodeError(`${path || '.'}: cannot decode ${JSON.stringify(got)} as ${want}`);
}

/**
 * Decodes `input` (plain JSON) into the Go type and encodes it back, returning the generic value
 * json.Unmarshal would produce from Go's output. `undefined` input means "field absent".
 */
export function toGoJSON(input: unknown, type: GoType, path = ''): GoJSON {
  switch (type.kind) {
    case 'string':
      if (input === undefined || input === null) return '';
      return typeof input === 'string' ? input.toWellFormed() : fail(path, 'string', input);
    case 'int':
      if (input === undefined || input === null) return 0;
      return Number.isInteger(input) ? (input as number) + 0 : fail(path, 'integer', input);
    case 'bool':
      if (input === undefined || input === null) return false;
      return typeof input === 'boolean' ? input : fail(path, 'boolean', input);
    case 'ptr':
      return input === undefined || input === null ? null : toGoJSON(input, type.elem, path);
    case 'slice':
      if (input === undefined || input === null) return null;
      if (!Array.isArray(input)) fail(path, 'array', input);
      return input.map((v, i) => toGoJSON(v, type.elem, `${path}[${i}]`));
    case 'map': {
      if (input === undefined || input === null) return null;
      if (!isObject(input)) fail(path, 'object', input);
      const out = new Map<string, GoJSON>();
      for (const [k, v] of Object.entries(input)) out.set(k.toWellFormed(), toGoJSON(v, type.elem, `${path}.${k}`));
      return out;
    }
    case 'struct':
      return structToGoJSON(input, type, path);
    case 'quantity':
      return quantityString(decodeQuantity(input, path));
    case 'intstr':
      if (input === undefined || input === null) return 0;
      if (typeof input === 'string') return input.toWellFormed();
      return Number.isInteger(input) ? (input as number) + 0 : fail(path, 'int or string', input);
    case 'time':
      if (input === undefined || input === null) return null;
      if (typeof input !== 'string') fail(path, 'RFC 3339 time', input);
      return formatGoTime(parseGoTime(input) ?? fail(path, 'RFC 3339 time', input));
    case 'raw':
    case 'any':
      return input === undefined ? null : generic(input);
  }
}

function structToGoJSON(input: unknown, type: GoType & { kind: 'struct' }, path: string): Map<string, GoJSON> {
  if (input !== undefined && input !== null && !isObject(input)) fail(path, type.name, input);
  const obj = (input ?? {}) as Record<string, unknown>;
  const out = new Map<string, GoJSON>();
  for (const f of type.fields) {
    const given = Object.hasOwn(obj, f.json) ? obj[f.json] : undefined;
    const v = toGoJSON(given, f.type, `${path}.${f.json}`);
    // A non-nil pointer is never empty, even when its target marshals as null (a zero *Time).
    if (f.omitEmpty && (f.type.kind === 'ptr' ? given == null : isEmpty(v, f.type))) continue;
    if (f.omitZero && v === null) continue; // metav1.Time marshals its zero value as null
    out.set(f.json, v);
  }
  return out;
}

/** Go's isEmptyValue, judged on the encoded value: structs (and struct-backed types) never are. */
function isEmpty(v: GoJSON, type: GoType): boolean {
  switch (type.kind) {
    case 'string':
    case 'int':
    case 'bool':
      return v === '' || v === 0 || v === false;
    case 'any':
      return v === null;
    case 'slice':
      return v === null || (v as GoJSON[]).length === 0;
    case 'map':
      return v === null || (v as Map<string, GoJSON>).size === 0;
    default:
      return false;
  }
}

function decodeQuantity(input: unknown, path: string): Quantity {
  try {
    return quantityFromJSON(input);
  } catch (err) {
    throw new GoDecodeError(`${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Plain JSON to the generic form (objects as Maps, strings well-formed). */
function generic(v: unknown): GoJSON {
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return v as GoJSON;
  if (typeof v === 'string') return v.toWellFormed();
  if (Array.isArray(v)) return v.map(generic);
  if (isObject(v)) return new Map(Object.entries(v).map(([k, x]) => [k.toWellFormed(), generic(x)]));
  throw new GoDecodeError(`unsupported JSON value ${String(v)}`);
}

/** A JSON number as encoding/json writes a float64 (ES number formatting, but keeping -0). */
export function goNumber(n: number): string {
  if (!Number.isFinite(n)) throw new GoDecodeError(`json: unsupported value: ${n}`);
  return Object.is(n, -0) ? '-0' : String(n);
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A JSON string as encoding/json writes it with HTML escaping on (the default). */
export function goString(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what Go escapes
  const body = s.toWellFormed().replace(/["\\\u0000-\u001f<>&\u2028\u2029]/g, (c) => {
    return ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${body}"`;
}

/** Go orders map keys by their UTF-8 bytes, which is code point order (not UTF-16 order). */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** json.Marshal of a generic value: compact, map keys sorted at every level. */
export function marshalGo(v: GoJSON): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'string') return goString(v);
  if (Array.isArray(v)) return `[${v.map(marshalGo).join(',')}]`;
  const keys = [...v.keys()].sort(compareGoStrings);
  return `{${keys.map((k) => `${goString(k)}:${marshalGo(v.get(k)!)}`).join(',')}}`;
}

/** Plain JSON (e.g. a ControllerRevision's parsed `data`) re-marshalled as Go would. */
export function marshalGoGeneric(v: unknown): string {
  return marshalGo(generic(v));
}
