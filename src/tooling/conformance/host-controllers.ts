/**
 * @module conformance/host-controllers
 * The two controllers of the upgrade step, each run as a host process against the conformance cluster with
 * the same install objects, as an in-cluster Deployment would be:
 * - `upstream`: upstream's manager v0.10.0 (sigs.k8s.io/lws/cmd, built by hack/upstream-manager/build.sh into
 *   ~/.cache/lws/upstream/v0.10.0/manager);
 * - `lws-ts`: `lwsctl controller`.
 * Both get the same Configuration file (internal certificates in the Secret lws-webhook-server-cert, leader
 * election on the Lease b8b2488c.x-k8s.io in lws-system) and serve their webhooks on 127.0.0.1; the apiserver
 * reaches them through the cluster's network proxy via the Service lws-system/lws-webhook-service:443 (a
 * `lwsctl cluster route`), so the webhook configurations are the service-based ones of upstream's install.
 *
 * The Deployment lws-system/lws-controller-manager that upstream's DisaggregatedSet and upgrade suites check
 * is a stand-in here: its pod (container `manager`, image naming the controller that runs on the host) runs on
 * a kwok node; it does not run the controller.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../k8s/client/client.ts';
import { applyObject } from '../../k8s/client/apply.ts';
import { AlreadyExistsError, NotFoundError } from '../../k8s/client/errors.ts';
import {
  DEPLOYMENTS,
  LEASES,
  MUTATING_WEBHOOK_CONFIGURATIONS,
  NAMESPACES,
  SECRETS,
  SERVICES,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
} from '../../k8s/client/resources.ts';
import { mutatingWebhookConfiguration, validatingWebhookConfiguration } from '../../lws/manifests/webhooks.ts';
import { freePorts } from '../cluster/ports.ts';
import { isRunning, startDetached, stopProcess, tailLog, type ProcessRecord } from '../cluster/processes.ts';
import { addRoute, removeRoute } from '../cluster/routes.ts';
import { adoptProcess } from '../cluster/state.ts';
import { ConformanceError } from './build.ts';
import { LWS_VERSION } from './suite.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const packageVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

export const SYSTEM_NAMESPACE = 'lws-system';
export const CONTROLLER_DEPLOYMENT = 'lws-controller-manager';
const WEBHOOK_SERVICE = 'lws-webhook-service';
const WEBHOOK_SECRET = 'lws-webhook-server-cert';
/** Upstream's default leader-election Lease name (--leader-elect-resource-name), ours too. */
const LEASE_NAME = 'b8b2488c.x-k8s.io';

export type HostControllerKind = 'upstream' | 'lws-ts';

/** The image the stand-in Deployment names for each controller (the upgrade suite's IMAGE_TAG). */
export const CONTROLLER_IMAGES: Readonly<Record<HostControllerKind, string>> = {
  upstream: `registry.k8s.io/lws/lws:${LWS_VERSION}`,
  'lws-ts': `lws-ts:v${packageVersion}`,
};

export const CONTROLLER_TITLES: Readonly<Record<HostControllerKind, string>> = {
  upstream: `upstream's manager ${LWS_VERSION}`,
  'lws-ts': 'lws-ts (lwsctl controller)',
};

export function upstreamManagerPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lws', 'upstream', LWS_VERSION, 'manager');
}

/**
 * Upstream's manager binary, built once (hack/upstream-manager/build.sh; LWS_GIT as for the suite, defaulting to
 * the team's mirror when it exists). Throws an `unavailable` ConformanceError when it can be neither found nor built.
 */
export async function ensureUpstreamManager(log: (l: string) => void, force = false): Promise<string> {
  const path = upstreamManagerPath();
  if (!force && existsSync(path)) return path;
  const goDir = [...(process.env.PATH ?? '').split(':'), '/usr/local/go/bin'].find(
    (d) => d && existsSync(join(d, 'go')),
  );
  if (!goDir) {
    throw new ConformanceError(
      `the Go toolchain is missing, so upstream's manager (sigs.k8s.io/lws/cmd@${LWS_VERSION}) cannot be built`,
      `install Go >= 1.26, or copy a built manager to ${path}`,
      true,
    );
  }
  log(`building upstream's manager ${LWS_VERSION} into ${path} (once)`);
  mkdirSync(dirname(path), { recursive: true });
  const t0 = Date.now();
  try {
    await run('bash', [join(repoRoot, 'hack', 'upstream-manager', 'build.sh'), path], {
      env: { ...process.env, PATH: `${process.env.PATH}:${goDir}` },
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
    const unavailable = /403|not available|LWS_GIT/.test(stderr);
    throw new ConformanceError(
      `cannot build upstream's manager sigs.k8s.io/lws/cmd@${LWS_VERSION}: ${stderr.split('\n').slice(-3).join(' / ')}`,
      'set LWS_GIT to a git clone of kubernetes-sigs/lws with tag ' + LWS_VERSION + ' (as for the suite)',
      unavailable,
    );
  }
  log(`built ${path} in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  return path;
}

async function ignoreNotFound(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
}

async function createIfAbsent(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
  }
}

/**
 * Upstream's install objects that both controllers share (the CRDs are already installed): the namespace, the
 * webhook Service, the Secret (shipped empty; the certificate rotator fills it) and the webhook configurations
 * pointing at the Service (without a caBundle; the rotator injects it). Replaces `lwsctl run`'s URL ones.
 */
export async function installSharedObjects(client: KubeClient): Promise<void> {
  await createIfAbsent(() =>
    client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NAMESPACE } }),
  );
  await ignoreNotFound(() => client.delete(SECRETS, { namespace: SYSTEM_NAMESPACE, name: WEBHOOK_SECRET }));
  await client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: WEBHOOK_SECRET, namespace: SYSTEM_NAMESPACE },
  });
  const target = { service: { name: WEBHOOK_SERVICE, namespace: SYSTEM_NAMESPACE, port: 443 } };
  const configs = [
    [MUTATING_WEBHOOK_CONFIGURATIONS, mutatingWebhookConfiguration({ target })],
    [VALIDATING_WEBHOOK_CONFIGURATIONS, validatingWebhookConfiguration({ target })],
  ] as const;
  for (const [ref, object] of configs) {
    await ignoreNotFound(() => client.delete(ref, { name: object.metadata.name }));
    await client.create(ref, object as never);
  }
  await createIfAbsent(() =>
    client.create(SERVICES, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: WEBHOOK_SERVICE, namespace: SYSTEM_NAMESPACE },
      spec: {
        type: 'ClusterIP',
        selector: { 'control-plane': 'controller-manager' },
        ports: [{ port: 443, targetPort: 9443 }],
      },
    } as never),
  );
}

/** The stand-in Deployment: upstream's name, labels and container name; its image names the running controller. */
export function standInDeployment(image: string, controller: string) {
  const labels = { 'control-plane': 'controller-manager' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: CONTROLLER_DEPLOYMENT,
      namespace: SYSTEM_NAMESPACE,
      labels,
      annotations: {
        'lws-ts.dev/stand-in': `the controller (${controller}) runs as a host process; this pod runs on a kwok node`,
      },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'manager', image }] } },
    },
  };
}

interface DeploymentStatusView {
  metadata: { generation?: number };
  status?: {
    observedGeneration?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    replicas?: number;
  };
}

/** Applies the stand-in Deployment with `image` and waits until it is fully rolled out and available. */
export async function applyStandIn(client: KubeClient, image: string, controller: string): Promise<void> {
  await createIfAbsent(() =>
    client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NAMESPACE } }),
  );
  await applyObject(client, standInDeployment(image, controller) as never, 'lws-conformance');
  const deadline = Date.now() + 120_000;
  for (;;) {
    const d = await client.get<DeploymentStatusView>(DEPLOYMENTS, {
      namespace: SYSTEM_NAMESPACE,
      name: CONTROLLER_DEPLOYMENT,
    });
    const s = d.status ?? {};
    if (
      s.observedGeneration === d.metadata.generation &&
      s.updatedReplicas === 1 &&
      s.readyReplicas === 1 &&
      s.availableReplicas === 1 &&
      s.replicas === 1
    )
      return;
    if (Date.now() > deadline) {
      throw new ConformanceError(
        `the stand-in Deployment ${SYSTEM_NAMESPACE}/${CONTROLLER_DEPLOYMENT} did not become available: ${JSON.stringify(s)}`,
        'check the cluster (kwok, kube-controller-manager) logs',
      );
    }
    await sleep(500);
  }
}

async function leaseHolder(client: KubeClient): Promise<string> {
  try {
    const lease = await client.get<{ spec?: { holderIdentity?: string } }>(LEASES, {
      namespace: SYSTEM_NAMESPACE,
      name: LEASE_NAME,
    });
    return lease.spec?.holderIdentity ?? '';
  } catch (e) {
    if (e instanceof NotFoundError) return '';
    throw e;
  }
}

export interface HostController {
  kind: HostControllerKind;
  record: ProcessRecord;
  stop(): Promise<void>;
}

/**
 * Starts a controller as a host process of its own group (recorded with the cluster, so `cluster down` stops it),
 * routes the webhook Service to it, and resolves once it holds the Lease (a holder other than `previousHolder`)
 * and admits a LeaderWorkerSet (server-side dry run through the webhooks).
 */
export async function startHostController(
  kind: HostControllerKind,
  cluster: { name: string; kubeconfig: string },
  client: KubeClient,
  options: { dir: string; id: string; upstreamManager?: string },
): Promise<HostController> {
  const [metrics, health, webhook] = (await freePorts(3)) as [number, number, number];
  const dir = join(options.dir, options.id);
  const certDir = join(dir, 'certs');
  mkdirSync(certDir, { recursive: true });
  const configFile = join(dir, 'config.yaml');
  writeFileSync(
    configFile,
    [
      'apiVersion: config.lws.x-k8s.io/v1alpha1',
      'kind: Configuration',
      'leaderElection:',
      '  leaderElect: true',
      `  resourceNamespace: ${SYSTEM_NAMESPACE}`,
      'internalCertManagement:',
      '  enable: true',
      'webhook:',
      '  host: 127.0.0.1',
      `  port: ${webhook}`,
      `  certDir: ${certDir}`,
      '',
    ].join('\n'),
  );
  const common = [
    `--kubeconfig=${cluster.kubeconfig}`,
    `--config=${configFile}`,
    `--metrics-bind-address=127.0.0.1:${metrics}`,
    `--health-probe-bind-address=127.0.0.1:${health}`,
  ];
  const previousHolder = await leaseHolder(client);
  const logFile = join(dir, `${kind}.log`);
  let record: ProcessRecord;
  if (kind === 'upstream') {
    if (!options.upstreamManager) throw new Error('upstream manager binary not given');
    record = startDetached(`${kind}-${options.id}`, options.upstreamManager, common, logFile);
  } else {
    record = startDetached(
      `${kind}-${options.id}`,
      process.execPath,
      [join(repoRoot, 'bin', 'lwsctl.js'), 'controller', ...common],
      logFile,
    );
  }
  await adoptProcess(cluster.name, record);
  const service = { namespace: SYSTEM_NAMESPACE, name: WEBHOOK_SERVICE, port: 443 };
  await addRoute(cluster.name, service, { host: '127.0.0.1', port: webhook });
  const stop = async () => {
    await stopProcess(record, 20_000);
    await removeRoute(cluster.name, service).catch(() => false);
  };
  const probe = {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'conformance-switch-probe', namespace: 'default' },
    spec: {
      leaderWorkerTemplate: {
        workerTemplate: { spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } },
      },
    },
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (!isRunning(record)) {
      await stop();
      throw new ConformanceError(
        `${CONTROLLER_TITLES[kind]} exited before it was ready; log ${logFile}:\n${tailLog(logFile, 10)}`,
        'see its log',
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new ConformanceError(
        `${CONTROLLER_TITLES[kind]} not ready after 180 s; log ${logFile}:\n${tailLog(logFile, 10)}`,
        'see its log',
      );
    }
    try {
      if (kind === 'upstream') await mountSecret(client, certDir);
      const holder = await leaseHolder(client);
      if (holder !== '' && holder !== previousHolder) {
        await client.request(
          'POST',
          '/apis/leaderworkerset.x-k8s.io/v1/namespaces/default/leaderworkersets?dryRun=All',
          probe,
        );
        return { kind, record, stop };
      }
    } catch {
      /* not yet */
    }
    await sleep(500);
  }
}

/**
 * What the kubelet does for upstream's Deployment: once the certificate rotator has filled the Secret, its
 * keys appear as files in the webhook certificate directory (a volume mount), which the rotator waits for.
 */
async function mountSecret(client: KubeClient, certDir: string): Promise<void> {
  if (existsSync(join(certDir, 'tls.crt'))) return;
  const secret = await client.get<{ data?: Record<string, string> }>(SECRETS, {
    namespace: SYSTEM_NAMESPACE,
    name: WEBHOOK_SECRET,
  });
  const data = secret.data ?? {};
  if (!data['tls.crt'] || !data['tls.key']) return;
  for (const [file, value] of Object.entries(data)) writeFileSync(join(certDir, file), Buffer.from(value, 'base64'));
}
