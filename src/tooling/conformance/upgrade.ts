/**
 * @module conformance/upgrade
 * Upstream's `test/e2e/upgrade` package (v0.10.0, unchanged) as the proof that switching controllers never
 * restarts an inference group, in both directions on one cluster:
 *
 *   upstream's manager → lws-ts, then lws-ts → upstream's manager.
 *
 * Per direction: the namespace lws-upgrade-test is removed; the `from` controller runs (host process, see
 * host-controllers.ts) and the suite's `before` phase (LWS_UPGRADE_PHASE=before) creates a LeaderWorkerSet
 * (2 groups of 2) and a DisaggregatedSet (prefill + decode) and writes a snapshot (UIDs, generations, child LWS,
 * pod UIDs and restart counts); `from` is stopped, `to` starts and takes the Lease, the stand-in Deployment
 * lws-system/lws-controller-manager is rolled to `to`'s image (the suite's IMAGE_TAG), and the `after` phase
 * checks the snapshot stays identical for 30 s, then creates new workloads that must reconcile.
 * A direction passes when both phases pass.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../k8s/client/client.ts';
import { NotFoundError } from '../../k8s/client/errors.ts';
import { NAMESPACES } from '../../k8s/client/resources.ts';
import {
  CONTROLLER_IMAGES,
  CONTROLLER_TITLES,
  applyStandIn,
  installSharedObjects,
  startHostController,
  type HostController,
  type HostControllerKind,
} from './host-controllers.ts';
import { ConformanceError, ensureSuiteBinary } from './build.ts';
import { DS_BINARY, DS_PACKAGE, UPGRADE_BINARY } from './disaggregatedset.ts';
import { ensureUpstreamManager } from './host-controllers.ts';
import { LWS_MODULE, LWS_VERSION, caseResults, type CaseResult, type GinkgoReport } from './suite.ts';

export const UPGRADE_PACKAGE = `${LWS_MODULE}/test/e2e/upgrade`;
/** The namespace upstream's upgrade suite creates in its `before` phase (and must not exist then). */
export const UPGRADE_NAMESPACE = 'lws-upgrade-test';

export const UPGRADE_DIRECTIONS: readonly (readonly [HostControllerKind, HostControllerKind])[] = [
  ['upstream', 'lws-ts'],
  ['lws-ts', 'upstream'],
];

export function upgradeCaseName(from: HostControllerKind, to: HostControllerKind): string {
  return `[${UPGRADE_PACKAGE}] Controller upgrade preserves existing workloads and reconciles new workloads: ${CONTROLLER_TITLES[from]} -> ${CONTROLLER_TITLES[to]}`;
}

export interface PhaseOutcome {
  phase: 'before' | 'after';
  report: GinkgoReport | undefined;
  exitCode: number;
  log: string;
}

/**
 * One direction's verdict from its phases (pure): PASS when every phase's single case passed; otherwise FAIL
 * with the first failing phase's detail. A phase that did not run (the direction stopped earlier) is named.
 */
export function directionResult(name: string, phases: readonly PhaseOutcome[], error?: string): CaseResult {
  let seconds = 0;
  for (const p of phases) {
    const [result] = caseResults(p.report, {
      rules: [],
      expected: ['Controller upgrade preserves existing workloads and reconciles new workloads'],
      missingReason: `not run: the suite exited with ${p.exitCode} without reporting it (see ${p.log})`,
    });
    if (result?.seconds !== undefined) seconds += result.seconds;
    if (!result || result.verdict !== 'PASS') {
      return {
        verdict: 'FAIL',
        name,
        seconds,
        detail: `phase ${p.phase}: ${result?.detail ?? 'no result'}`,
      };
    }
  }
  if (error) return { verdict: 'FAIL', name, seconds, detail: error };
  const ran = phases.map((p) => p.phase).join(',');
  if (ran !== 'before,after') {
    return { verdict: 'FAIL', name, seconds, detail: `only the phases [${ran}] ran` };
  }
  return { verdict: 'PASS', name, seconds };
}

function runPhase(
  binary: string,
  phase: 'before' | 'after',
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<PhaseOutcome> {
  const log = join(dir, `${phase}.log`);
  const report = join(dir, `${phase}.json`);
  const fd = openSync(log, 'a');
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      binary,
      ['--ginkgo.no-color', '--ginkgo.v', '--ginkgo.timeout=15m', `--ginkgo.json-report=${report}`],
      { cwd: dir, env: { ...env, LWS_UPGRADE_PHASE: phase }, stdio: ['ignore', fd, fd] },
    );
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  })
    .finally(() => closeSync(fd))
    .then((exitCode) => ({
      phase,
      exitCode,
      log,
      report: existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as GinkgoReport[])[0] : undefined,
    }));
}

async function deleteNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.delete(NAMESPACES, { name });
  } catch (e) {
    if (e instanceof NotFoundError) return;
    throw e;
  }
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      await client.get(NAMESPACES, { name });
    } catch (e) {
      if (e instanceof NotFoundError) return;
      throw e;
    }
    await sleep(500);
  }
  throw new Error(`namespace ${name} still terminating after 180 s`);
}

export interface UpgradeOptions {
  cluster: { name: string; kubeconfig: string };
  client: KubeClient;
  /** The compiled upgrade suite and upstream's manager. */
  binary: string;
  upstreamManager: string;
  runDir: string;
  log: (line: string) => void;
  interrupted: () => boolean;
}

/**
 * Runs both directions on the cluster (no controller may be running at the start). Returns one result per
 * direction. Every controller it started is stopped before it returns.
 */
export async function runUpgradeDirections(options: UpgradeOptions): Promise<CaseResult[]> {
  const { client, log } = options;
  await installSharedObjects(client);
  const results: CaseResult[] = [];
  let n = 0;
  for (const [from, to] of UPGRADE_DIRECTIONS) {
    const name = upgradeCaseName(from, to);
    if (options.interrupted()) {
      results.push({ verdict: 'FAIL', name, detail: 'not run: interrupted' });
      continue;
    }
    const dir = join(options.runDir, `upgrade-${++n}-${from}-to-${to}`);
    await mkdir(dir, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUBECONFIG: options.cluster.kubeconfig,
      LWS_UPGRADE_SNAPSHOT_PATH: join(dir, 'snapshot.json'),
    };
    const phases: PhaseOutcome[] = [];
    let running: HostController | undefined;
    let error: string | undefined;
    const t0 = Date.now();
    try {
      await deleteNamespace(client, UPGRADE_NAMESPACE);
      running = await startHostController(from, options.cluster, client, {
        dir,
        id: from,
        upstreamManager: options.upstreamManager,
      });
      await applyStandIn(client, CONTROLLER_IMAGES[from], CONTROLLER_TITLES[from]);
      log(`upgrade ${n}: ${CONTROLLER_TITLES[from]} (pid ${running.record.pid}) runs; phase before`);
      const before = await runPhase(options.binary, 'before', { ...env, IMAGE_TAG: CONTROLLER_IMAGES[from] }, dir);
      phases.push(before);
      await running.stop();
      running = undefined;
      if (before.exitCode === 0 && !options.interrupted()) {
        running = await startHostController(to, options.cluster, client, {
          dir,
          id: to,
          upstreamManager: options.upstreamManager,
        });
        await applyStandIn(client, CONTROLLER_IMAGES[to], CONTROLLER_TITLES[to]);
        log(
          `upgrade ${n}: ${CONTROLLER_TITLES[from]} stopped, ${CONTROLLER_TITLES[to]} (pid ${running.record.pid}) took over; phase after`,
        );
        phases.push(await runPhase(options.binary, 'after', { ...env, IMAGE_TAG: CONTROLLER_IMAGES[to] }, dir));
      }
    } catch (e) {
      error = (e as Error).message;
    } finally {
      await running?.stop();
    }
    const result = directionResult(name, phases, error);
    log(`upgrade ${n}: ${result.verdict} in ${((Date.now() - t0) / 1000).toFixed(0)}s, logs in ${dir}`);
    results.push(result);
  }
  return results;
}

/** The binaries of the two extra packages and upstream's manager (or why the upgrade step cannot run here). */
export interface ExtraPackages {
  ds: string;
  upgrade: string;
  upstreamManager?: string;
  /** Why the upgrade directions are skipped on this machine (upstream's manager unavailable). */
  upgradeSkipped?: string;
}

/** Builds (or finds) the DisaggregatedSet and upgrade suites and upstream's manager. */
export async function prepareExtraPackages(
  rebuild: boolean | undefined,
  log: (l: string) => void,
): Promise<ExtraPackages> {
  const ds = await ensureSuiteBinary({ log, force: rebuild, pkg: DS_PACKAGE, file: DS_BINARY });
  log(`${ds.built ? 'built' : 'cached'} suite ${DS_PACKAGE}@${LWS_VERSION}: ${ds.path}`);
  const upgrade = await ensureSuiteBinary({ log, force: rebuild, pkg: UPGRADE_PACKAGE, file: UPGRADE_BINARY });
  log(`${upgrade.built ? 'built' : 'cached'} suite ${UPGRADE_PACKAGE}@${LWS_VERSION}: ${upgrade.path}`);
  try {
    const upstreamManager = await ensureUpstreamManager(log, rebuild);
    log(`upstream's manager ${LWS_VERSION}: ${upstreamManager}`);
    return { ds: ds.path, upgrade: upgrade.path, upstreamManager };
  } catch (e) {
    if (e instanceof ConformanceError && e.unavailable) {
      log(`upstream's manager unavailable, the upgrade directions are skipped: ${e.message}`);
      return {
        ds: ds.path,
        upgrade: upgrade.path,
        upgradeSkipped: `upstream's manager cannot be had here: ${e.message}`,
      };
    }
    throw e;
  }
}

/**
 * The upgrade step of a run: both directions, or SKIP lines with the reason (manager unavailable, or not
 * selected by --focus).
 */
export async function upgradeStep(
  extra: ExtraPackages,
  focus: string | undefined,
  options: Omit<UpgradeOptions, 'binary' | 'upstreamManager'>,
): Promise<CaseResult[]> {
  const names = UPGRADE_DIRECTIONS.map(([from, to]) => upgradeCaseName(from, to));
  if (extra.upgradeSkipped || !extra.upstreamManager) {
    return names.map((name) => ({ verdict: 'SKIP' as const, name, detail: extra.upgradeSkipped ?? 'unavailable' }));
  }
  if (focus && !names.some((n) => new RegExp(focus).test(n))) {
    return names.map((name) => ({ verdict: 'SKIP' as const, name, detail: `not selected by --focus ${focus}` }));
  }
  if (options.interrupted())
    return names.map((name) => ({ verdict: 'FAIL' as const, name, detail: 'not run: interrupted' }));
  options.log(`running ${UPGRADE_PACKAGE} in ${names.length} directions (before/after phases, host controllers)`);
  return runUpgradeDirections({ ...options, binary: extra.upgrade, upstreamManager: extra.upstreamManager });
}
