/**
 * @module webhooks/defaulter-patch
 * The JSON Patch controller-runtime (v0.24, `admission.WithDefaulter`) answers a defaulting webhook with. It
 * decodes the request object into its Go type, runs the defaulter and, only when the typed object changed,
 * marshals it and diffs the request's raw JSON against that (gomodules.xyz/jsonpatch/v2 `CreatePatch`),
 * dropping the removals that the typed round trip alone would cause. So the patch also carries Go's encoding
 * of parts the defaulter never touched but the raw JSON spelled differently: `resources: {}` and
 * `metadata: {}` in pod templates, `status: {}`, canonical quantities (`4` becomes `"4"`), zero values of
 * required fields. For a custom resource the apiserver stores exactly that.
 */
import { escapePointerToken, jsonEqual, type JsonPatchOperation } from './json-patch.ts';

type JsonObject = Record<string, unknown>;

/** The Go type `json.Unmarshal` into `interface{}` gives a value: what jsonpatch compares first. */
function goKind(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** gomodules.xyz/jsonpatch/v2 `CreatePatch` on two parsed documents, operation for operation. */
export function createPatch(a: unknown, b: unknown): JsonPatchOperation[] {
  const ops: JsonPatchOperation[] = [];
  handleValues(a, b, '', ops);
  return ops;
}

function handleValues(a: unknown, b: unknown, path: string, ops: JsonPatchOperation[]): void {
  const kind = goKind(a);
  if (kind === 'nil' && goKind(b) === 'nil') return;
  if (kind !== goKind(b)) {
    ops.push({ op: 'replace', path, value: structuredClone(b) });
    return;
  }
  if (kind === 'object') return diffObjects(a as JsonObject, b as JsonObject, path, ops);
  if (kind === 'array') {
    const x = a as unknown[];
    const y = b as unknown[];
    const n = Math.min(x.length, y.length);
    for (let i = x.length - 1; i >= n; i--) ops.push({ op: 'remove', path: `${path}/${i}` });
    for (let i = n; i < y.length; i++) ops.push({ op: 'add', path: `${path}/${i}`, value: structuredClone(y[i]) });
    for (let i = 0; i < n; i++) handleValues(x[i], y[i], `${path}/${i}`, ops);
    return;
  }
  if (a !== b) ops.push({ op: 'replace', path, value: b });
}

function diffObjects(a: JsonObject, b: JsonObject, path: string, ops: JsonPatchOperation[]): void {
  for (const [key, value] of Object.entries(b)) {
    const child = `${path}/${escapePointerToken(key)}`;
    if (!Object.hasOwn(a, key)) ops.push({ op: 'add', path: child, value: structuredClone(value) });
    else handleValues(a[key], value, child, ops);
  }
  for (const key of Object.keys(a)) {
    if (!Object.hasOwn(b, key)) ops.push({ op: 'remove', path: `${path}/${escapePointerToken(key)}` });
  }
}

/**
 * The defaulting response's patch: `raw` is the request object, `original` and `defaulted` its Go encoding
 * before and after the defaulter ran.
 */
export function defaulterPatch(raw: unknown, original: unknown, defaulted: unknown): JsonPatchOperation[] {
  if (jsonEqual(original, defaulted)) return [];
  const removedByScheme = new Set(
    createPatch(raw, original)
      .filter((op) => op.op === 'remove')
      .map((op) => op.path),
  );
  return createPatch(raw, defaulted).filter((op) => op.op !== 'remove' || !removedByScheme.has(op.path));
}
