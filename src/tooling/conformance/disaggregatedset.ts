/**
 * @module conformance/disaggregatedset
 * Upstream's DisaggregatedSet e2e package (`sigs.k8s.io/lws/test/e2e/disaggregatedset` v0.10.0: e2e_test.go and
 * hpa_test.go, unchanged) against the same `lwsctl run` and cluster as the LeaderWorkerSet suite.
 *
 * What the package needs, and what stands for it here:
 * - the CRDs disaggregatedsets / disaggregatedsetrolescalers: installed by `lwsctl run`;
 * - a Deployment lws-system/lws-controller-manager with an available replica and a Running pod labelled
 *   control-plane=controller-manager (BeforeSuite, "should have the controller-manager running"): the stand-in
 *   Deployment of host-controllers.ts (image lws-ts:…, its pod on a kwok node; the controller is the host
 *   process `lwsctl run`). Only on a failure does the suite read that pod's logs (`kubectl logs`), which kwok
 *   pods do not have: the controller's own log is in the run directory;
 * - `kubectl` on PATH (the suite shells out to it for every step): the cluster's own kubectl (same version as the
 *   apiserver, from the control-plane binaries) is put first on the suite's PATH;
 * - no metrics-server: the HPA cases drive `/scale` by hand (`kubectl scale`, `kubectl get --raw`);
 * - kube-controller-manager's garbage collector collecting DisaggregatedSetRoleScalers: the HPA cases reuse one name,
 *   and a scaler of the previous case still waiting for collection is one the controller must not adopt (upstream's
 *   ScalerConflict). The collector learns new resource types at its 30 s discovery resync, so right after the CRDs
 *   are installed it may not collect scalers yet; the run first waits until it does (a probe scaler owned by a
 *   ConfigMap is collected once the ConfigMap is deleted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeClient } from '../../k8s/client/client.ts';
import { NotFoundError } from '../../k8s/client/errors.ts';
import { CONFIGMAPS } from '../../k8s/client/resources.ts';
import { ROLE_SCALERS } from '../../disaggregatedset/api/resources.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { binaryDir } from '../cluster/binaries.ts';
import { CONTROLLER_IMAGES, CONTROLLER_TITLES, SYSTEM_NAMESPACE, applyStandIn } from './host-controllers.ts';
import { ConformanceError } from './build.ts';
import { LWS_MODULE, caseResults, specNames, type CaseResult, type GinkgoReport } from './suite.ts';

export const DS_PACKAGE = `${LWS_MODULE}/test/e2e/disaggregatedset`;
export const DS_BINARY = 'disaggregatedset.test';
export const UPGRADE_BINARY = 'upgrade.test';

function runBinary(
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
  return (JSON.parse(readFileSync(path, 'utf8')) as GinkgoReport[])[0];
}

/** Resolves once the garbage collector collects a RoleScaler whose owner is gone (see the module doc). */
export async function waitForScalerCollection(client: KubeClient, timeoutMs = 180_000): Promise<number> {
  const t0 = Date.now();
  const name = 'conformance-gc-probe';
  const key = { namespace: SYSTEM_NAMESPACE, name };
  const owner = await client.create<{
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string; uid?: string };
  }>(CONFIGMAPS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: SYSTEM_NAMESPACE },
  });
  await client.create(ROLE_SCALERS, {
    apiVersion: 'disaggregatedset.x-k8s.io/v1',
    kind: 'DisaggregatedSetRoleScaler',
    metadata: {
      name,
      namespace: SYSTEM_NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name, uid: owner.metadata.uid ?? '' }],
    },
    spec: { replicas: 0 },
  } as never);
  await client.delete(CONFIGMAPS, key);
  while (Date.now() - t0 < timeoutMs) {
    try {
      await client.get(ROLE_SCALERS, key);
    } catch (e) {
      if (e instanceof NotFoundError) return Date.now() - t0;
      throw e;
    }
    await sleep(500);
  }
  throw new ConformanceError(
    `kube-controller-manager's garbage collector did not collect the probe DisaggregatedSetRoleScaler ${SYSTEM_NAMESPACE}/${name} within ${timeoutMs / 1000} s`,
    'see the cluster logs (kube-controller-manager.log)',
  );
}

export interface DisaggregatedSetRunOptions {
  binary: string;
  kubeconfig: string;
  client: KubeClient;
  /** The run directory; the package's files go to its subdirectory disaggregatedset/. */
  runDir: string;
  focus?: string;
  timeout: string;
  log: (line: string) => void;
  onChild?: (child: ChildProcess | undefined) => void;
  interrupted: () => boolean;
}

/** Runs the package with `lwsctl run` already serving the cluster; one result per case (dry-run list first). */
export async function runDisaggregatedSetSuite(
  options: DisaggregatedSetRunOptions,
): Promise<{ results: CaseResult[]; seed?: number }> {
  const dir = join(options.runDir, 'disaggregatedset');
  await mkdir(dir, { recursive: true });
  const dryReport = join(dir, 'dry-run.json');
  await runBinary(
    options.binary,
    ['--ginkgo.dry-run', '--ginkgo.no-color', `--ginkgo.json-report=${dryReport}`],
    process.env,
    join(dir, 'dry-run.log'),
    dir,
  );
  const dry = readReport(dryReport);
  const expected = dry ? specNames(dry) : [];

  await applyStandIn(options.client, CONTROLLER_IMAGES['lws-ts'], CONTROLLER_TITLES['lws-ts']);
  const gcMs = await waitForScalerCollection(options.client);
  options.log(
    `garbage collector collects DisaggregatedSetRoleScalers (probe collected in ${(gcMs / 1000).toFixed(1)}s)`,
  );
  const suiteLog = join(dir, 'suite.log');
  const reportFile = join(dir, 'report.json');
  const args = [
    '--ginkgo.no-color',
    '--ginkgo.v',
    `--ginkgo.timeout=${options.timeout}`,
    `--ginkgo.json-report=${reportFile}`,
  ];
  if (options.focus) args.push(`--ginkgo.focus=${options.focus}`);
  const toRun = expected.filter((n) => !options.focus || new RegExp(options.focus).test(n));
  options.log(`running ${toRun.length} of ${expected.length} cases of ${DS_PACKAGE}, log ${suiteLog}`);
  const t0 = Date.now();
  const code = await runBinary(
    options.binary,
    args,
    { ...process.env, KUBECONFIG: options.kubeconfig, PATH: `${binaryDir()}:${process.env.PATH ?? ''}` },
    suiteLog,
    dir,
    options.onChild,
  );
  options.log(`${DS_PACKAGE} finished in ${((Date.now() - t0) / 1000).toFixed(0)}s (exit ${code})`);
  const report = readReport(reportFile);
  const results = caseResults(report, {
    rules: [],
    focus: options.focus,
    expected,
    missingReason: options.interrupted()
      ? 'not run: interrupted'
      : `not run: the suite exited with ${code} without reporting it (see ${suiteLog})`,
  });
  return { results, seed: report?.SuiteConfig?.RandomSeed };
}
