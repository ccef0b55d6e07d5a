/**
 * @module testing/differential/run
 * The pieces the unit test and `npm run differential` share: the committed results file, per-category
 * outcome counts, and shrinking a differing case to a minimal reproduction.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { canonicalJson, differenceSignature, type Difference } from './compare.ts';
import type { CaseResult, DifferentialCase, Json, JsonObject } from './types.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export const UPSTREAM = 'sigs.k8s.io/lws v0.10.0';

export function resultsPath(seed: number): string {
  return `${root}test/differential/seed-${seed}.jsonl.gz`;
}

/** The DisaggregatedSet cases' results, kept apart so that either generator can change alone. */
export function dsResultsPath(seed: number): string {
  return `${root}test/differential/ds-seed-${seed}.jsonl.gz`;
}

export interface ResultsHeader {
  upstream: string;
  seed: number;
  count: number;
  /** Hash of every generated case: a changed generator makes the committed results stale. */
  inputs: string;
}

export function inputsHash(cases: readonly DifferentialCase[]): string {
  const h = createHash('sha256');
  for (const c of cases) h.update(canonicalJson(c as unknown as Json)).update('\n');
  return h.digest('hex');
}

export function writeResults(path: string, header: ResultsHeader, results: readonly CaseResult[]): number {
  const text = [header, ...results].map((v) => JSON.stringify(v)).join('\n') + '\n';
  const data = gzipSync(text, { level: 9 });
  writeFileSync(path, data);
  return data.length;
}

export function readResults(path: string): { header: ResultsHeader; results: Map<string, CaseResult> } {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n');
  const header = JSON.parse(lines[0]!) as ResultsHeader;
  const results = new Map<string, CaseResult>();
  for (const line of lines.slice(1)) {
    const r = JSON.parse(line) as CaseResult;
    results.set(r.id, r);
  }
  return { header, results };
}

/** How upstream answered a case in the end: accepted, denied (403), or refused otherwise (code). */
export function outcome(r: CaseResult): string {
  if (r.error) return 'oracle-error';
  const last = r.validate ?? r.mutate;
  if (!last) return 'none';
  if (last.allowed) return 'accepted';
  if (last.code === 403) return 'denied';
  if (last.code === 500) return 'panic';
  return `refused-${last.code}`;
}

export interface CategoryRow {
  category: string;
  cases: number;
  outcomes: Record<string, number>;
  differences: number;
}

export function categoryTable(
  cases: readonly DifferentialCase[],
  results: readonly CaseResult[],
  differing: ReadonlySet<string>,
): CategoryRow[] {
  const rows = new Map<string, CategoryRow>();
  cases.forEach((c, i) => {
    const key = `${c.kind} ${c.category}`;
    const row = rows.get(key) ?? { category: key, cases: 0, outcomes: {}, differences: 0 };
    row.cases++;
    const o = outcome(results[i]!);
    row.outcomes[o] = (row.outcomes[o] ?? 0) + 1;
    if (differing.has(c.id)) row.differences++;
    rows.set(key, row);
  });
  return [...rows.values()].sort((a, b) => a.category.localeCompare(b.category));
}

export function formatTable(rows: readonly CategoryRow[]): string {
  const lines = rows.map((r) => {
    const outcomes = Object.entries(r.outcomes)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const diff = r.differences > 0 ? `  ${r.differences} DIFFERENT` : '';
    return `  ${r.category.padEnd(52)} ${String(r.cases).padStart(6)}  (${outcomes})${diff}`;
  });
  return lines.join('\n');
}

/** Every place an input can lose a member or element, largest first. */
function removals(value: Json, path: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...path, i]);
      out.push(...removals(v, [...path, i]));
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (path.length === 0 && (k === 'apiVersion' || k === 'kind')) continue;
      out.push([...path, k]);
      out.push(...removals(v, [...path, k]));
    }
  }
  return out;
}

function without(value: Json, path: readonly (string | number)[]): Json {
  const copy = structuredClone(value);
  let parent: Json = copy;
  for (const step of path.slice(0, -1)) parent = (parent as JsonObject)[step as string]!;
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete (parent as JsonObject)[last as string];
  return copy;
}

/**
 * Removes members and array elements of the case's objects for as long as the case keeps differing the same
 * way (`differences` answers for a candidate). At most `budget` candidates are tried.
 */
export async function shrinkCase(
  c: DifferentialCase,
  differences: (candidate: DifferentialCase) => Promise<readonly Difference[]>,
  budget = 3000,
): Promise<DifferentialCase> {
  const signature = differenceSignature(await differences(c));
  let best = c;
  let tries = 0;
  for (let progress = true; progress && tries < budget;) {
    progress = false;
    for (const field of ['object', 'old'] as const) {
      const value = (best as { object: JsonObject; old?: JsonObject })[field];
      if (value === undefined) continue;
      for (const path of removals(value)) {
        if (++tries > budget) break;
        const candidate = { ...best, [field]: without(value, path) } as DifferentialCase;
        const diffs = await differences(candidate);
        if (diffs.length > 0 && differenceSignature(diffs) === signature) {
          best = candidate;
          progress = true;
          break;
        }
      }
      if (progress) break;
    }
  }
  return best;
}
