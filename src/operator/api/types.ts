/**
 * @module operator/api
 * The `LeaderWorkerSetOperator` API (`operator.openshift.io/v1`, cluster-scoped singleton `cluster`), as the
 * OpenShift Leader Worker Set Operator defines it: openshift/api's `OperatorSpec`/`OperatorStatus` plus
 * `nodePlacement`. Also every name the operator and its operand use, in one place.
 */
import { DEFAULT_WEBHOOK_SERVICE_NAME } from '../../lws/config/configuration.ts';
import { MUTATING_WEBHOOK_CONFIGURATION, VALIDATING_WEBHOOK_CONFIGURATION } from '../../lws/manifests/webhooks.ts';

export const OPERATOR_GROUP = 'operator.openshift.io';
export const OPERATOR_VERSION = 'v1';
export const OPERATOR_API_VERSION = `${OPERATOR_GROUP}/${OPERATOR_VERSION}`;
export const OPERATOR_KIND = 'LeaderWorkerSetOperator';
export const OPERATOR_LIST_KIND = `${OPERATOR_KIND}List`;
export const OPERATOR_PLURAL = 'leaderworkersetoperators';
export const OPERATOR_SINGULAR = 'leaderworkersetoperator';
export const OPERATOR_CRD_NAME = `${OPERATOR_PLURAL}.${OPERATOR_GROUP}`;
/** The only accepted name of the instance (`OperatorConfigName` upstream). */
export const OPERATOR_INSTANCE_NAME = 'cluster';
export const SINGLETON_MESSAGE = "LeaderWorkerSetOperator is a singleton, .metadata.name must be 'cluster'";

/** The operator's namespace unless configured otherwise; every namespaced operand object lives there. */
export const DEFAULT_OPERATOR_NAMESPACE = 'openshift-lws-operator';
/** Upstream LWS release manifests install into this namespace. */
export const UPSTREAM_NAMESPACE = 'lws-system';
/** The operator's own Deployment, ServiceAccount and leader-election Lease prefix. */
export const OPERATOR_NAME = 'openshift-lws-operator';
export const OPERATOR_LEASE_NAME = `${OPERATOR_NAME}-lock`;
/** Environment variable carrying the operand image (relatedImage `lws`). */
export const OPERAND_IMAGE_ENV = 'RELATED_IMAGE_OPERAND_IMAGE';
export const OPERAND_RELATED_IMAGE_NAME = 'lws';

/** Operand object names (upstream's kustomize output with the `lws-` prefix). */
export const OPERAND_NAMES = {
  deployment: 'lws-controller-manager',
  container: 'manager',
  serviceAccount: 'lws-controller-manager',
  webhookService: DEFAULT_WEBHOOK_SERVICE_NAME,
  metricsService: 'lws-controller-manager-metrics-service',
  configMap: 'lws-manager-config',
  configMapKey: 'controller_manager_config.yaml',
  configMountPath: '/controller_manager_config.yaml',
  managerClusterRole: 'lws-manager-role',
  managerClusterRoleBinding: 'lws-manager-rolebinding',
  metricsReaderClusterRole: 'lws-metrics-reader',
  metricsReaderClusterRoleBinding: 'lws-metrics-reader-rolebinding',
  proxyClusterRole: 'lws-proxy-role',
  proxyClusterRoleBinding: 'lws-proxy-rolebinding',
  leaderElectionRole: 'lws-leader-election-role',
  leaderElectionRoleBinding: 'lws-leader-election-rolebinding',
  mutatingWebhookConfiguration: MUTATING_WEBHOOK_CONFIGURATION,
  validatingWebhookConfiguration: VALIDATING_WEBHOOK_CONFIGURATION,
  /** cert-manager mode. */
  issuer: 'lws-selfsigned-issuer',
  servingCertificate: 'lws-serving-cert',
  servingCertSecret: 'webhook-server-cert',
  metricsCertificate: 'lws-metrics-cert',
  metricsCertSecret: 'metrics-server-cert',
  /** internal mode: the Secret the controller's rotator fills (upstream's default webhookSecretName). */
  internalCertSecret: 'lws-webhook-server-cert',
  serviceMonitor: 'lws-controller-manager-metrics-monitor',
  /** With the ServiceMonitor: lets OpenShift's platform Prometheus discover the metrics endpoints. */
  prometheusRole: 'lws-prometheus-k8s',
} as const;

/** The platform Prometheus of OpenShift (subjects of the lws-prometheus-k8s RoleBinding). */
export const PLATFORM_PROMETHEUS = {
  namespace: 'openshift-monitoring',
  serviceAccounts: ['prometheus-k8s', 'prometheus-operator'],
} as const;

export const CERT_MANAGER_INJECT_CA_FROM = 'cert-manager.io/inject-ca-from';

export const MANAGEMENT_STATES = ['Managed', 'Unmanaged', 'Removed', 'Force'] as const;
export type ManagementState = (typeof MANAGEMENT_STATES)[number];
/** `^(Managed|Unmanaged|Force|Removed)$`, as openshift/api validates it. */
export const MANAGEMENT_STATE_PATTERN = '^(Managed|Unmanaged|Force|Removed)$';

/** openshift/api `LogLevel`; the empty string means Normal. */
export const LOG_LEVELS = ['', 'Normal', 'Debug', 'Trace', 'TraceAll'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Operand `--zap-log-level` for each `logLevel` (upstream operator: 2/4/6/9; anything else 2). */
export const OPERAND_ZAP_LOG_LEVEL: Readonly<Record<LogLevel, number>> = {
  '': 2,
  Normal: 2,
  Debug: 4,
  Trace: 6,
  TraceAll: 9,
};

/** Operator verbosity for each `operatorLogLevel` (library-go's LoggingSyncer: 2/4/6/8). */
export const OPERATOR_VERBOSITY: Readonly<Record<LogLevel, number>> = {
  '': 2,
  Normal: 2,
  Debug: 4,
  Trace: 6,
  TraceAll: 8,
};

/** core/v1 Toleration. */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: '' | 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface NodePlacement {
  /** Replaces the operand pod's nodeSelector when non-empty. */
  nodeSelector?: Record<string, string>;
  /** Replaces the operand pod's tolerations when present (an empty list clears them). */
  tolerations?: Toleration[];
}

export interface LeaderWorkerSetOperatorSpec {
  managementState: ManagementState;
  logLevel?: LogLevel;
  operatorLogLevel?: LogLevel;
  /** Free-form; carried for compatibility with openshift/api, not read. */
  observedConfig?: Record<string, unknown> | null;
  /** Free-form; carried for compatibility with openshift/api, not read. */
  unsupportedConfigOverrides?: Record<string, unknown> | null;
  nodePlacement?: NodePlacement;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** openshift/api `OperatorCondition`. */
export interface OperatorCondition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** openshift/api `GenerationStatus`. */
export interface GenerationStatus {
  group: string;
  resource: string;
  namespace: string;
  name: string;
  lastGeneration: number;
  hash?: string;
}

export interface LeaderWorkerSetOperatorStatus {
  observedGeneration?: number;
  conditions?: OperatorCondition[];
  version?: string;
  readyReplicas?: number;
  latestAvailableRevision?: number;
  generations?: GenerationStatus[];
}

export interface LeaderWorkerSetOperator {
  apiVersion: typeof OPERATOR_API_VERSION;
  kind: typeof OPERATOR_KIND;
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    finalizers?: string[];
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: LeaderWorkerSetOperatorSpec;
  status?: LeaderWorkerSetOperatorStatus;
}

/** Condition types and reasons the operator reports. */
export const CONDITION_TYPES = {
  available: 'Available',
  degraded: 'Degraded',
  progressing: 'Progressing',
  /** Which certificate management the operand uses (reason CertManager or Internal). */
  certificates: 'CertificateManagement',
  /** Set by upstream's library-go after every sync; kept for tools that read it. */
  targetConfigControllerDegraded: 'TargetConfigControllerDegraded',
} as const;

export const CONDITION_REASONS = {
  asExpected: 'AsExpected',
  deploymentUnavailable: 'DeploymentUnavailable',
  missingDependency: 'MissingDependency',
  missingOperandImage: 'MissingOperandImage',
  syncError: 'SyncError',
  invalidSpec: 'InvalidSpec',
  removed: 'Removed',
  waitingForCertificate: 'WaitingForCertificate',
  deploymentProgressing: 'DeploymentProgressing',
  certManager: 'CertManager',
  internal: 'Internal',
} as const;

/** The sample instance (the CSV's alm-examples and the docs). */
export function sampleOperator(): LeaderWorkerSetOperator {
  return {
    apiVersion: OPERATOR_API_VERSION,
    kind: OPERATOR_KIND,
    metadata: { name: OPERATOR_INSTANCE_NAME },
    spec: { managementState: 'Managed', logLevel: 'Normal', operatorLogLevel: 'Normal' },
  };
}
