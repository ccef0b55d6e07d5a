/**
 * @module testing/differential/compare
 * Canonical JSON, the compact form results are committed in (every object replaced by a hash of its
 * canonical JSON, everything else kept: decisions, codes, messages, field errors, panics), and the list of
 * differences between two results.
 */
import { createHash } from 'node:crypto';
import type { Answer, CaseResult, Json, JsonObject } from './types.ts';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashJson(value: Json | undefined): string {
  return '#' + createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function compactAnswer<T extends Answer>(a: T | undefined): T | undefined {
  if (!a) return undefined;
  return a.object === undefined ? a : { ...a, object: hashJson(a.object) };
}

/** The committed form of a result: objects as hashes. */
export function compactResult(r: CaseResult): CaseResult {
  const out: CaseResult = { ...r };
  if (r.crd !== undefined) out.crd = hashJson(r.crd);
  if (r.old !== undefined) out.old = hashJson(r.old);
  if (r.mutate) out.mutate = compactAnswer(r.mutate);
  if (r.validate) out.validate = compactAnswer(r.validate);
  return JSON.parse(JSON.stringify(out)) as CaseResult;
}

export interface Difference {
  /** Where the results differ, e.g. `validate.message` or `mutate.object.spec.replicas`. */
  path: string;
  go: Json | undefined;
  ts: Json | undefined;
}

/** Leaf-level differences between two JSON values (arrays element by element). */
export function diffJson(go: Json | undefined, ts: Json | undefined, path = ''): Difference[] {
  if (canonicalJson(go) === canonicalJson(ts)) return [];
  if (Array.isArray(go) && Array.isArray(ts)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(go.length, ts.length); i++) out.push(...diffJson(go[i], ts[i], `${path}[${i}]`));
    return out;
  }
  if (isObject(go) && isObject(ts)) {
    const keys = [...new Set([...Object.keys(go), ...Object.keys(ts)])].sort();
    return keys.flatMap((k) => diffJson(go[k], ts[k], path ? `${path}.${k}` : k));
  }
  return [{ path, go, ts }];
}

export function diffResults(go: CaseResult, ts: CaseResult): Difference[] {
  return diffJson(go as unknown as Json, ts as unknown as Json);
}

/** A stable name for what differs, used to keep a shrunk case failing the same way. */
export function differenceSignature(diffs: readonly Difference[]): string {
  return [...new Set(diffs.map((d) => d.path.replace(/\.object\..*|\[\d+\].*/, '')))].sort().join(' ');
}
