/**
 * @module bench/main
 * `npm run bench [-- --quick] [--rounds N] [--only ts,go,null] [--no-docs]`: lws-ts, upstream's Go manager
 * v0.10.0 and the null bound, interleaved round by round on a private local cluster (kwok pods Ready at
 * once). Writes the generated section of docs/benchmarks.md, docs/img/benchmarks.{svg,png} and the raw
 * runs (docs/img/benchmarks.json). Not part of `npm test`: it takes minutes (quick) to an hour (full).
 *
 * Lever measurements: `--ts-args "--workers=4"` (extra `lwsctl controller` flags), `--ts-node-args
 * "--max-semi-space-size=2"` (V8 flags), `--lwsctl /other/checkout/bin/lwsctl.js` (before/after), `--json
 * FILE` (raw runs), `--label TEXT` (in the header), `--keep-cluster`, `--sessions a,b` (only these sessions of
 * scenarios.ts), `--ts-env "K=V …"` (environment of lws-ts), `--dump-metrics DIR` (each controller's /metrics at the end of its session), `--timeline DIR` (every pod,
 * StatefulSet and LWS event of a session with its arrival time, and each set's path to Available in steps:
 * timeline.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../k8s/client/client.ts';
import { applyObject, waitForCRD } from '../../k8s/client/apply.ts';
import { NAMESPACES, PODS, SERVICES, STATEFULSETS } from '../../k8s/client/resources.ts';
import { NotFoundError } from '../../k8s/client/errors.ts';
import type { StatefulSet } from '../../k8s/client/objects.ts';
import { CRD_NAME, loadLeaderWorkerSetCRD } from '../../lws/api/crd.ts';
import { loadDisaggregatedSetCRDs } from '../../disaggregatedset/api/crd.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { render } from '../../lws/render/render.ts';
import { clusterDown, clusterUp } from '../cluster/cluster.ts';
import { binaryDir } from '../cluster/binaries.ts';
import { readState } from '../cluster/state.ts';
import { defaultLws } from '../testing/lws-builder.ts';
import {
  CONTROLLER_SETTINGS,
  SYSTEM_NAMESPACE,
  createMetricsToken,
  ensureUpstreamManager,
  imageNodeFlags,
  startController,
  type RunningController,
} from './controllers.ts';
import { cpuSeconds, loadAverage } from './proc.ts';
import { formatSteps, recordTimeline, stepsOf } from './timeline.ts';
import {
  fullSessions,
  nullRuns,
  podsOf,
  quickSessions,
  sizeCurveScenarios,
  unrelatedSessions,
  type Phase,
  type Session,
  type Shape,
} from './scenarios.ts';
import {
  VARIANTS,
  bucketQuantile,
  bucketsDelta,
  histogramBuckets,
  shareWithin,
  type Buckets,
  percentile,
  renderChartSvg,
  renderTables,
  replaceGenerated,
  type RunMetrics,
  type Variant,
} from './stats.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const log = (l: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${l}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const IMAGE = 'nginxinc/nginx-unprivileged:1.27';
const NEW_IMAGE = 'nginxinc/nginx-unprivileged:1.28';

interface Pod {
  metadata: { name: string; uid?: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec?: { containers: Array<{ image?: string }> };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

const ready = (p: Pod) =>
  !p.metadata.deletionTimestamp && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * The bench's LeaderWorkerSet. Its pods have `terminationGracePeriodSeconds: 0`, so the apiserver removes a
 * deleted pod at once instead of leaving it to kwok: kwok v0.8 finishes a pod's deletion with a delete by name,
 * without a UID precondition, and when it lags behind it deletes the new pod a StatefulSet has meanwhile created
 * under the same name. Under RecreateGroupOnPodRestart that is a failed worker, the group is recreated, more
 * same-name pods churn, and a 400-pod rolling update turned into a loop of group recreations (793 in 9 minutes)
 * that measured kwok, not the controllers. A kubelet deletes with the pod's UID; with grace 0 no one has to. Even
 * so the apiserver marks such a pod (deletionTimestamp, grace 0) in one write before removing it in the next, and
 * kwok acted on that mark too, until its pod-delete stage was limited to grace periods above 0 (cluster/stages).
 */
function lwsObject(ns: string, name: string, shape: Shape): LeaderWorkerSet {
  const l = defaultLws(ns, name);
  l.spec.replicas = shape.replicas;
  l.spec.leaderWorkerTemplate.size = shape.size;
  for (const template of [l.spec.leaderWorkerTemplate.leaderTemplate, l.spec.leaderWorkerTemplate.workerTemplate]) {
    if (template?.spec) template.spec.terminationGracePeriodSeconds = 0;
  }
  return l;
}

/** Runs `fn` over items with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Polls until `done` returns true (every 500 ms, lists served from the watch cache); false on timeout. */
async function until(done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await done()) return true;
    } catch {
      /* transient */
    }
    await sleep(500);
  }
  return false;
}

async function listPods(client: KubeClient, ns: string): Promise<Pod[]> {
  return (await client.list<Pod>(PODS, { namespace: ns, resourceVersion: '0' })).items;
}

/** Ready pods as the StatefulSets count them (the null bound has no LWS status to ask). */
async function readyPodsByStatefulSets(client: KubeClient, ns: string): Promise<number> {
  const sets = (await client.list<StatefulSet>(STATEFULSETS, { namespace: ns, resourceVersion: '0' })).items;
  return sets.reduce((sum, s) => sum + (s.status?.readyReplicas ?? 0), 0);
}

async function allLwsAvailable(client: KubeClient, ns: string, count: number, rolled = false): Promise<boolean> {
  const sets = (await client.list<LeaderWorkerSet>(LEADERWORKERSETS, { namespace: ns })).items;
  return (
    sets.length === count &&
    sets.every(
      (s) =>
        s.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') &&
        (!rolled || (s.status?.updatedReplicas === s.spec.replicas && s.status?.readyReplicas === s.spec.replicas)),
    )
  );
}

interface SessionState {
  ns: string;
  kubeconfig: string;
  shape?: Shape;
}

const WEBHOOK_HISTOGRAM = 'apiserver_admission_webhook_admission_duration_seconds';
const podWebhook = (labels: string) => /(?:^|,)name="[mv]pod\.kb\.io"/.test(labels);

/** The apiserver's calls to the pod webhooks so far (kubectl get --raw /metrics). */
async function podWebhookBuckets(kubeconfig: string): Promise<Buckets | undefined> {
  try {
    const kubectl = join(binaryDir(), 'kubectl');
    const { stdout } = await run(kubectl, ['--kubeconfig', kubeconfig, 'get', '--raw', '/metrics'], {
      maxBuffer: 1 << 28,
    });
    return histogramBuckets(stdout, WEBHOOK_HISTOGRAM, podWebhook);
  } catch {
    return undefined;
  }
}

const PHASE_TIMEOUT_MS = 600_000;
/**
 * Upstream v0.10.0 may never recreate a group whose worker was replaced before its pod reconcile ran
 * (kubernetes-sigs/lws#998; kwok makes the replacement Ready at once): counted as a timeout.
 */
const RESTART_TIMEOUT_MS = 90_000;

/** Performs one phase; resolves with the scenario-specific figures (seconds, latencies). */
async function runPhase(
  phase: Phase,
  variant: Variant,
  client: KubeClient,
  state: SessionState,
): Promise<Partial<RunMetrics>> {
  const { ns } = state;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  switch (phase.kind) {
    case 'create': {
      state.shape = phase.shape;
      const names = Array.from({ length: phase.shape.lws }, (_, i) => `lws-${i}`);
      if (variant === 'null') {
        const objects = names.flatMap((n) =>
          render(lwsObject(ns, n, phase.shape)).objects.filter((o) => o.kind === 'StatefulSet' || o.kind === 'Service'),
        );
        await pool(objects, 16, async (o) => {
          const copy = structuredClone(o) as { kind: string; metadata: { ownerReferences?: unknown } };
          delete copy.metadata.ownerReferences;
          await client.create(copy.kind === 'Service' ? SERVICES : STATEFULSETS, copy as never);
        });
      } else {
        await pool(names, 16, (n) => client.create(LEADERWORKERSETS, lwsObject(ns, n, phase.shape) as never));
      }
      const expected = podsOf(phase.shape);
      // Cheap checks first (a few LWS or StatefulSet statuses); the pod list, megabytes at 2,000 pods, only
      // to confirm — polling it every 500 ms would load the apiserver more than some controllers do.
      const ok = await until(async () => {
        if (
          variant === 'null'
            ? (await readyPodsByStatefulSets(client, ns)) !== expected
            : !(await allLwsAvailable(client, ns, phase.shape.lws))
        )
          return false;
        const pods = await listPods(client, ns);
        return pods.filter(ready).length === expected;
      }, PHASE_TIMEOUT_MS);
      return ok ? { seconds: elapsed(), pods: expected } : { pods: expected, timedOut: true };
    }
    case 'rolling': {
      const shape = state.shape!;
      const sets = (await client.list<LeaderWorkerSet>(LEADERWORKERSETS, { namespace: ns })).items;
      await pool(sets, 16, (s) =>
        client.patch(
          LEADERWORKERSETS,
          { namespace: ns, name: s.metadata.name! },
          {
            spec: {
              leaderWorkerTemplate: {
                leaderTemplate: { spec: { containers: [{ name: 'leader', image: NEW_IMAGE }] } },
                workerTemplate: { spec: { containers: [{ name: 'worker', image: NEW_IMAGE }] } },
              },
            },
          },
          { type: 'merge' },
        ),
      );
      const expected = podsOf(shape);
      const ok = await until(async () => {
        if (!(await allLwsAvailable(client, ns, shape.lws, true))) return false;
        const pods = await listPods(client, ns);
        const done = pods.filter((p) => ready(p) && p.spec?.containers[0]?.image === NEW_IMAGE).length === expected;
        return done && pods.length === expected;
      }, PHASE_TIMEOUT_MS);
      return ok ? { seconds: elapsed(), pods: expected } : { pods: expected, timedOut: true };
    }
    case 'restart': {
      const shape = state.shape!;
      const pods = await listPods(client, ns);
      const leaders = pods
        .filter((p): p is Pod & { metadata: { uid: string } } => !!p.metadata.uid)
        .filter((p) => p.metadata.labels?.['leaderworkerset.sigs.k8s.io/worker-index'] === '0')
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
        .slice(0, phase.groups);
      const oldUid = new Map(leaders.map((p) => [p.metadata.name, p.metadata.uid]));
      const t0 = performance.now();
      await pool(leaders, 16, (l) => client.delete(PODS, { namespace: ns, name: `${l.metadata.name}-1` }));
      const expected = podsOf(shape);
      const ok = await until(async () => {
        if (!(await allLwsAvailable(client, ns, shape.lws))) return false;
        const now = await listPods(client, ns);
        const byName = new Map(now.map((p) => [p.metadata.name, p]));
        const recreated = [...oldUid].every(([n, uid]) => {
          const p = byName.get(n);
          return p && p.metadata.uid !== uid && ready(p);
        });
        return recreated && now.filter(ready).length === expected;
      }, phase.timeoutMs ?? RESTART_TIMEOUT_MS);
      return ok ? { seconds: (performance.now() - t0) / 1000, pods: expected } : { pods: expected, timedOut: true };
    }
    case 'webhook': {
      const template = render(lwsObject(ns, 'hook', { lws: 1, replicas: 1, size: 2 })).objects.find(
        (o) => o.kind === 'Pod' && o.metadata.name === 'hook-0-1',
      ) as unknown as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
      const latencies: number[] = [];
      const inflight: Array<Promise<void>> = [];
      const hooksBefore = await podWebhookBuckets(state.kubeconfig);
      const total = phase.perSecond * phase.seconds;
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        const due = t0 + (i * 1000) / phase.perSecond;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        const pod = structuredClone(template);
        pod.metadata = { ...pod.metadata, name: `hook-${i}`, ownerReferences: undefined };
        delete pod.metadata.ownerReferences;
        // Nobody schedules these: only admission is measured, not kwok.
        pod.spec = { ...pod.spec, schedulerName: 'bench-nobody' };
        const s = performance.now();
        inflight.push(
          client.create(PODS, pod as never).then(
            () => void latencies.push(performance.now() - s),
            () => undefined,
          ),
        );
      }
      await Promise.all(inflight);
      const seconds = elapsed();
      const hooksAfter = await podWebhookBuckets(state.kubeconfig);
      const hooks = hooksBefore && hooksAfter ? bucketsDelta(hooksAfter, hooksBefore) : undefined;
      const ms = (v: number | undefined) => (v === undefined ? undefined : v * 1000);
      return {
        seconds,
        pods: total,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        ...(hooks && hooks.get(Infinity)
          ? {
              hookP50Ms: ms(bucketQuantile(hooks, 0.5)),
              hookP99Ms: ms(bucketQuantile(hooks, 0.99)),
              hookWithin5msPct: shareWithin(hooks, 0.005),
            }
          : {}),
      };
    }
    case 'idle': {
      await sleep(phase.settleSeconds * 1000);
      return { pods: phase.unrelatedPods };
    }
  }
}

/**
 * Deletes a session's namespace and waits until its pods, StatefulSets and sets are gone — not for the
 * namespace object itself: the sets and StatefulSets go first (so nothing recreates pods), then every pod at
 * once with no grace. The namespace controller's own clean-up took ≈ 7 s per session even when the namespace
 * was already empty (a third of `--quick`); it finishes in the background, and the next session uses another
 * namespace.
 */
async function deleteNamespace(client: KubeClient, ns: string): Promise<void> {
  const t0 = performance.now();
  const background = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };
  const collections: Array<[string, object]> = [
    [`/apis/leaderworkerset.x-k8s.io/v1/namespaces/${ns}/leaderworkersets`, background],
    [`/apis/apps/v1/namespaces/${ns}/statefulsets`, background],
    [`/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 }],
  ];
  const ignoreGone = (e: unknown) => {
    if (!(e instanceof NotFoundError)) throw e;
  };
  for (const [path, options] of collections) await client.request('DELETE', path, options).catch(ignoreGone);
  await client.delete(NAMESPACES, { name: ns }).catch(ignoreGone);
  const empty = await until(async () => {
    for (const [path] of collections) {
      const list = await client.request<{ items: unknown[] }>('GET', `${path}?limit=1`);
      if (list.items.length > 0) return false;
    }
    return true;
  }, 600_000);
  if (!empty) log(`namespace ${ns} still not empty after 10 min; continuing`);
  else log(`  namespace ${ns} emptied in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function createNamespace(client: KubeClient, ns: string): Promise<void> {
  await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as never);
}

interface Context {
  clusterName: string;
  kubeconfig: string;
  dir: string;
  client: KubeClient;
  apiserverPid: number;
  upstreamPath?: string;
  nodeArgs: string[];
  tsEnv: Record<string, string>;
  metricsToken: string;
  lwsctl?: string;
  tsArgs: string[];
  results: RunMetrics[];
  /** --dump-metrics DIR: each controller's /metrics at the end of its session. */
  dumpMetrics?: string;
  /** --timeline DIR: each session's watch events (timeline.ts). */
  timeline?: string;
}

async function runSession(ctx: Context, session: Session, variant: Variant, round: number): Promise<void> {
  const phases = variant === 'null' ? session.phases.filter(nullRuns) : session.phases;
  if (phases.length === 0) return;
  const ns = `bench-${session.name}-${variant}-${round}`;
  log(`round ${round}: ${session.name} / ${variant} (load ${loadAverage()})`);
  let controller: RunningController | undefined;
  let timeline: ReturnType<typeof recordTimeline> | undefined;
  try {
    controller = await startController(
      variant,
      { name: ctx.clusterName, kubeconfig: ctx.kubeconfig, dir: ctx.dir },
      ctx.client,
      {
        upstreamPath: ctx.upstreamPath,
        id: `${session.name}-${variant}-${round}`,
        nodeArgs: ctx.nodeArgs,
        env: variant === 'ts' ? ctx.tsEnv : {},
        metricsToken: ctx.metricsToken,
        lwsctl: ctx.lwsctl,
        tsArgs: ctx.tsArgs,
      },
    );
    await createNamespace(ctx.client, ns);
    timeline = ctx.timeline ? recordTimeline(ctx.client, ns, join(ctx.timeline, `${ns}.jsonl`)) : undefined;
    const state: SessionState = { ns, kubeconfig: ctx.kubeconfig };
    for (const phase of phases) {
      const cpu0 = controller.cpuSeconds();
      const req0 = await controller.requests();
      const api0 = cpuSeconds(ctx.apiserverPid);
      const figures = await runPhase(phase, variant, ctx.client, state);
      const cpu1 = controller.cpuSeconds();
      const req1 = await controller.requests();
      const api1 = cpuSeconds(ctx.apiserverPid);
      const m: RunMetrics = {
        scenario: phase.name,
        variant,
        round,
        pods: figures.pods ?? 0,
        ...figures,
        cpuSeconds: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined,
        peakRssMiB: controller.peakRssMiB(),
        requests: req0 !== undefined && req1 !== undefined ? req1 - req0 : undefined,
        apiserverCpuSeconds: api0 !== undefined && api1 !== undefined ? api1 - api0 : undefined,
      };
      if (phase.kind === 'idle') delete m.apiserverCpuSeconds;
      ctx.results.push(m);
      log(
        `  ${phase.name}: ${m.timedOut ? 'TIMED OUT' : m.seconds === undefined ? 'done' : `${m.seconds.toFixed(2)} s`}` +
          `, cpu ${m.cpuSeconds?.toFixed(2) ?? '–'} s, rss ${m.peakRssMiB?.toFixed(0) ?? '–'} MiB, ` +
          `requests ${m.requests ?? '–'}, apiserver cpu ${m.apiserverCpuSeconds?.toFixed(2) ?? '–'} s` +
          (m.p50Ms !== undefined ? `, p50 ${m.p50Ms.toFixed(1)} ms p99 ${m.p99Ms?.toFixed(1)} ms` : '') +
          (m.hookP99Ms !== undefined
            ? `, webhook calls p50 ${m.hookP50Ms?.toFixed(2)} ms p99 ${m.hookP99Ms.toFixed(2)} ms, ${m.hookWithin5msPct?.toFixed(1)} % ≤ 5 ms`
            : ''),
      );
    }
  } finally {
    if (timeline) {
      const steps = stepsOf(await timeline.stop());
      if (steps.total.sets > 0) log(`  timeline: ${formatSteps(steps)}`);
    }
    if (ctx.dumpMetrics && controller) {
      // The controller's own counters (requests by method and code, queue and reconcile histograms).
      const text = await controller.metricsText();
      if (text) writeFileSync(join(ctx.dumpMetrics, `${session.name}-${variant}-${round}.prom`), text);
    }
    await controller?.stop();
    await deleteNamespace(ctx.client, ns);
  }
}

async function createUnrelatedPods(client: KubeClient, count: number): Promise<void> {
  const ns = 'bench-unrelated';
  await createNamespace(client, ns).catch(() => undefined);
  log(`creating ${count} unrelated pods in ${ns} (never scheduled)`);
  const indexes = Array.from({ length: count }, (_, i) => i);
  await pool(indexes, 32, (i) =>
    client.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `other-${i}`, namespace: ns, labels: { app: 'unrelated', shard: String(i % 50) } },
      spec: { schedulerName: 'bench-nobody', containers: [{ name: 'app', image: IMAGE }] },
    } as never),
  );
}

async function svgToPng(svg: string, png: string, installed = false): Promise<string | undefined> {
  for (const [cmd, args] of [
    ['rsvg-convert', ['-o', png, svg]],
    ['convert', [svg, png]],
  ] as const) {
    try {
      await run(cmd, [...args]);
      return undefined;
    } catch {
      /* next */
    }
  }
  // Like the other tools the project needs (hack/prometheus.sh, hack/build-image.sh): Debian's package, as root.
  if (!installed && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    log('installing librsvg2-bin (rsvg-convert) to render the chart');
    try {
      await run('apt-get', ['install', '-y', '--no-install-recommends', 'librsvg2-bin'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      return svgToPng(svg, png, true);
    } catch (e) {
      return `rsvg-convert is missing and apt-get could not install librsvg2-bin: ${(e as Error).message.split('\n')[0]}`;
    }
  }
  return 'neither rsvg-convert nor ImageMagick convert could render the SVG (apt-get install librsvg2-bin)';
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      only: { type: 'string' },
      'no-docs': { type: 'boolean', default: false },
      'keep-cluster': { type: 'boolean', default: false },
      label: { type: 'string' },
      'ts-node-args': { type: 'string' },
      lwsctl: { type: 'string' },
      'ts-args': { type: 'string' },
      json: { type: 'string' },
      'from-json': { type: 'string' },
      sessions: { type: 'string' },
      'dump-metrics': { type: 'string' },
      timeline: { type: 'string' },
      'ts-env': { type: 'string' },
    },
  });
  if (values['from-json']) {
    // Re-render docs from a saved run (no cluster).
    const saved = JSON.parse(readFileSync(values['from-json'], 'utf8')) as SavedRun;
    await report(saved, Boolean(values['no-docs']), values.json);
    return 0;
  }
  const quick = values.quick!;
  const rounds = Number(values.rounds ?? 3);
  const only = new Set((values.only ?? VARIANTS.join(',')).split(',') as Variant[]);
  const pick = values.sessions ? new Set(values.sessions.split(',')) : undefined;
  const chosen = (list: Session[]) => (pick ? list.filter((s) => pick.has(s.name)) : list);
  const sessions = chosen(quick ? quickSessions() : fullSessions());
  const later = chosen(quick ? [] : unrelatedSessions());
  const started = Date.now();
  const load0 = loadAverage();

  const skipped: Partial<Record<Variant, string>> = {};
  let upstreamPath: string | undefined;
  if (only.has('go')) {
    const up = await ensureUpstreamManager(log);
    upstreamPath = up.path;
    if (up.skipped) {
      skipped.go = up.skipped;
      log(`Go v0.10.0 skipped: ${up.skipped}`);
    }
  }
  const variants = VARIANTS.filter((v) => only.has(v) && !skipped[v]);

  // lws-ts runs as the image runs it: the compiled JavaScript (hack/build-js.sh), unless --lwsctl names another.
  let lwsctl = values.lwsctl;
  if (lwsctl === undefined && only.has('ts')) {
    const out = join(repoRoot, 'build', 'bench-js');
    log('compiling lws-ts to JavaScript (hack/build-js.sh), as the image does');
    await run('bash', [join(repoRoot, 'hack', 'build-js.sh'), out], { maxBuffer: 1 << 24 });
    lwsctl = join(out, 'bin', 'lwsctl.js');
  }
  const ctxNodeArgs =
    values['ts-node-args'] !== undefined ? values['ts-node-args'].split(' ').filter(Boolean) : imageNodeFlags();
  const name = `bench-${process.pid}`;
  log(`cluster ${name} up (${quick ? 4 : 24} nodes, pods Ready at once)`);
  const state = await clusterUp({
    name,
    nodes: quick ? 4 : 24,
    podReadyDelayMs: 0,
    podDeleteDelayMs: 0,
    log: (l) => log(l),
  });
  const kc = new KubeConfig();
  kc.loadFromFile(state.kubeconfig);
  const client = await KubeClient.fromKubeConfig(kc, { qps: 1000, burst: 1000 });
  const results: RunMetrics[] = [];
  try {
    await applyObject(client, loadLeaderWorkerSetCRD());
    await waitForCRD(client, CRD_NAME);
    for (const crd of loadDisaggregatedSetCRDs()) {
      await applyObject(client, crd);
      await waitForCRD(client, crd.metadata.name);
    }
    await createNamespace(client, SYSTEM_NAMESPACE);
    const apiserverPid = (await readState(name))!.processes.find((p) => p.component === 'kube-apiserver')!.pid;
    const ctx: Context = {
      clusterName: name,
      kubeconfig: state.kubeconfig,
      dir: state.dir,
      client,
      apiserverPid,
      upstreamPath,
      nodeArgs: ctxNodeArgs,
      tsEnv: Object.fromEntries(
        (values['ts-env'] ?? '')
          .split(' ')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      ),
      metricsToken: await createMetricsToken(client),
      lwsctl,
      tsArgs: values['ts-args'] ? values['ts-args'].split(' ') : [],
      results,
      dumpMetrics: values['dump-metrics']
        ? (mkdirSync(values['dump-metrics'], { recursive: true }), values['dump-metrics'])
        : undefined,
      timeline: values.timeline ? (mkdirSync(values.timeline, { recursive: true }), values.timeline) : undefined,
    };
    const interleaved = async (list: readonly Session[]) => {
      for (let round = 1; round <= rounds; round++) {
        // Rotate the order each round so no variant always runs first after a cleanup.
        const order = variants.map((_, i) => variants[(i + round - 1) % variants.length]!);
        for (const session of list) for (const v of order) await runSession(ctx, session, v, round);
      }
    };
    await interleaved(sessions);
    if (later.length > 0) {
      await createUnrelatedPods(client, 10_000);
      await interleaved(later);
    }
  } finally {
    client.close();
    if (!values['keep-cluster']) await clusterDown(name, { log: () => {} });
  }

  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const header = [
    `Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 16)} UTC` +
      ` (${rounds} interleaved rounds, ${minutes} min${values.label ? `, ${values.label}` : ''}).`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `Node ${process.versions.node}; load average at start ${load0}, at end ${loadAverage()}.`,
    '',
    'Settings: ' +
      variants
        .map(
          (v) =>
            `${v}: ${CONTROLLER_SETTINGS[v]}${v === 'ts' && ctxNodeArgs.length ? `, node ${ctxNodeArgs.join(' ')}` : ''}` +
            (v === 'ts' ? (values.lwsctl ? `, ${values.lwsctl}` : ', compiled JavaScript (as in the image)') : '') +
            (v === 'ts' && values['ts-args'] ? `, flags ${values['ts-args']}` : ''),
        )
        .join('; ') +
      '.',
    '',
  ].join('\n');
  await report({ quick, rounds, skipped, results, header }, Boolean(values['no-docs']), values.json);
  return 0;
}

interface SavedRun {
  quick: boolean;
  rounds: number;
  skipped: Partial<Record<Variant, string>>;
  results: RunMetrics[];
  header: string;
}

/** Prints the tables; writes docs/benchmarks.md's generated section and docs/img/benchmarks.{svg,png,json}. */
async function report(run: SavedRun, noDocs: boolean, jsonPath: string | undefined): Promise<void> {
  const allSessions = run.quick ? quickSessions() : [...fullSessions(), ...unrelatedSessions()];
  const phases = allSessions.flatMap((s) => s.phases);
  const tables = renderTables(
    run.results,
    phases.map((p) => ({ name: p.name, title: p.title })),
    run.skipped,
  );
  const svg = renderChartSvg(
    run.results,
    sizeCurveScenarios(allSessions),
    `npm run bench${run.quick ? ' -- --quick' : ''}, ${/ on (\S+ UTC)/.exec(run.header)?.[1] ?? ''}, medians of ${run.rounds} rounds`,
  );
  process.stdout.write(`${run.header}\n${tables}\n`);
  const json = JSON.stringify(run, null, 1) + '\n';
  if (jsonPath) writeFileSync(jsonPath, json);
  if (noDocs) return;
  const img = join(repoRoot, 'docs', 'img');
  mkdirSync(img, { recursive: true });
  writeFileSync(join(img, 'benchmarks.svg'), svg);
  writeFileSync(join(img, 'benchmarks.json'), json);
  const problem = await svgToPng(join(img, 'benchmarks.svg'), join(img, 'benchmarks.png'));
  if (problem) log(`PNG not written: ${problem}`);
  const docPath = join(repoRoot, 'docs', 'benchmarks.md');
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
  writeFileSync(
    docPath,
    replaceGenerated(doc, `${run.header}\n![time and peak RSS against size](img/benchmarks.png)\n\n${tables}`),
  );
  log('wrote docs/benchmarks.md and docs/img/benchmarks.{svg,png,json}');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
