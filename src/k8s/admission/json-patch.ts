/**
 * @module webhooks/json-patch
 * An RFC 6902 JSON Patch turning one JSON document into another, for mutating admission responses. Objects are
 * diffed member by member; arrays and scalars that differ are replaced whole, which keeps every operation's
 * target well defined (controller-runtime's patches differ in shape but yield the same object).
 */

export type JsonPatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Members JSON would serialise (undefined-valued ones are absent). */
const members = (o: JsonObject) => Object.keys(o).filter((k) => o[k] !== undefined);

/** RFC 6901 reference token escaping: label keys like `a.io/b` become `a.io~1b`. */
export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = members(a);
    return keys.length === members(b).length && keys.every((k) => b[k] !== undefined && jsonEqual(a[k], b[k]));
  }
  return false;
}

export function jsonPatch(original: unknown, mutated: unknown): JsonPatchOperation[] {
  const ops: JsonPatchOperation[] = [];
  diff(original, mutated, '', ops);
  return ops;
}

function diff(a: unknown, b: unknown, path: string, ops: JsonPatchOperation[]): void {
  if (jsonEqual(a, b)) return;
  if (!isObject(a) || !isObject(b)) {
    ops.push({ op: 'replace', path, value: structuredClone(b) });
    return;
  }
  for (const key of members(a)) {
    if (b[key] === undefined) ops.push({ op: 'remove', path: `${path}/${escapePointerToken(key)}` });
  }
  for (const key of members(b)) {
    const child = `${path}/${escapePointerToken(key)}`;
    if (a[key] === undefined) ops.push({ op: 'add', path: child, value: structuredClone(b[key]) });
    else diff(a[key], b[key], child, ops);
  }
}
