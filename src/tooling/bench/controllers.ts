/**
 * @module bench/controllers
 * The three variants of `npm run bench` on one private cluster:
 * - `ts`: `lwsctl controller` with its defaults (internal certificates, leader election);
 * - `go`: upstream's manager v0.10.0 (sigs.k8s.io/lws/cmd, built by hack/upstream-manager/build.sh into
 *   ~/.cache/lws/upstream/v0.10.0/manager), with the same Configuration file and install objects;
 * - `null`: no controller at all (the scenarios apply what `lwsctl render` computes).
 * Both controllers serve their webhooks on 127.0.0.1; the apiserver reaches them through the cluster's
 * network proxy via the Service lws-system/lws-webhook-service:443 (a `lwsctl cluster route`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { KubeClient } from '../../k8s/client/client.ts';
import {
  LEASES,
  MUTATING_WEBHOOK_CONFIGURATIONS,
  SECRETS,
  SERVICES,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
} from '../../k8s/client/resources.ts';
import { AlreadyExistsError, NotFoundError } from '../../k8s/client/errors.ts';
import { mutatingWebhookConfiguration, validatingWebhookConfiguration } from '../../lws/manifests/webhooks.ts';
import { freePorts } from '../cluster/ports.ts';
import { addRoute, removeRoute } from '../cluster/routes.ts';
import { request as httpsRequest } from 'node:https';
import { CLUSTER_ROLE_BINDINGS, SERVICE_ACCOUNTS } from '../../k8s/client/resources.ts';
import { defaultLws } from '../testing/lws-builder.ts';
import { CONTROLLER_FLAGS } from '../../lws/config/controller-flags.ts';
import { cpuSeconds, statusMiB } from './proc.ts';
import type { Variant } from './stats.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SYSTEM_NAMESPACE = 'lws-system';
const WEBHOOK_SERVICE = 'lws-webhook-service';
const WEBHOOK_SECRET = 'lws-webhook-server-cert';
const LEASE_NAME = 'b8b2488c.x-k8s.io';

function workersPerController(n: number): string {
  return `${n} worker${n === 1 ? '' : 's'} per controller`;
}

/** QPS / burst / workers each variant runs with (their defaults; recorded in docs/benchmarks.md). */
export const CONTROLLER_SETTINGS: Readonly<Record<Variant, string>> = {
  ts: `QPS 500, burst 500 (Configuration clientConnection defaults), ${workersPerController(CONTROLLER_FLAGS.workers.default)} (--workers default)`,
  go: 'QPS 500, burst 500 (Configuration clientConnection defaults), 1 worker per controller (controller-runtime default)',
  null: 'no controller',
};

/**
 * The command line of a controller variant: lws-ts runs under this Node with the image's V8 flags, then the
 * lever flags (`--ts-args`) after the common ones, so they win; upstream's manager gets the common flags only.
 */
export function controllerCommand(
  variant: 'ts' | 'go',
  common: readonly string[],
  options: { nodeArgs?: readonly string[]; tsArgs?: readonly string[]; lwsctl?: string; upstreamPath?: string },
): [string, string[]] {
  if (variant === 'go') return [options.upstreamPath!, [...common]];
  const lwsctl = options.lwsctl ?? join(repoRoot, 'bin', 'lwsctl.js');
  return [process.execPath, [...(options.nodeArgs ?? []), lwsctl, 'controller', ...common, ...(options.tsArgs ?? [])]];
}

/**
 * Variables of the bench's own shell that the image's environment does not have and that change what a controller
 * costs: NODE_EXTRA_CA_CERTS makes Node parse a CA bundle into every TLS context (≈ 1 MiB of RSS measured with a
 * 144-certificate bundle). `--ts-env` can still set them.
 */
const HOST_ONLY_ENV = ['NODE_EXTRA_CA_CERTS'];

/** The environment a controller runs with: the bench's, without host-only variables, plus the lever's. */
export function controllerEnv(host: NodeJS.ProcessEnv, lever: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...host };
  for (const name of HOST_ONLY_ENV) delete env[name];
  return { ...env, ...lever };
}

/**
 * The Node flags the image's /manager entry point (hack/image/manager) runs `lwsctl controller` with, so the
 * bench measures lws-ts as shipped (the Deployment runs /manager).
 */
export function imageNodeFlags(shim = readFileSync(join(repoRoot, 'hack', 'image', 'manager'), 'utf8')): string[] {
  const line = shim.split('\n').find((l) => l.startsWith('exec node '));
  return line
    ? line
        .slice('exec node '.length)
        .split(/\s+/)
        .filter((w) => w.startsWith('--'))
    : [];
}

export function upstreamManagerPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lws', 'upstream', 'v0.10.0', 'manager');
}

/** Builds upstream's manager once (cached); resolves with its path or a reason it is unavailable. */
export async function ensureUpstreamManager(log: (l: string) => void): Promise<{ path?: string; skipped?: string }> {
  const path = upstreamManagerPath();
  if (existsSync(path)) return { path };
  const goDirs = (process.env.PATH ?? '').split(':').concat('/usr/local/go/bin');
  const goDir = goDirs.find((d) => d && existsSync(join(d, 'go')));
  if (!goDir) return { skipped: 'the Go toolchain is missing (needed to build sigs.k8s.io/lws/cmd v0.10.0)' };
  log(`building upstream's manager v0.10.0 into ${path} (once)`);
  mkdirSync(dirname(path), { recursive: true });
  try {
    await run('bash', [join(repoRoot, 'hack', 'upstream-manager', 'build.sh'), path], {
      env: {
        ...process.env,
        PATH: `${process.env.PATH}:${goDir}`,
        LWS_GIT: process.env.LWS_GIT ?? '/work/.mirror/kubernetes-sigs+lws/repo',
      },
      maxBuffer: 64 << 20,
    });
    return { path };
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
    return { skipped: `cannot build upstream's manager: ${stderr.split('\n').slice(-1)[0]}` };
  }
}

export interface RunningController {
  variant: Variant;
  pid?: number;
  metricsPort?: number;
  /** Sum of rest_client_requests_total now (undefined for the null bound or when unreadable). */
  requests(): Promise<number | undefined>;
  /** The controller's whole /metrics text now (undefined for the null bound or when unreadable). */
  metricsText(): Promise<string | undefined>;
  cpuSeconds(): number | undefined;
  peakRssMiB(): number | undefined;
  stop(): Promise<void>;
}

async function deleteIfPresent(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
}

/** Install objects both controllers share: the Service and webhook configurations without a caBundle. */
export async function resetInstall(client: KubeClient, variant: Variant): Promise<void> {
  await deleteIfPresent(() => client.delete(SECRETS, { namespace: SYSTEM_NAMESPACE, name: WEBHOOK_SECRET }));
  await deleteIfPresent(() => client.delete(LEASES, { namespace: SYSTEM_NAMESPACE, name: LEASE_NAME }));
  // Upstream's install ships the Secret empty; its cert-controller fills it (and refuses to create it).
  await client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: WEBHOOK_SECRET, namespace: SYSTEM_NAMESPACE },
  } as never);
  const target = { service: { name: WEBHOOK_SERVICE, namespace: SYSTEM_NAMESPACE, port: 443 } };
  const configs = [
    [MUTATING_WEBHOOK_CONFIGURATIONS, mutatingWebhookConfiguration({ target })],
    [VALIDATING_WEBHOOK_CONFIGURATIONS, validatingWebhookConfiguration({ target })],
  ] as const;
  for (const [ref, object] of configs) {
    await deleteIfPresent(() => client.delete(ref, { name: object.metadata.name }));
    if (variant !== 'null') await client.create(ref, object as never);
  }
  try {
    await client.create(SERVICES, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: WEBHOOK_SERVICE, namespace: SYSTEM_NAMESPACE },
      spec: {
        type: 'ClusterIP',
        selector: { 'control-plane': 'controller-manager' },
        ports: [{ port: 443, targetPort: 9443 }],
      },
    } as never);
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sumCounter(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/**
 * A bearer token allowed to read /metrics: both managers serve metrics over HTTPS behind TokenReview and
 * SubjectAccessReview by default, and the bench keeps those defaults.
 */
export async function createMetricsToken(client: KubeClient): Promise<string> {
  const name = 'bench-metrics-reader';
  await client
    .create(SERVICE_ACCOUNTS, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: SYSTEM_NAMESPACE },
    } as never)
    .catch((e) => {
      if (!(e instanceof AlreadyExistsError)) throw e;
    });
  await client
    .create(CLUSTER_ROLE_BINDINGS, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name, namespace: SYSTEM_NAMESPACE }],
    } as never)
    .catch((e) => {
      if (!(e instanceof AlreadyExistsError)) throw e;
    });
  const review = await client.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${SYSTEM_NAMESPACE}/serviceaccounts/${name}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 86_400 } },
  );
  return review.status.token;
}

function scrape(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { rejectUnauthorized: false, timeout: 10_000, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts a variant on the cluster and waits until it admits LeaderWorkerSets (a server-side dry-run create
 * passes the webhooks) and holds the Lease. The null bound starts nothing.
 */
export async function startController(
  variant: Variant,
  cluster: { name: string; kubeconfig: string; dir: string },
  client: KubeClient,
  options: {
    upstreamPath?: string;
    id: string;
    env?: Record<string, string>;
    nodeArgs?: string[];
    /** Extra `lwsctl controller` arguments (lever measurements, e.g. --workers=4). */
    tsArgs?: string[];
    /** Another checkout's bin/lwsctl.js (before/after comparisons). */
    lwsctl?: string;
    metricsToken: string;
  },
): Promise<RunningController> {
  await resetInstall(client, variant);
  if (variant === 'null') {
    return {
      variant,
      requests: async () => undefined,
      metricsText: async () => undefined,
      cpuSeconds: () => undefined,
      peakRssMiB: () => undefined,
      stop: async () => {},
    };
  }
  const [metrics, health, webhook] = (await freePorts(3)) as [number, number, number];
  const dir = join(cluster.dir, 'bench', options.id);
  mkdirSync(join(dir, 'certs'), { recursive: true });
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
      `  certDir: ${join(dir, 'certs')}`,
      '',
    ].join('\n'),
  );
  const common = [
    `--kubeconfig=${cluster.kubeconfig}`,
    `--config=${configFile}`,
    `--metrics-bind-address=127.0.0.1:${metrics}`,
    `--health-probe-bind-address=127.0.0.1:${health}`,
  ];
  const [command, args] = controllerCommand(variant, common, options);
  const logFile = join(dir, `${variant}.log`);
  const fd = openSync(logFile, 'w');
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', fd, fd],
    env: controllerEnv(process.env, options.env),
    detached: true, // its own process group
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid!;
  const removeWebhookRoute = async () => {
    await removeRoute(cluster.name, { namespace: SYSTEM_NAMESPACE, name: WEBHOOK_SERVICE, port: 443 });
  };
  await addRoute(
    cluster.name,
    { namespace: SYSTEM_NAMESPACE, name: WEBHOOK_SERVICE, port: 443 },
    { host: '127.0.0.1', port: webhook },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 20_000);
      await exited;
      clearTimeout(timer);
    }
    await removeWebhookRoute();
  };
  const started = Date.now();
  const probe = defaultLws(SYSTEM_NAMESPACE, 'bench-probe');
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await removeWebhookRoute();
      throw new Error(`${variant} controller exited before it was ready; log tail:\n${tailOf(logFile)}`);
    }
    if (Date.now() - started > 180_000) {
      await stop();
      throw new Error(`${variant} controller not ready after 180 s; log tail:\n${tailOf(logFile)}`);
    }
    try {
      if (variant === 'go') await mountSecret(client, join(dir, 'certs'));
      await client.request(
        'POST',
        `/apis/leaderworkerset.x-k8s.io/v1/namespaces/${SYSTEM_NAMESPACE}/leaderworkersets?dryRun=All`,
        probe,
      );
      const lease = await client.get<{ spec?: { holderIdentity?: string } }>(LEASES, {
        namespace: SYSTEM_NAMESPACE,
        name: LEASE_NAME,
      });
      if (lease.spec?.holderIdentity) break;
    } catch {
      /* not yet */
    }
    await sleep(500);
  }
  await sleep(2000); // controllers start right after the Lease
  return {
    variant,
    pid,
    metricsPort: metrics,
    requests: async () => {
      try {
        const { status, body } = await scrape(`https://127.0.0.1:${metrics}/metrics`, options.metricsToken);
        return status === 200 ? sumCounter(body, 'rest_client_requests_total') : undefined;
      } catch {
        return undefined;
      }
    },
    metricsText: async () => {
      try {
        const { status, body } = await scrape(`https://127.0.0.1:${metrics}/metrics`, options.metricsToken);
        return status === 200 ? body : undefined;
      } catch {
        return undefined;
      }
    },
    cpuSeconds: () => cpuSeconds(pid),
    peakRssMiB: () => statusMiB(pid, 'VmHWM'),
    stop,
  };
}

function tailOf(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * What the kubelet does for upstream's Deployment: the Secret lws-webhook-server-cert, once the
 * cert-controller has filled it, appears as files in the webhook cert directory (a volume mount), which
 * the cert-controller waits for before it declares the certificates ready.
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
