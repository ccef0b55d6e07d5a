/**
 * @module cluster/cluster
 * A real local Kubernetes control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler
 * and kwok (fake nodes whose pods become Running/Ready through kwok stages), all on 127.0.0.1, plus the
 * network proxy that carries the apiserver's Service traffic to processes on this machine (cluster/egress).
 *
 * `clusterUp` starts everything detached and returns once every fake node is Ready; `clusterDown` stops
 * every process it recorded and removes the state directory.
 */
import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { join, dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { createCA, issueCertificate } from '../../k8s/pki/pki.ts';
import { VOLCANO_VERSION, ensureBinaries, ensureVolcano } from './binaries.ts';
import {
  EGRESS_SELECTOR_FILE,
  egressSelectorConfiguration,
  networkProxyCommand,
  networkProxySocket,
  waitForSocket,
} from './egress.ts';
import { ClusterError } from './errors.ts';
import { waitHealthy, type TlsMaterial } from './health.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { fakeNodes } from './nodes.ts';
import { freePorts, portIsFree } from './ports.ts';
import { isRunning, startDetached, stopProcess, tailLog, type ProcessRecord } from './processes.ts';
import { kwokStages } from './stages.ts';
import { clusterDir, readState, writeState, type ClusterState } from './state.ts';

const run = promisify(execFile);

export interface ClusterUpOptions {
  name?: string;
  nodes?: number;
  /** Also write the kubeconfig here. */
  kubeconfig?: string;
  podReadyDelayMs?: number;
  podDeleteDelayMs?: number;
  /** Pods running one of these images stay Pending and never become Ready (an image that cannot be pulled). */
  unpullableImages?: string[];
  /** Fixed apiserver port (default: a free one). */
  apiserverPort?: number;
  /** Extra kube-apiserver flags, appended (a later flag wins), e.g. ["--watch-cache=false"]. */
  apiserverArgs?: string[];
  /**
   * Gang scheduling: "volcano" adds Volcano's CRDs, vc-controller-manager and vc-scheduler (schedulerName
   * "volcano"); "native" turns on Kubernetes' own (scheduling.k8s.io/v1alpha2, GenericWorkload + GangScheduling)
   * in kube-apiserver and kube-scheduler. Default: neither.
   */
  scheduler?: ClusterScheduler;
  /** Extra feature gates for kube-apiserver, kube-controller-manager and kube-scheduler, e.g. ["Foo=true"]. */
  featureGates?: string[];
  log?: (line: string) => void;
}

export const CLUSTER_SCHEDULERS = ['default', 'volcano', 'native'] as const;
export type ClusterScheduler = (typeof CLUSTER_SCHEDULERS)[number];
/** Kubernetes 1.36's gang scheduling (KEP-4671): its API group version and feature gates. */
export const NATIVE_GANG_RUNTIME_CONFIG = 'scheduling.k8s.io/v1alpha2=true';
export const NATIVE_GANG_FEATURE_GATES = ['GenericWorkload=true', 'GangScheduling=true'];

export const DEFAULT_CLUSTER_NAME = 'lws';
/** The schedulerName Volcano's scheduler serves on `--scheduler volcano` clusters. */
export const VOLCANO_SCHEDULER_NAME = 'volcano';
export const DEFAULT_POD_READY_DELAY_MS = 500;
export const DEFAULT_POD_DELETE_DELAY_MS = 500;

/** The components, in the order they start (and stop in reverse). */
type Component =
  | 'etcd'
  | 'network-proxy'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'vc-controller-manager'
  | 'vc-scheduler';

function validateName(name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 40) {
    throw new ClusterError(`invalid cluster name "${name}"`, 'use lowercase letters, digits and "-" (at most 40)');
  }
}

export async function clusterUp(options: ClusterUpOptions = {}): Promise<ClusterState> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  validateName(name);
  const nodeCount = options.nodes ?? 4;
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 100) {
    throw new ClusterError(`--nodes must be an integer from 1 to 100, got ${options.nodes}`, 'e.g. --nodes 4');
  }
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const dir = clusterDir(name);

  const previous = await readState(name);
  if (previous) {
    const alive = previous.processes.filter(isRunning).map((p) => p.component);
    if (alive.length > 0) {
      throw new ClusterError(
        `cluster "${name}" is already running (${alive.join(', ')})`,
        `use it with --kubeconfig ${previous.kubeconfig}, or stop it: lwsctl cluster down --name ${name}`,
      );
    }
    throw new ClusterError(
      `cluster "${name}" has a stale state directory ${dir} from a run that was killed`,
      `clean it up first: lwsctl cluster down --name ${name}`,
    );
  }
  if (existsSync(dir)) {
    throw new ClusterError(
      `state directory ${dir} exists but has no state.json`,
      `remove it: lwsctl cluster down --name ${name}`,
    );
  }
  if (options.apiserverPort !== undefined && !(await portIsFree(options.apiserverPort))) {
    throw new ClusterError(
      `port ${options.apiserverPort} on 127.0.0.1 is already in use`,
      'pick another --port or omit it to use a free one',
    );
  }

  const scheduler = options.scheduler ?? 'default';
  if (!(CLUSTER_SCHEDULERS as readonly string[]).includes(scheduler)) {
    throw new ClusterError(
      `--scheduler: unknown scheduler "${scheduler}"`,
      `use one of ${CLUSTER_SCHEDULERS.join(', ')}`,
    );
  }
  const featureGates = [...(scheduler === 'native' ? NATIVE_GANG_FEATURE_GATES : []), ...(options.featureGates ?? [])];
  for (const gate of featureGates) {
    if (!/^[A-Za-z0-9]+=(true|false)$/.test(gate)) {
      throw new ClusterError(
        `--feature-gates: "${gate}" is not NAME=true|false`,
        'e.g. --feature-gates GangScheduling=true',
      );
    }
  }
  const gateFlags = featureGates.length > 0 ? [`--feature-gates=${featureGates.join(',')}`] : [];

  const socket = networkProxySocket(dir);
  const bin = await ensureBinaries();
  const volcano = scheduler === 'volcano' ? await ensureVolcano() : undefined;
  const t0 = Date.now();
  await mkdir(join(dir, 'pki'), { recursive: true });
  await mkdir(join(dir, 'logs'), { recursive: true });

  const [etcdPort, etcdPeerPort, freeApiPort, kcmPort, schedPort, vcCmHealth, vcSchedHealth, vcSchedMetrics] =
    await freePorts(8);
  const apiPort = options.apiserverPort ?? freeApiPort!;
  const server = `https://127.0.0.1:${apiPort}`;

  // PKI: one CA signs the apiserver's serving cert and the admin client cert every component uses.
  const ca = await createCA(`lws-local-${name}-ca`);
  const serving = await issueCertificate(ca, {
    commonName: 'kube-apiserver',
    hosts: ['127.0.0.1', 'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', '10.96.0.1'],
    usage: 'server',
  });
  const admin = await issueCertificate(ca, {
    commonName: 'lws-admin',
    organizations: ['system:masters'],
    usage: 'client',
  });
  const saKey = await issueCertificate(ca, { commonName: 'service-accounts', usage: 'client' });
  const pki = (f: string) => join(dir, 'pki', f);
  await writeFile(pki('ca.crt'), ca.certPem);
  await writeFile(pki('ca.key'), ca.keyPem, { mode: 0o600 });
  await writeFile(pki('apiserver.crt'), serving.certPem);
  await writeFile(pki('apiserver.key'), serving.keyPem, { mode: 0o600 });
  await writeFile(pki('sa.key'), saKey.keyPem, { mode: 0o600 });
  await writeFile(pki('sa.pub'), createPublicKey(saKey.keyPem).export({ type: 'spki', format: 'pem' }).toString());
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    renderKubeconfig({
      name: `lws-${name}`,
      server,
      caPem: ca.certPem,
      clientCertPem: admin.certPem,
      clientKeyPem: admin.keyPem,
    }),
    { mode: 0o600 },
  );
  const stagesFile = join(dir, 'kwok-stages.yaml');
  await writeFile(
    stagesFile,
    kwokStages({
      podReadyDelayMs: options.podReadyDelayMs ?? DEFAULT_POD_READY_DELAY_MS,
      podDeleteDelayMs: options.podDeleteDelayMs ?? DEFAULT_POD_DELETE_DELAY_MS,
      unpullableImages: options.unpullableImages,
    }),
  );

  // Service traffic of the control plane (the `cluster` egress) goes through our network proxy.
  const egressFile = join(dir, EGRESS_SELECTOR_FILE);
  await writeFile(egressFile, egressSelectorConfiguration(socket));

  const state: ClusterState = {
    name,
    dir,
    server,
    kubeconfig,
    ports: {
      etcd: etcdPort!,
      etcdPeer: etcdPeerPort!,
      apiserver: apiPort,
      kcm: kcmPort!,
      scheduler: schedPort!,
      ...(volcano ? { vcControllerManager: vcCmHealth!, vcScheduler: vcSchedHealth! } : {}),
    },
    ...(scheduler !== 'default' ? { scheduler } : {}),
    processes: [],
    startedAt: new Date().toISOString(),
  };
  const adminTls: TlsMaterial = { ca: ca.certPem, cert: admin.certPem, key: admin.keyPem };

  /** `health`: a URL that answers 200 once the component serves, or a custom readiness wait. */
  type Health = string | ((alive: () => boolean) => Promise<string | undefined>);
  const launch = async (
    component: Component,
    args: string[],
    binary = join(bin, component),
    env?: Record<string, string>,
  ) => {
    const record = startDetached(component, binary, args, join(dir, 'logs', `${component}.log`), env);
    state.processes.push(record);
    await writeState(state); // recorded before waiting, so `down` can always clean up
    return record;
  };
  const ready = async (record: ProcessRecord, health?: Health, tls?: TlsMaterial) => {
    const alive = () => isRunning(record);
    if (health) {
      const problem =
        typeof health === 'string' ? await waitHealthy(health, { tls, timeoutMs: 60_000, alive }) : await health(alive);
      if (problem) {
        throw new ClusterError(
          `${record.component} did not start: ${problem}; last log lines: ${tailLog(record.log, 3).replace(/\n/g, ' | ')}`,
          `full log: ${record.log}; clean up with: lwsctl cluster down --name ${name}`,
        );
      }
    }
    log(`[cluster ${name}] ${record.component} ready (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  };
  const start = async (component: Component, args: string[], health?: Health, tls?: TlsMaterial) =>
    ready(await launch(component, args), health, tls);

  try {
    await start(
      'etcd',
      [
        '--name=default',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-cluster=default=http://127.0.0.1:${etcdPeerPort}`,
        '--unsafe-no-fsync=true',
        '--quota-backend-bytes=4294967296',
        '--log-level=warn',
      ],
      `http://127.0.0.1:${etcdPort}/health`,
    );
    // The network proxy starts before the apiserver (which dials it lazily, per connection); waiting
    // for its socket after the apiserver is up overlaps the two start-ups.
    const proxy = networkProxyCommand(name, dir);
    const proxyRecord = await launch('network-proxy', proxy.args, proxy.binary);
    await start(
      'kube-apiserver',
      [
        `--etcd-servers=http://127.0.0.1:${etcdPort}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--tls-cert-file=${pki('apiserver.crt')}`,
        `--tls-private-key-file=${pki('apiserver.key')}`,
        `--client-ca-file=${pki('ca.crt')}`,
        `--service-account-key-file=${pki('sa.pub')}`,
        `--service-account-signing-key-file=${pki('sa.key')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--authorization-mode=Node,RBAC',
        '--allow-privileged=true',
        '--endpoint-reconciler-type=none',
        `--egress-selector-config-file=${egressFile}`,
        '--profiling=false',
        '--v=1',
        ...(scheduler === 'native' ? [`--runtime-config=${NATIVE_GANG_RUNTIME_CONFIG}`] : []),
        ...gateFlags,
        ...(options.apiserverArgs ?? []),
      ],
      `${server}/readyz`,
      adminTls,
    );
    await ready(proxyRecord, (alive) => waitForSocket(socket, { timeoutMs: 30_000, alive }));
    await start(
      'kube-controller-manager',
      [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${kcmPort}`,
        '--leader-elect=false',
        `--root-ca-file=${pki('ca.crt')}`,
        `--service-account-private-key-file=${pki('sa.key')}`,
        '--use-service-account-credentials=false',
        '--kube-api-qps=200',
        '--kube-api-burst=400',
        '--concurrent-statefulset-syncs=10',
        '--concurrent-gc-syncs=20',
        '--profiling=false',
        '--v=1',
        ...gateFlags,
      ],
      `https://127.0.0.1:${kcmPort}/healthz`,
    );
    await start(
      'kube-scheduler',
      [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${schedPort}`,
        '--leader-elect=false',
        '--profiling=false',
        '--v=1',
        ...gateFlags,
      ],
      `https://127.0.0.1:${schedPort}/healthz`,
    );
    await start('kwok', [
      `--kubeconfig=${kubeconfig}`,
      '--manage-all-nodes=true',
      `--config=${stagesFile}`,
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.0/16',
      '--node-ip=10.200.0.1',
    ]);

    const kubectl = (...args: string[]) =>
      run(join(bin, 'kubectl'), ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 16 << 20 });
    const nodesFile = join(dir, 'nodes.yaml');
    await writeFile(
      nodesFile,
      fakeNodes(nodeCount)
        .map((n) => stringify(n))
        .join('---\n'),
    );
    await kubectl('apply', '-f', nodesFile);
    try {
      await kubectl('wait', '--for=condition=Ready', 'node', '--all', '--timeout=90s');
    } catch (e) {
      throw new ClusterError(
        `fake nodes did not become Ready: ${(e as { stderr?: string }).stderr?.trim() ?? (e as Error).message}`,
        `see ${join(dir, 'logs', 'kwok.log')}; clean up with: lwsctl cluster down --name ${name}`,
      );
    }
    // Pods in the default namespace need the default ServiceAccount (created by kube-controller-manager).
    await waitFor(
      async () => (await kubectl('get', 'serviceaccount', 'default', '-n', 'default')).stdout !== '',
      60_000,
    );
    log(`[cluster ${name}] ${nodeCount} nodes Ready (${((Date.now() - t0) / 1000).toFixed(1)}s)`);

    if (volcano) {
      // Volcano's CRDs (server-side: the jobs CRD is too big for the last-applied annotation), then its
      // controllers (PodGroup status, queues) and scheduler; pods with schedulerName "volcano" are theirs.
      const step = async (what: string, ...args: string[]) => {
        try {
          return await kubectl(...args);
        } catch (e) {
          const detail = (e as { stderr?: string }).stderr?.trim() || (e as Error).message;
          throw new ClusterError(
            `Volcano: ${what} failed: ${detail}`,
            `clean up with: lwsctl cluster down --name ${name}`,
          );
        }
      };
      await step('applying the CRDs', 'apply', '--server-side', '-f', join(volcano, 'crd'));
      await waitFor(async () => {
        const jsonpath = '{.items[*].status.conditions[?(@.type=="Established")].status}';
        const crds = ['podgroups.scheduling.volcano.sh', 'queues.scheduling.volcano.sh'];
        const out = (await kubectl('get', 'crd', ...crds, '-o', `jsonpath=${jsonpath}`)).stdout.trim();
        return out === 'True True';
      }, 60_000);
      const common = [
        `--kubeconfig=${kubeconfig}`,
        '--leader-elect=false',
        `--scheduler-name=${VOLCANO_SCHEDULER_NAME}`,
      ];
      const withKubeconfig = { KUBECONFIG: kubeconfig };
      await ready(
        await launch(
          'vc-controller-manager',
          [
            ...common,
            '--controllers=pg-controller,queue-controller',
            '--enable-healthz=true',
            `--healthz-address=127.0.0.1:${vcCmHealth}`,
          ],
          join(volcano, 'vc-controller-manager'),
          withKubeconfig,
        ),
        `http://127.0.0.1:${vcCmHealth}/healthz`,
      );
      await ready(
        await launch(
          'vc-scheduler',
          [
            ...common,
            `--scheduler-conf=${join(volcano, 'scheduler.conf')}`,
            '--schedule-period=1s',
            `--listen-address=127.0.0.1:${vcSchedMetrics}`,
            '--enable-healthz=true',
            `--healthz-address=127.0.0.1:${vcSchedHealth}`,
            '--cache-dumper=false',
          ],
          join(volcano, 'vc-scheduler'),
          withKubeconfig,
        ),
        `http://127.0.0.1:${vcSchedHealth}/healthz`,
      );
      // The scheduler creates the "default" queue, the queue controller opens it: pods wait until then.
      await waitFor(
        async () =>
          (await kubectl('get', 'queue', 'default', '-o', 'jsonpath={.status.state}')).stdout.trim() === 'Open',
        120_000,
      );
      log(
        `[cluster ${name}] Volcano ${VOLCANO_VERSION} ready, queue "default" open (${((Date.now() - t0) / 1000).toFixed(1)}s)`,
      );
    }

    if (options.kubeconfig) {
      const target = resolve(options.kubeconfig);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(kubeconfig, target);
      state.userKubeconfig = target;
      await writeState(state);
    }
    return state;
  } catch (e) {
    await clusterDown(name, { log: () => {} }).catch(() => {});
    throw e;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline)
      throw new ClusterError('timed out waiting for the cluster to settle', 'retry, or check the logs');
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface ClusterDownOptions {
  log?: (line: string) => void;
}

/** Stops every process of the cluster (reverse start order) and removes its state directory. */
export async function clusterDown(name = DEFAULT_CLUSTER_NAME, options: ClusterDownOptions = {}): Promise<boolean> {
  validateName(name);
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const dir = clusterDir(name);
  const state = await readState(name);
  if (!state && !existsSync(dir)) {
    log(`[cluster ${name}] not running`);
    return false;
  }
  const processes: ProcessRecord[] = [...(state?.processes ?? [])].reverse();
  for (const p of processes) {
    if (isRunning(p)) {
      await stopProcess(p);
      log(`[cluster ${name}] stopped ${p.component} (pid ${p.pid})`);
    }
  }
  await rm(dir, { recursive: true, force: true });
  if (state?.userKubeconfig) await rm(state.userKubeconfig, { force: true });
  log(`[cluster ${name}] down`);
  return true;
}

export interface ComponentStatus {
  component: string;
  pid: number;
  running: boolean;
}

export async function clusterStatus(
  name = DEFAULT_CLUSTER_NAME,
): Promise<{ state: ClusterState; components: ComponentStatus[] } | undefined> {
  validateName(name);
  const state = await readState(name);
  if (!state) return undefined;
  return {
    state,
    components: state.processes.map((p) => ({ component: p.component, pid: p.pid, running: isRunning(p) })),
  };
}
