/**
 * @module config/controller-flags
 * The flags of `lwsctl controller`: upstream's cmd/main.go flags with their defaults and help texts,
 * controller-runtime's `--kubeconfig` and zap flags, and a few lws-ts extensions (marked "lws-ts:").
 */
import {
  DEFAULT_HEALTH_PROBE_BIND_ADDRESS,
  DEFAULT_LEADER_ELECTION_ID,
  DEFAULT_LEASE_DURATION_MS,
  DEFAULT_METRICS_BIND_ADDRESS,
  DEFAULT_RENEW_DEADLINE_MS,
  DEFAULT_RESOURCE_LOCK,
  DEFAULT_RETRY_PERIOD_MS,
} from './configuration.ts';
import type { FlagSpec } from '../../k8s/go/flags.ts';

const DEPRECATED = 'DEPRECATED(please pass configuration file via --config flag): ';
const ZAP_LEVELS = ['debug', 'info', 'error', 'panic'];

const oneOf =
  (what: string, values: readonly string[]) =>
  (v: string): string | undefined =>
    values.includes(v.toLowerCase()) ? undefined : `invalid ${what} "${v}"`;

const zapLevel = (v: string) =>
  ZAP_LEVELS.includes(v.toLowerCase()) || (/^[+-]?\d+$/.test(v) && Number(v) > 0) ? undefined : `invalid log level "${v}"`;

export const CONTROLLER_FLAGS = {
  version: { type: 'bool', default: false, usage: 'Print version information and exit' } as FlagSpec<'bool'>,
  'metrics-bind-address': {
    type: 'string',
    default: DEFAULT_METRICS_BIND_ADDRESS,
    usage: `${DEPRECATED}The address the metric endpoint binds to.`,
  } as FlagSpec<'string'>,
  'health-probe-bind-address': {
    type: 'string',
    default: DEFAULT_HEALTH_PROBE_BIND_ADDRESS,
    usage: `${DEPRECATED}The address the probe endpoint binds to.`,
  } as FlagSpec<'string'>,
  'kube-api-qps': {
    type: 'float',
    default: 500,
    usage: 'Maximum QPS to use while talking with Kubernetes API',
  } as FlagSpec<'float'>,
  'kube-api-burst': {
    type: 'int',
    default: 500,
    usage: 'Maximum burst for throttle while talking with Kubernetes API',
  } as FlagSpec<'int'>,
  'leader-elect': {
    type: 'bool',
    default: true,
    usage:
      'Enable leader election for controller manager. Enabling this will ensure there is only one active controller manager.',
  } as FlagSpec<'bool'>,
  'leader-elect-lease-duration': {
    type: 'duration',
    default: DEFAULT_LEASE_DURATION_MS,
    usage: `${DEPRECATED}The duration that non-leader candidates will wait after observing a leadership renewal until attempting to acquire leadership of a led but unrenewed leader slot. This is effectively the maximum duration that a leader can be stopped before it is replaced by another candidate. This is only applicable if leader election is enabled.`,
  } as FlagSpec<'duration'>,
  'leader-elect-renew-deadline': {
    type: 'duration',
    default: DEFAULT_RENEW_DEADLINE_MS,
    usage: `${DEPRECATED}The interval between attempts by the acting master to renew a leadership slot before it stops leading. Thismust be less than or equal to the lease duration. This is only applicable if leader election is enabled.`,
  } as FlagSpec<'duration'>,
  'leader-elect-retry-period': {
    type: 'duration',
    default: DEFAULT_RETRY_PERIOD_MS,
    usage: `${DEPRECATED}The duration the clients should wait between attempting acquisition and renewal of a leadership. This is onlyapplicable if leader election is enabled.`,
  } as FlagSpec<'duration'>,
  'leader-elect-resource-lock': {
    type: 'string',
    default: DEFAULT_RESOURCE_LOCK,
    usage: `${DEPRECATED}The type of resource object that is used for locking during leader election. Supported options are 'endpoints', 'configmaps', 'leases', 'endpointsleases' and 'configmapsleases'`,
  } as FlagSpec<'string'>,
  'leader-elect-resource-name': {
    type: 'string',
    default: DEFAULT_LEADER_ELECTION_ID,
    usage: `${DEPRECATED}The name of resource object that is used for locking during leader election. `,
  } as FlagSpec<'string'>,
  config: {
    type: 'string',
    default: '',
    usage:
      'The controller will load its initial configuration from this file. Command-line flags will override any configurations set in this file. Omit this flag to use the default configuration values.',
  } as FlagSpec<'string'>,
  kubeconfig: {
    type: 'string',
    default: '',
    usage: 'Paths to a kubeconfig. Only required if out-of-cluster.',
  } as FlagSpec<'string'>,
  'zap-devel': {
    type: 'bool',
    default: true,
    usage:
      'Development Mode defaults(encoder=consoleEncoder,logLevel=Debug,stackTraceLevel=Warn). Production Mode defaults(encoder=jsonEncoder,logLevel=Info,stackTraceLevel=Error)',
  } as FlagSpec<'bool'>,
  'zap-encoder': {
    type: 'string',
    default: '',
    usage: "Zap log encoding (one of 'json' or 'console')",
    check: oneOf('encoder value', ['json', 'console']),
  } as FlagSpec<'string'>,
  'zap-log-level': {
    type: 'string',
    default: '',
    usage:
      "Zap Level to configure the verbosity of logging. Can be one of 'debug', 'info', 'error', 'panic' or any integer value > 0 which corresponds to custom debug levels of increasing verbosity",
    check: zapLevel,
  } as FlagSpec<'string'>,
  'zap-stacktrace-level': {
    type: 'string',
    default: '',
    usage: "Zap Level at and above which stacktraces are captured (one of 'info', 'error', 'panic').",
    check: oneOf('stacktrace level', ['info', 'error', 'panic']),
  } as FlagSpec<'string'>,
  'zap-time-encoding': {
    type: 'string',
    default: '',
    usage:
      "Zap time encoding (one of 'epoch', 'millis', 'nano', 'iso8601', 'rfc3339' or 'rfc3339nano'). Defaults to 'epoch'.",
    check: oneOf('time encoder value', ['epoch', 'millis', 'nano', 'iso8601', 'rfc3339', 'rfc3339nano']),
  } as FlagSpec<'string'>,
  // lws-ts extensions
  namespace: {
    type: 'string',
    default: '',
    usage:
      "lws-ts: the operator namespace (leader-election Lease, certificate Secret, webhook Service DNS name); default: the service account's namespace, else lws-system",
  } as FlagSpec<'string'>,
  'metrics-secure': {
    type: 'bool',
    default: true,
    usage:
      'lws-ts: serve /metrics over HTTPS behind TokenReview/SubjectAccessReview; --metrics-secure=false serves plain HTTP without authorization (local development only)',
  } as FlagSpec<'bool'>,
  'webhook-cert-validity': {
    type: 'duration',
    default: 365 * 24 * 3_600_000,
    usage:
      'lws-ts: validity of the internally managed serving certificate; it is renewed once less than a quarter of it (at most 90 days) remains',
    check: (v: number) => (v >= 4000 ? undefined : 'must be at least 4s'),
  } as FlagSpec<'duration'>,
  'webhook-cert-extra-sans': {
    type: 'string',
    default: '',
    usage:
      'lws-ts: extra comma-separated DNS names or IP addresses for the internally managed serving certificate (e.g. 127.0.0.1 for an out-of-cluster process)',
  } as FlagSpec<'string'>,
  workers: {
    type: 'int',
    // controller-runtime's default. 4 was measured (npm run bench, 2026-12-07): shorter runs in some scenarios,
    // paid for with 10–30 % more API requests (fewer events coalesce per key), more CPU and 10–26 MiB more RSS.
    default: 1,
    usage: 'lws-ts: concurrent reconciles per controller, never two of the same object (controller-runtime default 1)',
    check: (v: number) => (v >= 1 && v <= 64 ? undefined : 'must be from 1 to 64'),
  } as FlagSpec<'int'>,
};

export type ControllerFlags = typeof CONTROLLER_FLAGS;
