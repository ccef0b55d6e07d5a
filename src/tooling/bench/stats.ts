/**
 * @module bench/stats
 * The pure half of `npm run bench`: statistics over rounds (median, min–max, percentiles, ratios of
 * per-round pairs), the Markdown tables of docs/benchmarks.md and the SVG chart (time and peak RSS
 * against cluster size for lws-ts, upstream's Go manager and the null bound).
 */

export const VARIANTS = ['ts', 'go', 'null'] as const;
export type Variant = (typeof VARIANTS)[number];
export const VARIANT_LABELS: Readonly<Record<Variant, string>> = {
  ts: 'lws-ts',
  go: 'Go v0.10.0',
  null: 'null bound',
};

/** One measured run of one variant in one scenario. */
export interface RunMetrics {
  scenario: string;
  variant: Variant;
  round: number;
  /** Pods in the scenario (x axis of the size curve). */
  pods: number;
  /** Seconds until every LWS is Available (null bound: its StatefulSets ready) and every pod Ready. */
  seconds?: number;
  /** Controller CPU seconds (user + system) during the scenario. */
  cpuSeconds?: number;
  /** Controller peak RSS in MiB (VmHWM). */
  peakRssMiB?: number;
  /** Requests the controller sent to the apiserver (its rest_client_requests_total) during the scenario. */
  requests?: number;
  /** kube-apiserver CPU seconds during the scenario. */
  apiserverCpuSeconds?: number;
  /** Client-side pod create latency percentiles in ms (webhook scenario). */
  p50Ms?: number;
  p99Ms?: number;
  /**
   * Webhook latency as the apiserver measured its calls to the pod webhooks (its histogram
   * apiserver_admission_webhook_admission_duration_seconds, mutating + validating): p50/p99 interpolated
   * within buckets, and the share of calls that took at most 5 ms (an exact bucket bound).
   */
  hookP50Ms?: number;
  hookP99Ms?: number;
  hookWithin5msPct?: number;
  /** The end condition was not reached within the phase's time limit (no `seconds`). */
  timedOut?: boolean;
}

export const METRICS = [
  'seconds',
  'cpuSeconds',
  'peakRssMiB',
  'requests',
  'apiserverCpuSeconds',
  'p50Ms',
  'p99Ms',
  'hookP50Ms',
  'hookP99Ms',
  'hookWithin5msPct',
] as const satisfies ReadonlyArray<keyof RunMetrics>;
export type Metric = (typeof METRICS)[number];

export const METRIC_LABELS: Readonly<Record<Metric, string>> = {
  seconds: 'time (s)',
  cpuSeconds: 'controller CPU (s)',
  peakRssMiB: 'peak RSS (MiB)',
  requests: 'API requests',
  apiserverCpuSeconds: 'apiserver CPU (s)',
  p50Ms: 'create p50 (ms)',
  p99Ms: 'create p99 (ms)',
  hookP50Ms: 'webhook call p50 (ms, apiserver-side)',
  hookP99Ms: 'webhook call p99 (ms, apiserver-side)',
  hookWithin5msPct: 'webhook calls ≤ 5 ms (%)',
};

/** Cumulative bucket counts of one Prometheus histogram, by upper bound (Infinity for +Inf). */
export type Buckets = Map<number, number>;

/**
 * Sums the `_bucket` series of histogram `name` in Prometheus text whose labels satisfy `keep`
 * (e.g. only the pod webhooks), per upper bound.
 */
export function histogramBuckets(text: string, name: string, keep: (labels: string) => boolean): Buckets {
  const out: Buckets = new Map();
  const prefix = `${name}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const close = line.lastIndexOf('}');
    const labels = line.slice(prefix.length, close);
    if (!keep(labels)) continue;
    const le = /(?:^|,)le="([^"]+)"/.exec(labels)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    out.set(bound, (out.get(bound) ?? 0) + Number(line.slice(close + 1).trim()));
  }
  return out;
}

/** after − before, per bound (counters only grow; a bound missing before counts from 0). */
export function bucketsDelta(after: Buckets, before: Buckets): Buckets {
  const out: Buckets = new Map();
  for (const [bound, count] of after) out.set(bound, count - (before.get(bound) ?? 0));
  return out;
}

/**
 * The q-quantile (0..1) the way Prometheus's histogram_quantile estimates it: linear within the bucket
 * that holds the rank; the highest finite bound when the rank falls in +Inf. Undefined without data.
 */
export function bucketQuantile(buckets: Buckets, q: number): number | undefined {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? (bounds.length ? buckets.get(bounds[bounds.length - 1]!)! : 0);
  if (!total) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound)!;
    if (count >= rank) {
      if (bound === Infinity) return lower;
      const inBucket = count - below;
      return inBucket > 0 ? lower + ((bound - lower) * (rank - below)) / inBucket : bound;
    }
    lower = bound;
    below = count;
  }
  return lower;
}

/** Share (0..100) of observations at most `bound` (which must be one of the histogram's bounds). */
export function shareWithin(buckets: Buckets, bound: number): number | undefined {
  const total = buckets.get(Infinity);
  const within = buckets.get(bound);
  if (!total || within === undefined) return undefined;
  return (100 * within) / total;
}

/** Nearest-rank percentile (p in [0, 100]) of a non-empty list; undefined for an empty one. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Median (mean of the middle two for an even count). */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: readonly number[]): Summary | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  return { median: median(finite)!, min: Math.min(...finite), max: Math.max(...finite), n: finite.length };
}

/** The values of one metric for one scenario and variant, in round order. */
export function valuesOf(runs: readonly RunMetrics[], scenario: string, variant: Variant, metric: Metric): number[] {
  return runs
    .filter((r) => r.scenario === scenario && r.variant === variant && r[metric] !== undefined)
    .sort((a, b) => a.round - b.round)
    .map((r) => r[metric]!);
}

/**
 * Ratio a/b of a metric as the median (and min–max) of per-round ratios: runs are interleaved, so pairing
 * by round cancels part of the machine's drifting load.
 */
export function pairedRatio(
  runs: readonly RunMetrics[],
  scenario: string,
  a: Variant,
  b: Variant,
  metric: Metric,
): Summary | undefined {
  const byRound = (v: Variant) =>
    new Map(
      runs
        .filter((r) => r.scenario === scenario && r.variant === v && r[metric] !== undefined)
        .map((r) => [r.round, r[metric]!]),
    );
  const left = byRound(a);
  const right = byRound(b);
  const ratios: number[] = [];
  for (const [round, x] of left) {
    const y = right.get(round);
    if (y !== undefined && y > 0) ratios.push(x / y);
  }
  return summarize(ratios);
}

const digits = (v: number) => (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
export function formatNumber(v: number): string {
  return v.toFixed(digits(v));
}

/** "12.3 [11.0–14.2]" or "12.3" for a single value; "–" when absent. */
export function formatSummary(s: Summary | undefined): string {
  if (!s) return '–';
  if (s.n === 1 || s.min === s.max) return formatNumber(s.median);
  return `${formatNumber(s.median)} [${formatNumber(s.min)}–${formatNumber(s.max)}]`;
}

export interface ScenarioInfo {
  name: string;
  title: string;
}

/**
 * One Markdown table per scenario: a row per metric with each variant's median [min–max] and the paired
 * ratios TS/Go and TS/null. Metrics no variant measured are left out. `skipped` names variants that did
 * not run, with the reason.
 */
export function renderTables(
  runs: readonly RunMetrics[],
  scenarios: readonly ScenarioInfo[],
  skipped: Partial<Record<Variant, string>> = {},
): string {
  const out: string[] = [];
  for (const scenario of scenarios) {
    const present = METRICS.filter((m) => VARIANTS.some((v) => valuesOf(runs, scenario.name, v, m).length > 0));
    if (present.length === 0) continue;
    out.push(`### ${scenario.title}`, '');
    out.push(`| metric | ${VARIANTS.map((v) => VARIANT_LABELS[v]).join(' | ')} | TS/Go | TS/null |`);
    out.push(`| --- | ${VARIANTS.map(() => '---:').join(' | ')} | ---: | ---: |`);
    for (const m of present) {
      const cells = VARIANTS.map((v) => {
        if (skipped[v]) return 'skipped';
        const cell = formatSummary(summarize(valuesOf(runs, scenario.name, v, m)));
        const all = runs.filter((r) => r.scenario === scenario.name && r.variant === v);
        const timeouts = all.filter((r) => r.timedOut).length;
        return m === 'seconds' && timeouts > 0
          ? `${cell === '–' ? '' : `${cell}; `}timed out ${timeouts}/${all.length}`
          : cell;
      });
      const tsGo = formatSummary(pairedRatio(runs, scenario.name, 'ts', 'go', m));
      const tsNull = formatSummary(pairedRatio(runs, scenario.name, 'ts', 'null', m));
      out.push(`| ${METRIC_LABELS[m]} | ${cells.join(' | ')} | ${tsGo} | ${tsNull} |`);
    }
    out.push('');
  }
  for (const [v, reason] of Object.entries(skipped)) out.push(`${VARIANT_LABELS[v as Variant]} skipped: ${reason}`, '');
  return out.join('\n');
}

export interface SeriesPoint {
  x: number;
  y: number;
}

/** Median of `metric` per pod count for one variant over the given scenarios (the size curve). */
export function sizeCurve(runs: readonly RunMetrics[], scenarios: readonly string[], variant: Variant, metric: Metric) {
  const points: SeriesPoint[] = [];
  for (const name of scenarios) {
    const matching = runs.filter((r) => r.scenario === name && r.variant === variant);
    const y = median(matching.map((r) => r[metric]).filter((v): v is number => v !== undefined));
    if (y !== undefined && matching[0]) points.push({ x: matching[0].pods, y });
  }
  return points.sort((a, b) => a.x - b.x);
}

const COLORS: Readonly<Record<Variant, string>> = { ts: '#1f77b4', go: '#2ca02c', null: '#7f7f7f' };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One line panel: x = pods, y = the metric; a polyline and dots per variant. */
function panel(
  title: string,
  series: ReadonlyArray<{ variant: Variant; points: SeriesPoint[] }>,
  ox: number,
  oy: number,
  w: number,
  h: number,
): string {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const xMax = niceMax(Math.max(1, ...xs));
  const yMax = niceMax(Math.max(0, ...ys));
  const px = (x: number) => ox + (x / xMax) * w;
  const py = (y: number) => oy + h - (y / yMax) * h;
  const parts: string[] = [
    `<text x="${ox + w / 2}" y="${oy - 12}" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${ox}" y1="${oy + h}" x2="${ox + w}" y2="${oy + h}" stroke="#333"/>`,
    `<line x1="${ox}" y1="${oy}" x2="${ox}" y2="${oy + h}" stroke="#333"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const yv = (yMax * i) / 4;
    const xv = (xMax * i) / 4;
    parts.push(
      `<line x1="${ox}" y1="${py(yv)}" x2="${ox + w}" y2="${py(yv)}" stroke="#ddd"/>`,
      `<text x="${ox - 6}" y="${py(yv) + 4}" text-anchor="end" font-size="11">${formatNumber(yv)}</text>`,
      `<text x="${px(xv)}" y="${oy + h + 16}" text-anchor="middle" font-size="11">${Math.round(xv)}</text>`,
    );
  }
  parts.push(`<text x="${ox + w / 2}" y="${oy + h + 34}" text-anchor="middle" font-size="12">pods</text>`);
  for (const s of series) {
    if (s.points.length === 0) continue;
    const color = COLORS[s.variant];
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const p of s.points)
      parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3.5" fill="${color}"/>`);
  }
  return parts.join('\n');
}

/**
 * The chart of docs/img/benchmarks.png as SVG: two panels (time to Available/Ready, peak RSS) against the
 * pod count of the size-curve scenarios; one line per variant that has points (the null bound has no
 * controller, hence no RSS line).
 */
export function renderChartSvg(runs: readonly RunMetrics[], sizeScenarios: readonly string[], subtitle = ''): string {
  const width = 900;
  const height = 420;
  const seriesFor = (metric: Metric) =>
    VARIANTS.map((variant) => ({ variant, points: sizeCurve(runs, sizeScenarios, variant, metric) }));
  const legend = VARIANTS.map(
    (v, i) =>
      `<rect x="${80 + i * 160}" y="${height - 26}" width="14" height="14" fill="${COLORS[v]}"/>` +
      `<text x="${100 + i * 160}" y="${height - 14}" font-size="13">${escapeXml(VARIANT_LABELS[v])}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    subtitle
      ? `<text x="${width / 2}" y="18" text-anchor="middle" font-size="12" fill="#555">${escapeXml(subtitle)}</text>`
      : '',
    panel('time to all Available + Ready (s, median)', seriesFor('seconds'), 70, 60, 330, 260),
    panel('controller peak RSS (MiB, median)', seriesFor('peakRssMiB'), 530, 60, 330, 260),
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}

export const GENERATED_BEGIN = '<!-- bench:begin (generated by npm run bench; edits inside are overwritten) -->';
export const GENERATED_END = '<!-- bench:end -->';

/** Replaces the generated section of docs/benchmarks.md (appended when the markers are missing). */
export function replaceGenerated(doc: string, generated: string): string {
  const section = `${GENERATED_BEGIN}\n\n${generated.trim()}\n\n${GENERATED_END}`;
  const begin = doc.indexOf(GENERATED_BEGIN);
  const end = doc.indexOf(GENERATED_END);
  if (begin === -1 || end === -1 || end < begin) return `${doc.trimEnd()}\n\n${section}\n`;
  return doc.slice(0, begin) + section + doc.slice(end + GENERATED_END.length);
}
