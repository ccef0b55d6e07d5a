/**
 * @module conformance/run
 * `npm run conformance`: upstream's e2e suite against this controller. Builds (or reuses) the suite
 * binary, brings up a private local cluster whose pods become Ready and disappear after a delay (so the
 * suite's 250 ms polls see transient surge and restart states), runs the controller exactly as a user
 * does (`lwsctl run`), runs the suite with KUBECONFIG pointing at the cluster, and always tears both down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterDown, clusterUp } from '../cluster/cluster.ts';
import { isRunning } from '../cluster/processes.ts';
import { VOLCANO_VERSION } from '../cluster/binaries.ts';
import { adoptProcess, readState } from '../cluster/state.ts';
import { startController, stopController } from '../testing/controller-process.ts';
import { ConformanceError, conformanceDir, ensureSuiteBinary } from './build.ts';
import { clientFor } from '../../k8s/client/kubeconfig.ts';
import { runDisaggregatedSetSuite } from './disaggregatedset.ts';
import { prepareExtraPackages, upgradeStep } from './upgrade.ts';
import {
  LWS_VERSION,
  SCHEDULER_PROVIDER,
  SUITE_PACKAGE,
  caseResults,
  formatResult,
  packageSkips,
  skipPattern,
  specNames,
  summaryLine,
  type CaseResult,
  type GinkgoReport,
} from './suite.ts';

export const DEFAULT_CONFORMANCE_CLUSTER = 'lws-conformance';
/** Long enough for a 250 ms poll to see surge groups and lingering deleted pods, short enough for a ~3 min run. */
export const POD_READY_DELAY_MS = 2000;
export const POD_DELETE_DELAY_MS = 1000;
/** The image "Can perform a rolling update even if old lws not ready" cannot pull on kind: never Ready here either. */
export const UNPULLABLE_IMAGES = ['not-exist-image:v1'];
/** ginkgo's own limit for the whole suite (its default is 1 h). */
const SUITE_TIMEOUT = '30m';

export interface ConformanceOptions {
  cluster: string;
  /** A regular expression: run only the cases it matches (--ginkgo.focus). */
  focus?: string;
  rebuild?: boolean;
  /** Progress lines (stderr); results go to `out`. */
  log?: (line: string) => void;
  out?: (line: string) => void;
}

export interface ConformanceOutcome {
  results: CaseResult[];
  passed: number;
  failed: number;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)}s`;

/** Runs the suite binary; resolves with its exit code. `onChild` sees the process (for interruption). */
function runSuite(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  cwd: string,
  onChild?: (child: ChildProcess | undefined) => void,
): Promise<number> {
  const fd = openSync(logFile, 'a');
  return new Promise<number>((resolve, reject) => {
    const child = spawn(binary, args, { cwd, env, stdio: ['ignore', fd, fd] });
    onChild?.(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      onChild?.(undefined);
      resolve(code ?? (signal ? 128 : 1));
    });
  }).finally(() => closeSync(fd));
}

function readReport(path: string): GinkgoReport | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as GinkgoReport[];
  return parsed[0];
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceOutcome> {
  const log = options.log ?? ((l: string) => process.stderr.write(`conformance: ${l}\n`));
  const out = options.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const started = Date.now();

  let interrupted = false;
  let suiteChild: ChildProcess | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      suiteChild?.kill('SIGKILL');
      return;
    }
    interrupted = true;
    log(`${signal}: stopping the suite, then tearing down`);
    suiteChild?.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const checkInterrupted = () => {
    if (interrupted) throw new ConformanceError('interrupted', 'the cluster and the controller were torn down');
  };

  try {
    const { path: binary, built } = await ensureSuiteBinary({ log, force: options.rebuild });
    log(`${built ? 'built' : 'cached'} suite ${SUITE_PACKAGE}@${LWS_VERSION}: ${binary}`);
    // The DisaggregatedSet and upgrade packages, and upstream's manager for the controller switch.
    const extra = await prepareExtraPackages(options.rebuild, log);
    checkInterrupted();

    // Per cluster, so two runs on different clusters (--cluster) never remove each other's files.
    const runDir = join(
      conformanceDir(),
      options.cluster === DEFAULT_CONFORMANCE_CLUSTER ? 'last-run' : `last-run-${options.cluster}`,
    );
    await rm(runDir, { recursive: true, force: true });
    await mkdir(runDir, { recursive: true });
    const suiteLog = join(runDir, 'suite.log');
    const reportFile = join(runDir, 'report.json');
    const dryReportFile = join(runDir, 'dry-run.json');

    // The case list, so a suite that dies mid-way still accounts for every case.
    await runSuite(
      binary,
      ['--ginkgo.dry-run', '--ginkgo.no-color', `--ginkgo.json-report=${dryReportFile}`],
      process.env,
      join(runDir, 'dry-run.log'),
      runDir,
    );
    const dry = readReport(dryReportFile);
    const expected = dry ? specNames(dry) : [];

    const previous = await readState(options.cluster);
    if (previous) {
      const alive = previous.processes.filter(isRunning).map((p) => p.component);
      if (alive.length > 0) {
        throw new ConformanceError(
          `cluster "${options.cluster}" is already running (${alive.join(', ')}): another conformance run, or one that was killed`,
          `stop it (npx lwsctl cluster down --name ${options.cluster}) or use another name (--cluster NAME)`,
        );
      }
      await clusterDown(options.cluster, { log: () => {} }); // stale state of a killed run
    }

    const outcome = await (async () => {
      let state;
      try {
        const t0 = Date.now();
        state = await clusterUp({
          name: options.cluster,
          podReadyDelayMs: POD_READY_DELAY_MS,
          podDeleteDelayMs: POD_DELETE_DELAY_MS,
          unpullableImages: UNPULLABLE_IMAGES,
          scheduler: 'volcano',
          log: () => {},
        });
        log(
          `cluster "${options.cluster}" up in ${seconds(t0)} (kwok fake nodes; pods Ready after ${POD_READY_DELAY_MS} ms, ` +
            `deleted pods gone after ${POD_DELETE_DELAY_MS} ms; Volcano ${VOLCANO_VERSION} for the gang cases)`,
        );
        checkInterrupted();

        const t1 = Date.now();
        const controllerLog = join(runDir, 'lwsctl-run.log');
        const pid = await startController(state.kubeconfig, controllerLog, 60_000, [
          '--scheduler-provider',
          SCHEDULER_PROVIDER,
        ]);
        // Recorded with the cluster, so `lwsctl cluster down` also stops it should this process be killed.
        await adoptProcess(options.cluster, {
          component: 'lwsctl-run',
          pid,
          binary: process.execPath,
          log: controllerLog,
        });
        log(
          `controller: lwsctl run --scheduler-provider ${SCHEDULER_PROVIDER} (pid ${pid}) ready in ${seconds(t1)}, log ${controllerLog}`,
        );
        checkInterrupted();

        const skip = skipPattern();
        const args = [
          '--ginkgo.no-color',
          '--ginkgo.v',
          `--ginkgo.timeout=${SUITE_TIMEOUT}`,
          `--ginkgo.skip=${skip}`,
          `--ginkgo.json-report=${reportFile}`,
        ];
        if (options.focus) args.push(`--ginkgo.focus=${options.focus}`);
        const toRun = expected.filter(
          (n) => !new RegExp(skip).test(n) && (!options.focus || new RegExp(options.focus).test(n)),
        );
        log(`running ${toRun.length} of ${expected.length} cases (--ginkgo.skip='${skip}'), log ${suiteLog}`);
        const t2 = Date.now();
        const code = await runSuite(
          binary,
          args,
          { ...process.env, KUBECONFIG: state.kubeconfig, SCHEDULER_PROVIDER },
          suiteLog,
          runDir,
          (c) => (suiteChild = c),
        );
        log(`suite finished in ${seconds(t2)} (exit ${code})`);
        const report = readReport(reportFile);
        const results = caseResults(report, {
          focus: options.focus,
          expected,
          missingReason: interrupted
            ? 'not run: interrupted'
            : `not run: the suite exited with ${code} without reporting it (see ${suiteLog})`,
        });
        // The DisaggregatedSet package, same controller; then the controller switch (lwsctl run stopped first).
        const client = await clientFor(state.kubeconfig);
        const dsResults = interrupted
          ? []
          : (
              await runDisaggregatedSetSuite({
                binary: extra.ds,
                kubeconfig: state.kubeconfig,
                client,
                runDir,
                focus: options.focus,
                timeout: SUITE_TIMEOUT,
                log,
                onChild: (c) => (suiteChild = c),
                interrupted: () => interrupted,
              })
            ).results;
        await stopController();
        const upgradeResults = await upgradeStep(extra, options.focus, {
          cluster: { name: options.cluster, kubeconfig: state.kubeconfig },
          client,
          runDir,
          log,
          interrupted: () => interrupted,
        });
        const all = [...results, ...dsResults, ...upgradeResults];
        if (all.some((r) => r.verdict === 'FAIL')) {
          // The cluster's own logs go with the run's, for the failures.
          await cp(join(state.dir, 'logs'), join(runDir, 'cluster-logs'), { recursive: true }).catch(() => {});
        }
        return { results: all, seed: report?.SuiteConfig?.RandomSeed };
      } finally {
        await stopController();
        await clusterDown(options.cluster, { log: () => {} });
        log(`controller stopped, cluster "${options.cluster}" down`);
      }
    })();

    const results = [...outcome.results, ...packageSkips()];
    for (const r of results) out(formatResult(r));
    log(
      `upstream ${SUITE_PACKAGE} ${LWS_VERSION}, ginkgo seed ${outcome.seed ?? '?'}, ${seconds(started)} in all; ` +
        `logs in ${runDir}`,
    );
    const passed = results.filter((r) => r.verdict === 'PASS').length;
    const failed = results.filter((r) => r.verdict === 'FAIL').length;
    out(summaryLine(results));
    return { results, passed, failed };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
