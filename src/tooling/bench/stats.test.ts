import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GENERATED_BEGIN,
  bucketQuantile,
  bucketsDelta,
  histogramBuckets,
  shareWithin,
  GENERATED_END,
  formatSummary,
  median,
  pairedRatio,
  percentile,
  renderChartSvg,
  renderTables,
  replaceGenerated,
  sizeCurve,
  summarize,
  type RunMetrics,
} from './stats.ts';
import { parseCpuSeconds, parseStatusMiB } from './proc.ts';
import { imageNodeFlags } from './controllers.ts';

test('median, nearest-rank percentiles and summaries', () => {
  assert.equal(median([]), undefined);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(hundred, 50), 50);
  assert.equal(percentile(hundred, 99), 99);
  assert.equal(percentile(hundred, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), undefined);
  assert.deepEqual(summarize([2, Number.NaN, 4, 9]), { median: 4, min: 2, max: 9, n: 3 });
  assert.equal(summarize([]), undefined);
  assert.equal(formatSummary({ median: 12.345, min: 10, max: 150, n: 3 }), '12.3 [10.0–150]');
  assert.equal(formatSummary({ median: 0.5, min: 0.5, max: 0.5, n: 1 }), '0.50');
  assert.equal(formatSummary(undefined), '–');
});

const run = (variant: RunMetrics['variant'], round: number, seconds: number, rss?: number, pods = 400): RunMetrics => ({
  scenario: pods === 400 ? 'create-400' : `size-${pods}`,
  variant,
  round,
  pods,
  seconds,
  ...(rss === undefined ? {} : { peakRssMiB: rss }),
});

test('ratios pair runs of the same round', () => {
  const runs = [run('ts', 1, 10), run('go', 1, 20), run('ts', 2, 30), run('go', 2, 30), run('ts', 3, 8)];
  // Round 3 has no Go run: only rounds 1 and 2 pair up (0.5 and 1).
  assert.deepEqual(pairedRatio(runs, 'create-400', 'ts', 'go', 'seconds'), { median: 0.75, min: 0.5, max: 1, n: 2 });
  assert.equal(pairedRatio(runs, 'create-400', 'ts', 'null', 'seconds'), undefined);
});

test('tables: a row per measured metric, variants as columns, ratios, skipped variants named', () => {
  const runs = [
    run('ts', 1, 10, 100),
    run('go', 1, 20, 50),
    run('null', 1, 8),
    run('ts', 2, 12, 110),
    run('go', 2, 24, 55),
    run('null', 2, 10),
  ];
  const md = renderTables(runs, [
    { name: 'create-400', title: '400 pods' },
    { name: 'none', title: 'never ran' },
  ]);
  assert.equal(
    md,
    [
      '### 400 pods',
      '',
      '| metric | lws-ts | Go v0.10.0 | null bound | TS/Go | TS/null |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      '| time (s) | 11.0 [10.0–12.0] | 22.0 [20.0–24.0] | 9.00 [8.00–10.0] | 0.50 | 1.23 [1.20–1.25] |',
      '| peak RSS (MiB) | 105 [100–110] | 52.5 [50.0–55.0] | – | 2.00 | – |',
      '',
    ].join('\n'),
  );
  const skipped = renderTables([run('ts', 1, 10)], [{ name: 'create-400', title: 't' }], { go: 'no Go toolchain' });
  assert.match(skipped, /\| time \(s\) \| 10\.0 \| skipped \| – \| – \| – \|/);
  assert.match(skipped, /Go v0\.10\.0 skipped: no Go toolchain/);
  const timeouts = renderTables(
    [run('ts', 1, 10), { ...run('go', 1, 0), seconds: undefined, timedOut: true, peakRssMiB: 60 }],
    [{ name: 'create-400', title: 't' }],
  );
  assert.match(timeouts, /\| time \(s\) \| 10\.0 \| timed out 1\/1 \| – \| – \| – \|/);
});

test('size curve and chart: one line per variant with points, sorted by pods', () => {
  const runs = [
    run('ts', 1, 30, 150, 2000),
    run('ts', 1, 5, 100, 100),
    run('go', 1, 40, 80, 2000),
    run('null', 1, 3, undefined, 100),
  ];
  assert.deepEqual(sizeCurve(runs, ['size-2000', 'size-100'], 'ts', 'seconds'), [
    { x: 100, y: 5 },
    { x: 2000, y: 30 },
  ]);
  assert.deepEqual(sizeCurve(runs, ['size-2000', 'size-100'], 'null', 'peakRssMiB'), []);
  const svg = renderChartSvg(runs, ['size-100', 'size-2000'], 'a <subtitle>');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.includes('a &lt;subtitle&gt;'));
  // time: ts (2 points), go (1), null (1); RSS: ts, go.
  assert.equal(svg.match(/<polyline/g)?.length, 5);
  assert.equal(svg.match(/<circle/g)?.length, 7);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
});

test('the generated section of docs/benchmarks.md is replaced, the prose around it kept', () => {
  const first = replaceGenerated('# Benchmarks\n\nmethod…\n', 'table 1');
  assert.equal(first, `# Benchmarks\n\nmethod…\n\n${GENERATED_BEGIN}\n\ntable 1\n\n${GENERATED_END}\n`);
  const second = replaceGenerated(`${first}\n## After\nnotes\n`, 'table 2\n');
  assert.equal(
    second,
    `# Benchmarks\n\nmethod…\n\n${GENERATED_BEGIN}\n\ntable 2\n\n${GENERATED_END}\n\n## After\nnotes\n`,
  );
});

test('/proc parsing: CPU seconds after the command name, VmHWM in MiB', () => {
  const stat = '1234 (node (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 100 0 0';
  assert.equal(parseCpuSeconds(stat), 3);
  assert.equal(parseStatusMiB('Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n', 'VmHWM'), 200);
  assert.equal(parseStatusMiB('Name:\tnode\n', 'VmHWM'), undefined);
});

test("lws-ts runs with the image's Node flags (hack/image/manager)", () => {
  assert.deepEqual(imageNodeFlags('#!/bin/sh\n# x\nexec node --a=1 --b "$DIR/bin/lwsctl.js" controller "$@"\n'), [
    '--a=1',
    '--b',
  ]);
  assert.deepEqual(imageNodeFlags('#!/bin/sh\nexec node "$DIR/bin/lwsctl.js"\n'), []);
  assert.ok(imageNodeFlags().every((f) => f.startsWith('--')));
});

test('histogramBuckets / bucketsDelta / bucketQuantile / shareWithin: the apiserver webhook histogram', () => {
  const metric = 'apiserver_admission_webhook_admission_duration_seconds';
  const series = (name: string, counts: number[]) =>
    [0.005, 0.025, 0.1, '+Inf']
      .map(
        (le, i) =>
          `${metric}_bucket{name="${name}",operation="CREATE",rejected="false",type="admit",le="${le}"} ${counts[i]}`,
      )
      .join('\n');
  const before = [series('mpod.kb.io', [10, 10, 10, 10]), series('other.example.com', [0, 0, 0, 0])].join('\n');
  const after = [
    '# HELP x', // comments and other metrics are ignored
    series('mpod.kb.io', [108, 110, 110, 110]),
    series('vpod.kb.io', [95, 98, 100, 100]),
    series('other.example.com', [0, 0, 50, 50]),
  ].join('\n');
  const pod = (labels: string) => /name="[mv]pod\.kb\.io"/.test(labels);
  const delta = bucketsDelta(histogramBuckets(after, metric, pod), histogramBuckets(before, metric, pod));
  assert.deepEqual(
    [...delta],
    [
      [0.005, 193],
      [0.025, 198],
      [0.1, 200],
      [Infinity, 200],
    ],
  );
  assert.equal(shareWithin(delta, 0.005), 96.5);
  // p50: rank 100 of 193 in [0, 5 ms) → 100/193 of 5 ms.
  assert.ok(Math.abs(bucketQuantile(delta, 0.5)! - (0.005 * 100) / 193) < 1e-12);
  // p99: rank 198 falls exactly at the top of the (5, 25] ms bucket.
  assert.ok(Math.abs(bucketQuantile(delta, 0.99)! - 0.025) < 1e-12);
  assert.equal(bucketQuantile(new Map(), 0.5), undefined);
  assert.equal(
    bucketQuantile(
      new Map([
        [0.005, 0],
        [Infinity, 4],
      ]),
      0.5,
    ),
    0.005,
    'rank in +Inf: the highest finite bound',
  );
});
