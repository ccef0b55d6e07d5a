/**
 * @module config/validation
 * Start-up validation of a defaulted Configuration. Upstream's own checks (pkg/config/validation.go) come
 * first with its field paths and messages; then the checks that upstream only hits later, at listen or
 * leader-election time (ports, bind addresses, lease timings, lock type), reported here with the field named.
 */
import { isDNS1035Label, isDNS1123Subdomain } from '../../k8s/validation/object-meta.ts';
import type { DefaultedConfiguration } from './configuration.ts';
import { GANG_SCHEDULER_PROVIDERS } from '../core/gang-scheduling.ts';
import { formatGoDuration } from '../../k8s/go/duration.ts';
import { checkBindAddress } from '../../k8s/go/bind-address.ts';
export { checkBindAddress, parseBindAddress, type BindAddress } from '../../k8s/go/bind-address.ts';

/** Upstream's "volcano", and ours: "kubernetes" (Kubernetes' scheduling.k8s.io Workload/PodGroup, docs/gang-scheduling.md). */
export const SUPPORTED_SCHEDULER_PROVIDERS = GANG_SCHEDULER_PROVIDERS;
/** client-go's JitterFactor: renewDeadline must exceed retryPeriod × 1.2. */
export const LEADER_ELECTION_JITTER = 1.2;

const q = (s: string) => JSON.stringify(s);

/** Upstream `validate`: scheduler provider and internal cert management names. */
export function validateUpstream(c: DefaultedConfiguration): string[] {
  const problems: string[] = [];
  if (c.gangSchedulingManagement) {
    const provider = c.gangSchedulingManagement.schedulerProvider ?? '';
    if (provider === '') problems.push('schedulerProvider: Required value: must be set when gang scheduling is enabled');
    else if (!(SUPPORTED_SCHEDULER_PROVIDERS as readonly string[]).includes(provider)) {
      const supported = SUPPORTED_SCHEDULER_PROVIDERS.map(q).join(', ');
      problems.push(`schedulerProvider: Unsupported value: ${q(provider)}: supported values: ${supported}`);
    }
  }
  const certs = c.internalCertManagement;
  if (certs.enable) {
    if (certs.webhookServiceName !== undefined) {
      const errs = isDNS1035Label(certs.webhookServiceName);
      if (errs.length > 0) {
        problems.push(
          `internalCertManagement.webhookServiceName: Invalid value: ${q(certs.webhookServiceName)}: ${errs.join(',')}`,
        );
      }
    }
    if (certs.webhookSecretName !== undefined) {
      const errs = isDNS1123Subdomain(certs.webhookSecretName);
      if (errs.length > 0) {
        problems.push(
          `internalCertManagement.webhookSecretName: Invalid value: ${q(certs.webhookSecretName)}: ${errs.join(',')}`,
        );
      }
    }
  }
  return problems;
}

export interface LeaderElectionTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** client-go's NewLeaderElector preconditions, named after the fields (or flags) that set them. */
export function checkLeaderElectionTimings(t: LeaderElectionTimings, names: Record<keyof LeaderElectionTimings, string>) {
  const problems: string[] = [];
  const d = formatGoDuration;
  for (const key of ['leaseDurationMs', 'renewDeadlineMs', 'retryPeriodMs'] as const) {
    if (t[key] <= 0) problems.push(`${names[key]}: Invalid value: ${q(d(t[key]))}: must be greater than zero`);
  }
  if (problems.length > 0) return problems;
  if (t.leaseDurationMs <= t.renewDeadlineMs) {
    problems.push(
      `${names.leaseDurationMs}: Invalid value: ${q(d(t.leaseDurationMs))}: must be greater than ${names.renewDeadlineMs} (${d(t.renewDeadlineMs)})`,
    );
  }
  if (t.renewDeadlineMs <= LEADER_ELECTION_JITTER * t.retryPeriodMs) {
    problems.push(
      `${names.renewDeadlineMs}: Invalid value: ${q(d(t.renewDeadlineMs))}: must be greater than ${names.retryPeriodMs} × ${LEADER_ELECTION_JITTER} (${d(LEADER_ELECTION_JITTER * t.retryPeriodMs)})`,
    );
  }
  return problems;
}

/** Checks upstream defers to listen/elect time. */
export function validateRuntime(c: DefaultedConfiguration): string[] {
  const problems: string[] = [];
  const port = c.webhook.port;
  // Port 0 means "the default 9443" to controller-runtime's webhook server.
  if (port < 0 || port > 65535) problems.push(`webhook.port: Invalid value: ${port}: must be between 1 and 65535, inclusive`);
  const metrics = checkBindAddress('metrics.bindAddress', c.metrics.bindAddress, ['0']);
  if (metrics) problems.push(metrics);
  const health = checkBindAddress('health.healthProbeBindAddress', c.health.healthProbeBindAddress, ['0', '']);
  if (health) problems.push(health);
  for (const key of ['readinessEndpointName', 'livenessEndpointName'] as const) {
    const path = c.health[key];
    if (!path.startsWith('/')) problems.push(`health.${key}: Invalid value: ${q(path)}: must start with "/"`);
  }
  const le = c.leaderElection;
  if (le.resourceLock !== 'leases') {
    problems.push(`leaderElection.resourceLock: Unsupported value: ${q(le.resourceLock)}: supported values: "leases"`);
  }
  const nameErrs = isDNS1123Subdomain(le.resourceName);
  if (nameErrs.length > 0) {
    problems.push(`leaderElection.resourceName: Invalid value: ${q(le.resourceName)}: ${nameErrs.join(',')}`);
  }
  const qps = c.clientConnection.qps;
  const burst = c.clientConnection.burst;
  if (qps > 0 && burst < 0) problems.push(`clientConnection.burst: Invalid value: ${burst}: must not be negative`);
  return problems;
}
