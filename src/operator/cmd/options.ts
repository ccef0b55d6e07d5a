/**
 * @module operator/operator-options
 * `lwsctl operator` flags and environment, validated and defaulted once into `OperatorOptions`.
 *
 * Namespace precedence: --namespace, $POD_NAMESPACE, the in-cluster service account's namespace file, else
 * `openshift-lws-operator`. Operand image: --operand-image, else $RELATED_IMAGE_OPERAND_IMAGE (unset → the
 * instance reports Degraded/MissingOperandImage instead of deploying a pod that cannot pull).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadKubeConfig } from '../../k8s/client/kubeconfig.ts';
import { parseDurationFlag as parseDuration } from '../../k8s/go/duration.ts';
import { UsageError } from '../../k8s/go/errors.ts';
import { checkBindAddress, parseBindAddress, type BindAddress } from '../../lws/config/validation.ts';
import { DEFAULT_OPERATOR_NAMESPACE, OPERAND_IMAGE_ENV } from '../api/types.ts';
import { CERTIFICATE_POLICIES, type CertificatePolicy } from '../core/plan.ts';

export interface OperatorOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  operandImage: string | undefined;
  operandCommand?: string[];
  certificates: CertificatePolicy;
  leaderElection: boolean;
  resyncPeriodMs: number;
  /** --log-level given: operatorLogLevel of the instance does not change it. */
  fixedLogLevel?: string;
  metrics: { address?: BindAddress; secure: boolean; tls: { minVersion: 'TLSv1.2' } };
  health: { address?: BindAddress; readinessPath: string; livenessPath: string };
}

export const OPERATOR_USAGE = `usage: lwsctl operator [flags]

Runs the Leader Worker Set Operator: reconciles LeaderWorkerSetOperator/cluster into the LWS controller.

flags:
  --kubeconfig PATH                   cluster credentials (default: $KUBECONFIG, in-cluster, ~/.kube/config)
  --namespace NS                      where the operand lives (default: $POD_NAMESPACE, else ${DEFAULT_OPERATOR_NAMESPACE})
  --operand-image IMAGE               the controller image (default: $${OPERAND_IMAGE_ENV})
  --certificates auto|cert-manager|internal
                                      who issues the webhook certificate (default auto: cert-manager when installed)
  --resync-period DURATION            re-check everything this often (default 5m)
  --leader-elect / --no-leader-elect  hold the Lease openshift-lws-operator-lock while working (default on)
  --metrics-bind-address ADDR         /metrics over HTTPS with authn/authz (default :8443, "0" disables)
  --no-metrics-secure                 serve /metrics over plain HTTP (development only)
  --health-probe-bind-address ADDR    /healthz and /readyz (default :8081, "0" disables)
  --log-level LEVEL                   fixed log level (default: from the instance's operatorLogLevel)
`;

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export function parseOperatorOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): OperatorOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      'operand-image': { type: 'string' },
      'operand-command': { type: 'string' },
      certificates: { type: 'string', default: 'auto' },
      'resync-period': { type: 'string', default: '5m' },
      'leader-elect': { type: 'boolean', default: true },
      'metrics-bind-address': { type: 'string', default: ':8443' },
      'metrics-secure': { type: 'boolean', default: true },
      'health-probe-bind-address': { type: 'string', default: ':8081' },
      'log-level': { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${OPERATOR_USAGE}`);
  const certificates = values.certificates as CertificatePolicy;
  if (!CERTIFICATE_POLICIES.includes(certificates)) {
    throw new UsageError(`--certificates: must be one of ${CERTIFICATE_POLICIES.join(', ')}, not "${certificates}"`);
  }
  for (const flag of ['metrics-bind-address', 'health-probe-bind-address'] as const) {
    const problem = checkBindAddress(`--${flag}`, values[flag], ['0']);
    if (problem) throw new UsageError(problem);
  }
  const namespace =
    values.namespace ??
    (env.POD_NAMESPACE || undefined) ??
    (existsSync(SERVICE_ACCOUNT_NAMESPACE) ? readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() : undefined) ??
    DEFAULT_OPERATOR_NAMESPACE;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63) {
    throw new UsageError(`--namespace: "${namespace}" is not a valid namespace name (DNS-1123 label)`);
  }
  const resyncPeriodMs = parseDuration(values['resync-period'], '--resync-period');
  if (resyncPeriodMs < 1000) throw new UsageError('--resync-period: must be at least 1s');
  const logLevel = values['log-level'];
  if (logLevel !== undefined && !['trace', 'debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new UsageError(`--log-level: must be one of trace, debug, info, warn, error, not "${logLevel}"`);
  }
  const operandImage = (values['operand-image'] ?? env[OPERAND_IMAGE_ENV] ?? '').trim() || undefined;
  const address = (text: string) => (text === '0' ? undefined : parseBindAddress(text));
  return {
    kubeConfig: loadKubeConfig(values.kubeconfig, env),
    namespace,
    operandImage,
    ...(values['operand-command'] ? { operandCommand: values['operand-command'].split(' ').filter(Boolean) } : {}),
    certificates,
    leaderElection: values['leader-elect'],
    resyncPeriodMs,
    ...(logLevel ? { fixedLogLevel: logLevel } : {}),
    metrics: {
      address: address(values['metrics-bind-address']),
      secure: values['metrics-secure'],
      tls: { minVersion: 'TLSv1.2' },
    },
    health: {
      address: address(values['health-probe-bind-address']),
      readinessPath: '/readyz',
      livenessPath: '/healthz',
    },
  };
}
