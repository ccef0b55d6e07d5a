/**
 * @module config/options
 * `lwsctl controller`'s options, compiled once at the edge: flags parsed, the Configuration file decoded
 * strictly and defaulted, upstream's precedence applied (a flag overrides the file only when passed
 * explicitly), everything validated with the field or flag named, and the result frozen into the one shape
 * the rest of the program reads. Nothing downstream re-checks or re-defaults.
 */
import { readFile } from 'node:fs/promises';
import type { LogLevel } from '../../k8s/runtime/log.ts';
import { controllerUserAgent } from '../../version.ts';
import { CONTROLLER_FLAGS } from './controller-flags.ts';
import type { GangSchedulerProvider } from '../core/gang-scheduling.ts';
import {
  DEFAULT_NAMESPACE,
  SERVICE_ACCOUNT_NAMESPACE_FILE,
  defaultConfiguration,
  type DefaultedConfiguration,
} from './configuration.ts';
import { decodeConfiguration } from './decode.ts';
import { ConfigurationError } from '../../k8s/go/errors.ts';
import { formatGoDuration } from '../../k8s/go/duration.ts';
import { parseGoFlags, type ParsedFlags } from '../../k8s/go/flags.ts';
import { parseTlsOptions, type TlsServerOptions } from '../../k8s/go/tls.ts';
import {
  checkBindAddress,
  checkLeaderElectionTimings,
  parseBindAddress,
  validateRuntime,
  validateUpstream,
  type BindAddress,
} from './validation.ts';

export type CertificateOptions =
  | {
      /** CA and serving certificate kept in a Secret by the controller (upstream's cert-controller rotator). */
      mode: 'internal';
      secretName: string;
      serviceName: string;
      /** `<service>.<namespace>.svc` */
      dnsName: string;
      serverValidityMs: number;
      extraSans: string[];
    }
  | {
      /** Someone else (cert-manager) writes tls.crt/tls.key into the cert directory; we reload on change. */
      mode: 'external';
      certDir: string;
    };

export interface ControllerOptions {
  kubeconfig?: string;
  namespace: string;
  logLevel: LogLevel;
  client: { qps: number; burst: number; userAgent: string };
  leaderElection: {
    enabled: boolean;
    namespace: string;
    name: string;
    leaseDurationMs: number;
    renewDeadlineMs: number;
    retryPeriodMs: number;
  };
  webhooks: {
    enabled: boolean;
    host?: string;
    port: number;
    tls: TlsServerOptions;
    /** The pod webhook's gang-scheduling step (same provider as `gangScheduling`). */
    gangScheduling?: GangSchedulerProvider;
  };
  certificates: CertificateOptions;
  /** undefined: disabled ("0"). */
  metrics: { address?: BindAddress; secure: boolean; tls: TlsServerOptions };
  health: { address?: BindAddress; readinessPath: string; livenessPath: string };
  workers: number;
  /** Gang scheduling (Configuration gangSchedulingManagement); undefined: off. */
  gangScheduling?: { provider: GangSchedulerProvider };
  /** The effective configuration in the file's terms, for the start-up log. */
  effective: Record<string, unknown>;
}

export type ControllerCommand = { kind: 'version' } | { kind: 'run'; options: ControllerOptions };

export interface Environment {
  env: NodeJS.ProcessEnv;
  readFile(path: string): Promise<string>;
  /** The service-account namespace file; default upstream's path. */
  namespaceFile?: string;
}

export const processEnvironment: Environment = { env: process.env, readFile: (p) => readFile(p, 'utf8') };

/** Parses and compiles `lwsctl controller` arguments; throws FlagError or ConfigurationError. */
export async function loadControllerCommand(argv: readonly string[], environment: Environment): Promise<ControllerCommand> {
  const flags = parseGoFlags(argv, CONTROLLER_FLAGS);
  if (flags.values.version) return { kind: 'version' };
  const cfg = await loadConfiguration(flags.values.config, environment);
  const namespace = flags.values.namespace || (await operatorNamespace(environment));
  return { kind: 'run', options: compile(cfg, flags, namespace, environment.env) };
}

async function loadConfiguration(path: string, environment: Environment): Promise<DefaultedConfiguration> {
  if (!path) return defaultConfiguration();
  let text: string;
  try {
    text = await environment.readFile(path);
  } catch (e) {
    throw new ConfigurationError(`unable to load the configuration`, [`open ${path}: ${(e as Error).message}`]);
  }
  const { configuration, problems } = decodeConfiguration(text);
  if (!configuration) throw new ConfigurationError(`invalid configuration file ${path}`, problems);
  const defaulted = defaultConfiguration(configuration);
  const all = [...problems, ...validateUpstream(defaulted), ...validateRuntime(defaulted)];
  if (all.length > 0) throw new ConfigurationError(`invalid configuration file ${path}`, all);
  return defaulted;
}

/** Upstream GetOperatorNamespace: the service account's namespace file, else lws-system. */
async function operatorNamespace(environment: Environment): Promise<string> {
  try {
    const ns = (await environment.readFile(environment.namespaceFile ?? SERVICE_ACCOUNT_NAMESPACE_FILE)).trim();
    if (ns) return ns;
  } catch {
    // out of cluster
  }
  return DEFAULT_NAMESPACE;
}

function compile(
  cfg: DefaultedConfiguration,
  flags: ParsedFlags<typeof CONTROLLER_FLAGS>,
  namespace: string,
  env: NodeJS.ProcessEnv,
): ControllerOptions {
  const { values: f, set } = flags;
  const problems: string[] = [];
  const pick = <T>(flag: keyof typeof CONTROLLER_FLAGS & string, fromFile: T, flagValue: T) =>
    set.has(flag) ? flagValue : fromFile;
  const source = (flag: string, field: string) => (set.has(flag as never) ? `--${flag}` : field);

  // Deprecated flags override the file only when passed (upstream's flag.Visit).
  const metricsAddress = pick('metrics-bind-address', cfg.metrics.bindAddress, f['metrics-bind-address']);
  const probeAddress = pick('health-probe-bind-address', cfg.health.healthProbeBindAddress, f['health-probe-bind-address']);
  for (const problem of [
    checkBindAddress(source('metrics-bind-address', 'metrics.bindAddress'), metricsAddress, ['0']),
    checkBindAddress(source('health-probe-bind-address', 'health.healthProbeBindAddress'), probeAddress, ['0', '']),
  ]) {
    if (problem) problems.push(problem);
  }
  const le = cfg.leaderElection;
  const timings = {
    leaseDurationMs: pick('leader-elect-lease-duration', le.leaseDurationMs, f['leader-elect-lease-duration']),
    renewDeadlineMs: pick('leader-elect-renew-deadline', le.renewDeadlineMs, f['leader-elect-renew-deadline']),
    retryPeriodMs: pick('leader-elect-retry-period', le.retryPeriodMs, f['leader-elect-retry-period']),
  };
  const enabled = pick('leader-elect', le.leaderElect, f['leader-elect']);
  if (enabled) {
    problems.push(
      ...checkLeaderElectionTimings(timings, {
        leaseDurationMs: source('leader-elect-lease-duration', 'leaderElection.leaseDuration'),
        renewDeadlineMs: source('leader-elect-renew-deadline', 'leaderElection.renewDeadline'),
        retryPeriodMs: source('leader-elect-retry-period', 'leaderElection.retryPeriod'),
      }),
    );
  }
  const lock = pick('leader-elect-resource-lock', le.resourceLock, f['leader-elect-resource-lock']);
  if (lock !== 'leases') {
    problems.push(`${source('leader-elect-resource-lock', 'leaderElection.resourceLock')}: Unsupported value: "${lock}": supported values: "leases"`);
  }
  const tls = parseTlsOptions(cfg.tls);
  problems.push(...tls.problems);
  const burst = pick('kube-api-burst', cfg.clientConnection.burst, f['kube-api-burst']);
  if (problems.length > 0) throw new ConfigurationError('invalid configuration', problems);

  const qps = pick('kube-api-qps', cfg.clientConnection.qps, f['kube-api-qps']);
  const certificates: CertificateOptions = cfg.internalCertManagement.enable
    ? {
        mode: 'internal',
        secretName: cfg.internalCertManagement.webhookSecretName!,
        serviceName: cfg.internalCertManagement.webhookServiceName!,
        dnsName: `${cfg.internalCertManagement.webhookServiceName}.${namespace}.svc`,
        serverValidityMs: f['webhook-cert-validity'],
        extraSans: f['webhook-cert-extra-sans']
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      }
    : { mode: 'external', certDir: cfg.webhook.certDir };
  const zapLevel = f['zap-log-level'];
  const options: ControllerOptions = {
    kubeconfig: f.kubeconfig || undefined,
    namespace,
    logLevel: zapLevel ? pinoLevel(zapLevel) : f['zap-devel'] ? 'debug' : 'info',
    // client-go: QPS 0 means its default 5 (burst 10); a negative QPS disables client-side limiting.
    client: { qps: qps === 0 ? 5 : qps, burst: burst === 0 ? 10 : burst, userAgent: controllerUserAgent() },
    leaderElection: {
      enabled,
      // Upstream always puts the Lease in the operator namespace (resourceNamespace is overridden).
      namespace,
      name: pick('leader-elect-resource-name', le.resourceName, f['leader-elect-resource-name']),
      ...timings,
    },
    webhooks: {
      enabled: env.ENABLE_WEBHOOKS !== 'false',
      host: cfg.webhook.host || undefined,
      port: cfg.webhook.port || 9443,
      tls: tls.options,
      ...(cfg.gangSchedulingManagement
        ? { gangScheduling: cfg.gangSchedulingManagement.schedulerProvider as GangSchedulerProvider }
        : {}),
    },
    certificates,
    metrics: {
      address: metricsAddress === '0' ? undefined : parseBindAddress(metricsAddress),
      secure: f['metrics-secure'],
      tls: tls.options,
    },
    health: {
      address: probeAddress === '0' || probeAddress === '' ? undefined : parseBindAddress(probeAddress),
      readinessPath: cfg.health.readinessEndpointName,
      livenessPath: cfg.health.livenessEndpointName,
    },
    workers: f.workers,
    ...(cfg.gangSchedulingManagement
      ? { gangScheduling: { provider: cfg.gangSchedulingManagement.schedulerProvider as GangSchedulerProvider } }
      : {}),
    effective: {},
  };
  options.effective = effectiveConfiguration(options, cfg, metricsAddress, probeAddress);
  return Object.freeze(options);
}

/** zap levels → pino: named levels map directly; a verbosity N (logr V(N)) is debug up to 4, then trace. */
function pinoLevel(zap: string): LogLevel {
  const named: Record<string, LogLevel> = { debug: 'debug', info: 'info', error: 'error', panic: 'fatal' };
  const level = named[zap.toLowerCase()];
  if (level) return level;
  return Number(zap) >= 5 ? 'trace' : 'debug';
}

function effectiveConfiguration(
  o: ControllerOptions,
  cfg: DefaultedConfiguration,
  metricsAddress: string,
  probeAddress: string,
): Record<string, unknown> {
  const d = formatGoDuration;
  return {
    apiVersion: 'config.lws.x-k8s.io/v1alpha1',
    kind: 'Configuration',
    webhook: { port: o.webhooks.port, host: o.webhooks.host, certDir: cfg.webhook.certDir },
    leaderElection: {
      leaderElect: o.leaderElection.enabled,
      leaseDuration: d(o.leaderElection.leaseDurationMs),
      renewDeadline: d(o.leaderElection.renewDeadlineMs),
      retryPeriod: d(o.leaderElection.retryPeriodMs),
      resourceLock: 'leases',
      resourceName: o.leaderElection.name,
      resourceNamespace: o.leaderElection.namespace,
    },
    metrics: { bindAddress: metricsAddress },
    health: {
      healthProbeBindAddress: probeAddress,
      readinessEndpointName: o.health.readinessPath,
      livenessEndpointName: o.health.livenessPath,
    },
    internalCertManagement: cfg.internalCertManagement,
    clientConnection: { qps: o.client.qps, burst: o.client.burst },
    ...(cfg.tls ? { tls: cfg.tls } : {}),
    ...(o.gangScheduling ? { gangSchedulingManagement: { schedulerProvider: o.gangScheduling.provider } } : {}),
  };
}
