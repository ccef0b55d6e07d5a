/**
 * @module config/configuration
 * The `config.lws.x-k8s.io/v1alpha1` `Configuration` file (upstream api/config/v1alpha1) and its defaults
 * (defaults.go plus component-base's RecommendedDefaultLeaderElectionConfiguration). Field names, JSON names
 * and default values are upstream's; durations are kept as milliseconds once decoded.
 */

export const CONFIG_GROUP_VERSION = 'config.lws.x-k8s.io/v1alpha1';
export const CONFIG_KIND = 'Configuration';

export const DEFAULT_WEBHOOK_CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';
export const DEFAULT_WEBHOOK_SERVICE_NAME = 'lws-webhook-service';
export const DEFAULT_WEBHOOK_SECRET_NAME = 'lws-webhook-server-cert';
export const DEFAULT_WEBHOOK_PORT = 9443;
export const DEFAULT_HEALTH_PROBE_BIND_ADDRESS = ':8081';
export const DEFAULT_READINESS_ENDPOINT = '/readyz';
export const DEFAULT_LIVENESS_ENDPOINT = '/healthz';
export const DEFAULT_METRICS_BIND_ADDRESS = ':8443';
export const DEFAULT_LEADER_ELECTION_ID = 'b8b2488c.x-k8s.io';
export const DEFAULT_RESOURCE_LOCK = 'leases';
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
export const DEFAULT_CLIENT_QPS = 500;
export const DEFAULT_CLIENT_BURST = 500;
/** Upstream's operator namespace when no service-account namespace file exists. */
export const DEFAULT_NAMESPACE = 'lws-system';
export const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** component-base `LeaderElectionConfiguration` (durations in ms). */
export interface LeaderElectionConfiguration {
  leaderElect?: boolean;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  resourceLock?: string;
  resourceName?: string;
  resourceNamespace?: string;
}

export interface Configuration {
  webhook: { port?: number; host?: string; certDir?: string };
  leaderElection?: LeaderElectionConfiguration;
  metrics: { bindAddress?: string };
  health: { healthProbeBindAddress?: string; readinessEndpointName?: string; livenessEndpointName?: string };
  tls?: { minVersion?: string; cipherSuites?: string[] };
  internalCertManagement?: { enable?: boolean; webhookServiceName?: string; webhookSecretName?: string };
  gangSchedulingManagement?: { schedulerProvider?: string };
  clientConnection?: { qps?: number; burst?: number };
}

/** A Configuration after defaulting: everything upstream defaults is present. */
export interface DefaultedConfiguration extends Configuration {
  webhook: { port: number; host?: string; certDir: string };
  leaderElection: Required<Omit<LeaderElectionConfiguration, 'resourceNamespace'>> & { resourceNamespace?: string };
  metrics: { bindAddress: string };
  health: { healthProbeBindAddress: string; readinessEndpointName: string; livenessEndpointName: string };
  internalCertManagement: { enable: boolean; webhookServiceName?: string; webhookSecretName?: string };
  clientConnection: { qps: number; burst: number };
}

/** `SetDefaults_Configuration`: fills what is unset (a zero value counts as unset, as in Go). */
export function defaultConfiguration(input: Configuration = { webhook: {}, metrics: {}, health: {} }): DefaultedConfiguration {
  const cfg = structuredClone(input);
  const le = cfg.leaderElection ?? {};
  const enable = cfg.internalCertManagement?.enable ?? true;
  const certs = { ...cfg.internalCertManagement, enable };
  if (enable) {
    certs.webhookServiceName ??= DEFAULT_WEBHOOK_SERVICE_NAME;
    certs.webhookSecretName ??= DEFAULT_WEBHOOK_SECRET_NAME;
  }
  return {
    ...cfg,
    webhook: {
      ...cfg.webhook,
      port: cfg.webhook.port ?? DEFAULT_WEBHOOK_PORT,
      certDir: cfg.webhook.certDir || DEFAULT_WEBHOOK_CERT_DIR,
    },
    metrics: { bindAddress: cfg.metrics.bindAddress || DEFAULT_METRICS_BIND_ADDRESS },
    health: {
      healthProbeBindAddress: cfg.health.healthProbeBindAddress || DEFAULT_HEALTH_PROBE_BIND_ADDRESS,
      readinessEndpointName: cfg.health.readinessEndpointName || DEFAULT_READINESS_ENDPOINT,
      livenessEndpointName: cfg.health.livenessEndpointName || DEFAULT_LIVENESS_ENDPOINT,
    },
    leaderElection: {
      ...le,
      leaderElect: le.leaderElect ?? true,
      leaseDurationMs: le.leaseDurationMs || DEFAULT_LEASE_DURATION_MS,
      renewDeadlineMs: le.renewDeadlineMs || DEFAULT_RENEW_DEADLINE_MS,
      retryPeriodMs: le.retryPeriodMs || DEFAULT_RETRY_PERIOD_MS,
      resourceLock: le.resourceLock || DEFAULT_RESOURCE_LOCK,
      resourceName: le.resourceName || DEFAULT_LEADER_ELECTION_ID,
    },
    internalCertManagement: certs,
    clientConnection: {
      qps: cfg.clientConnection?.qps ?? DEFAULT_CLIENT_QPS,
      burst: cfg.clientConnection?.burst ?? DEFAULT_CLIENT_BURST,
    },
  };
}
