/**
 * Differential tests of the admission webhooks (docs/differential.md): the CI seed's cases through our
 * webhooks, compared with what upstream's own Go code (sigs.k8s.io/lws v0.10.0, run by hack/differential)
 * answered, as committed in test/differential/seed-1.jsonl.gz (LeaderWorkerSet and pods) and ds-seed-1.jsonl.gz
 * (DisaggregatedSet). No Go needed; `npm run differential` runs
 * the same comparison live, for any seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactResult, diffJson, type Difference } from './compare.ts';
import { CI_COUNT, CI_SEED, DS_CI_COUNT, generateCases, generateDsCases } from './generate.ts';
import { runOurs } from './ours.ts';
import { dsResultsPath, inputsHash, outcome, readResults, resultsPath, type ResultsHeader } from './run.ts';
import type { CaseResult, DifferentialCase, Json } from './types.ts';

const lwsCases = generateCases(CI_SEED, CI_COUNT);
const dsCases = generateDsCases(CI_SEED, DS_CI_COUNT);
const cases = [...lwsCases, ...dsCases];
const lwsFile = readResults(resultsPath(CI_SEED));
const dsFile = readResults(dsResultsPath(CI_SEED));
const results = new Map([...lwsFile.results, ...dsFile.results]);

function checkHeader(header: ResultsHeader, count: number, list: readonly DifferentialCase[], size: number): void {
  assert.equal(header.seed, CI_SEED);
  assert.equal(header.count, count);
  assert.equal(
    header.inputs,
    inputsHash(list),
    'the case generator changed since the upstream results were written: run `npm run differential -- --write` (needs Go)',
  );
  assert.equal(size, list.length);
}

test('the committed upstream results are those of the generated CI cases', () => {
  checkHeader(lwsFile.header, CI_COUNT, lwsCases, lwsFile.results.size);
  checkHeader(dsFile.header, DS_CI_COUNT, dsCases, dsFile.results.size);
});

function compare(kind: DifferentialCase['kind'], diagnostic: (message: string) => void): void {
  const differing: { c: DifferentialCase; diffs: Difference[] }[] = [];
  const outcomes: Record<string, number> = {};
  const selected = cases.filter((c) => c.kind === kind);
  for (const c of selected) {
    const upstream = results.get(c.id);
    assert.ok(upstream, `no upstream result for ${c.id}`);
    const ours = compactResult(runOurs(c));
    const diffs = diffJson(upstream as unknown as Json, ours as unknown as Json);
    if (diffs.length > 0) differing.push({ c, diffs });
    const o = outcome(upstream as CaseResult);
    outcomes[o] = (outcomes[o] ?? 0) + 1;
  }
  const summary = Object.entries(outcomes)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  diagnostic(`${selected.length} ${kind} cases (upstream: ${summary}), ${differing.length} differences`);
  const report = differing
    .slice(0, 5)
    .map(({ c, diffs }) => {
      const lines = diffs
        .slice(0, 5)
        .map((d) => `  ${d.path}: upstream ${JSON.stringify(d.go)}, ours ${JSON.stringify(d.ts)}`);
      return `${c.id} (${c.category}), details: npm run differential -- --case ${c.id}\n${lines.join('\n')}`;
    })
    .join('\n');
  assert.equal(differing.length, 0, `${differing.length} cases differ from upstream:\n${report}`);
}

test('LeaderWorkerSet webhooks: same decisions, defaulted objects, messages and field errors as upstream', (t) => {
  compare('lws', (m) => t.diagnostic(m));
});

test('pod webhook: same decisions, messages and mutated pods as upstream', (t) => {
  compare('pod', (m) => t.diagnostic(m));
});

test('DisaggregatedSet webhook: same decisions, messages, warnings and field errors as upstream', (t) => {
  compare('ds', (m) => t.diagnostic(m));
});
