/**
 * @module testing/differential/generate
 * The differential case list for a seed. Each case draws from its own generator, derived from the seed, its
 * kind and its index, so `lws-17` of seed 1 is the same case whatever the count.
 */
import { generateDsCase } from './ds-cases.ts';
import { generateLwsCase } from './lws-cases.ts';
import { generatePodCase } from './pod-cases.ts';
import { createRng } from './prng.ts';
import type { DifferentialCase } from './types.ts';

/** The seed `npm test` runs, with results of upstream's code committed under test/differential/. */
export const CI_SEED = 1;
/** Cases of the CI seed: 10,000 LeaderWorkerSet and 6,000 pod cases. */
export const CI_COUNT = 16000;

/** DisaggregatedSet cases of the CI seed (committed separately, test/differential/ds-seed-1.jsonl.gz). */
export const DS_CI_COUNT = 6000;

/** How a total splits: 5 LeaderWorkerSet cases for every 3 pod cases. */
export function splitCount(count: number): { lws: number; pods: number } {
  const lws = Math.round((count * 5) / 8);
  return { lws, pods: count - lws };
}

function caseSeed(seed: number, kind: number, index: number): number {
  // splitmix32-style mixing: neighbouring indexes give unrelated streams.
  let h = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(kind + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

export function generateCase(seed: number, id: string): DifferentialCase {
  const m = /^(lws|pod|ds)-(\d+)$/.exec(id);
  if (!m) throw new Error(`not a case id: ${id}`);
  const index = Number(m[2]);
  if (m[1] === 'ds') return generateDsCase(createRng(caseSeed(seed, 2, index)), id);
  if (m[1] === 'lws') return generateLwsCase(createRng(caseSeed(seed, 0, index)), id);
  return generatePodCase(createRng(caseSeed(seed, 1, index)), id);
}

export function generateCases(seed: number, count: number): DifferentialCase[] {
  const { lws, pods } = splitCount(count);
  const cases: DifferentialCase[] = [];
  for (let i = 0; i < lws; i++) cases.push(generateCase(seed, `lws-${i}`));
  for (let i = 0; i < pods; i++) cases.push(generateCase(seed, `pod-${i}`));
  return cases;
}

export function generateDsCases(seed: number, count: number): DifferentialCase[] {
  const cases: DifferentialCase[] = [];
  for (let i = 0; i < count; i++) cases.push(generateCase(seed, `ds-${i}`));
  return cases;
}
