/**
 * @module operator/operand
 * THE operand renderer: every object that makes up an installed LWS controller (`lwsctl controller` or upstream's
 * `/manager`), for one namespace, in apply order. The operator reconciles exactly these objects, and the release
 * manifests are these objects written out — one source for every install path. Pure: no I/O besides reading the
 * committed LWS CRD.
 *
 * Options are validated and defaulted once by `compileOperandOptions` into a frozen `CompiledOperandOptions`;
 * `renderOperand` trusts that form and never re-checks it.
 */
import { loadLeaderWorkerSetCRD } from '../../lws/api/crd.ts';
import { GROUP, PLURAL } from '../../lws/api/keys.ts';
import { loadDisaggregatedSetCRDs } from '../../disaggregatedset/api/crd.ts';
import {
  DisaggregatedSetPlural,
  DisaggregatedSetRoleScalerPlural,
  Group as DS_GROUP,
} from '../../disaggregatedset/api/keys.ts';
import {
  GANG_SCHEDULER_PROVIDERS,
  PROVIDER_REQUIREMENTS,
  type GangSchedulerProvider,
} from '../../lws/core/gang-scheduling.ts';
import {
  CONFIG_GROUP_VERSION,
  CONFIG_KIND,
  DEFAULT_HEALTH_PROBE_BIND_ADDRESS,
  DEFAULT_LEADER_ELECTION_ID,
  DEFAULT_LIVENESS_ENDPOINT,
  DEFAULT_METRICS_BIND_ADDRESS,
  DEFAULT_READINESS_ENDPOINT,
  DEFAULT_WEBHOOK_CERT_DIR,
  DEFAULT_WEBHOOK_PORT,
} from '../../lws/config/configuration.ts';
import { mutatingWebhookConfiguration, validatingWebhookConfiguration } from '../../lws/manifests/webhooks.ts';
import { PROMETHEUS_RULE_NAME, prometheusRule } from '../../lws/manifests/monitoring.ts';
import { stringify } from 'yaml';
import {
  CERT_MANAGER_INJECT_CA_FROM,
  DEFAULT_OPERATOR_NAMESPACE,
  LOG_LEVELS,
  OPERAND_NAMES as N,
  OPERAND_ZAP_LOG_LEVEL,
  PLATFORM_PROMETHEUS,
  type LogLevel,
  type NodePlacement,
  type Toleration,
} from '../api/types.ts';

export type CertificateMode = 'cert-manager' | 'internal';
export const CERTIFICATE_MODES: readonly CertificateMode[] = ['cert-manager', 'internal'];

export const METRICS_PORT = 8443;
export const HEALTH_PORT = 8081;
export const WEBHOOK_SERVICE_PORT = 443;
export const DEFAULT_OPERAND_REPLICAS = 2;
/** The operand's entry point: upstream's image path; our image provides it as `lwsctl controller`. */
export const DEFAULT_OPERAND_COMMAND: readonly string[] = ['/manager'];

/** Labels on every operand object; the pod selector is POD_SELECTOR. */
export const COMMON_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'lws',
  'app.kubernetes.io/instance': 'lws',
};
export const POD_SELECTOR: Readonly<Record<string, string>> = {
  ...COMMON_LABELS,
  'control-plane': 'controller-manager',
};

export interface OperandOptions {
  /** Operand image (the operator takes it from RELATED_IMAGE_OPERAND_IMAGE). Required. */
  image: string;
  /** Default `openshift-lws-operator`. */
  namespace?: string;
  /** The CR's `logLevel`; default Normal (`--zap-log-level=2`). */
  logLevel?: LogLevel;
  /** The CR's `nodePlacement`. */
  nodePlacement?: NodePlacement;
  /** Who issues the webhook serving certificate; default `internal` (the controller's own rotator). */
  certificates?: CertificateMode;
  /** Render a Prometheus Operator ServiceMonitor; default false. */
  serviceMonitor?: boolean;
  /** Default 2, as upstream. */
  replicas?: number;
  /** Default IfNotPresent. */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Container command; default `/manager`. */
  command?: readonly string[];
  /** Extra labels on every object (e.g. the operator's ownership label). */
  labels?: Record<string, string>;
  /**
   * Gang scheduling: the Configuration's gangSchedulingManagement.schedulerProvider and the ClusterRole rules its
   * pod groups need (upstream's config/components/volcano for "volcano"). Default: off.
   */
  gangScheduling?: GangSchedulerProvider;
}

export interface CompiledOperandOptions {
  readonly compiled: true;
  readonly image: string;
  readonly namespace: string;
  readonly logLevel: LogLevel;
  readonly zapLogLevel: number;
  readonly nodeSelector: Readonly<Record<string, string>> | undefined;
  readonly tolerations: readonly Toleration[] | undefined;
  readonly certificates: CertificateMode;
  readonly serviceMonitor: boolean;
  readonly replicas: number;
  readonly imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  readonly command: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly gangScheduling: GangSchedulerProvider | undefined;
}

export class OperandOptionsError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`invalid operand options: ${problems.join('; ')}`);
    this.name = 'OperandOptionsError';
    this.problems = problems;
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TOLERATION_EFFECTS = ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function checkTolerations(tolerations: readonly Toleration[], problems: string[]): void {
  tolerations.forEach((t, i) => {
    const at = `nodePlacement.tolerations[${i}]`;
    if (t.operator !== undefined && t.operator !== 'Exists' && t.operator !== 'Equal') {
      problems.push(
        `${at}.operator: Unsupported value: ${JSON.stringify(t.operator)}: supported values: "Equal", "Exists"`,
      );
    }
    if (t.operator === 'Exists' && t.value) {
      problems.push(
        `${at}.value: Invalid value: ${JSON.stringify(t.value)}: value must be empty when operator is Exists`,
      );
    }
    if (!t.key && t.operator !== 'Exists') {
      problems.push(
        `${at}.operator: Invalid value: ${JSON.stringify(t.operator ?? 'Equal')}: operator must be Exists when key is empty`,
      );
    }
    if (t.effect !== undefined && !TOLERATION_EFFECTS.includes(t.effect)) {
      problems.push(
        `${at}.effect: Unsupported value: ${JSON.stringify(t.effect)}: supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
      );
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      problems.push(`${at}.tolerationSeconds: Invalid value: ${t.tolerationSeconds}: only valid with effect NoExecute`);
    }
  });
}

/** Validates and defaults once; throws OperandOptionsError naming every problem. */
export function compileOperandOptions(input: OperandOptions): CompiledOperandOptions {
  const problems: string[] = [];
  const image = typeof input.image === 'string' ? input.image.trim() : '';
  if (!image) problems.push('image: Required value: the operand image must be set (RELATED_IMAGE_OPERAND_IMAGE)');
  else if (/\s/.test(image))
    problems.push(`image: Invalid value: ${JSON.stringify(input.image)}: must not contain whitespace`);

  const namespace = input.namespace ?? DEFAULT_OPERATOR_NAMESPACE;
  if (!DNS1123_LABEL.test(namespace) || namespace.length > 63) {
    problems.push(`namespace: Invalid value: ${JSON.stringify(namespace)}: must be a DNS-1123 label`);
  }
  const logLevel = input.logLevel ?? 'Normal';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(
      `logLevel: Unsupported value: ${JSON.stringify(logLevel)}: supported values: "Normal", "Debug", "Trace", "TraceAll"`,
    );
  }
  const certificates = input.certificates ?? 'internal';
  if (!CERTIFICATE_MODES.includes(certificates)) {
    problems.push(
      `certificates: Unsupported value: ${JSON.stringify(certificates)}: supported values: "cert-manager", "internal"`,
    );
  }
  const replicas = input.replicas ?? DEFAULT_OPERAND_REPLICAS;
  if (!Number.isInteger(replicas) || replicas < 1) {
    problems.push(`replicas: Invalid value: ${replicas}: must be an integer of at least 1`);
  }
  const imagePullPolicy = input.imagePullPolicy ?? 'IfNotPresent';
  if (!['Always', 'IfNotPresent', 'Never'].includes(imagePullPolicy)) {
    problems.push(`imagePullPolicy: Unsupported value: ${JSON.stringify(imagePullPolicy)}`);
  }
  const command = [...(input.command ?? DEFAULT_OPERAND_COMMAND)];
  if (command.length === 0 || command.some((c) => typeof c !== 'string' || c === '')) {
    problems.push('command: Invalid value: must be a non-empty list of non-empty strings');
  }
  const labels = { ...input.labels };
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63) {
      problems.push(`labels[${k}]: Invalid value: ${JSON.stringify(v)}: must be a valid label value`);
    }
  }

  const placement = input.nodePlacement ?? {};
  const selector = placement.nodeSelector;
  for (const [k, v] of Object.entries(selector ?? {})) {
    if (typeof v !== 'string') problems.push(`nodePlacement.nodeSelector[${k}]: Invalid value: must be a string`);
  }
  if (placement.tolerations !== undefined && !Array.isArray(placement.tolerations)) {
    problems.push('nodePlacement.tolerations: Invalid value: must be a list');
  } else if (placement.tolerations) checkTolerations(placement.tolerations, problems);

  const gang = input.gangScheduling;
  if (gang !== undefined && !(GANG_SCHEDULER_PROVIDERS as readonly string[]).includes(gang)) {
    problems.push(
      `gangScheduling: Unsupported value: ${JSON.stringify(gang)}: supported values: ${GANG_SCHEDULER_PROVIDERS.map((p) => `"${p}"`).join(', ')}`,
    );
  }

  if (problems.length > 0) throw new OperandOptionsError(problems);
  return Object.freeze({
    compiled: true,
    gangScheduling: gang,
    image,
    namespace,
    logLevel,
    zapLogLevel: OPERAND_ZAP_LOG_LEVEL[logLevel],
    // upstream operator semantics: a non-empty nodeSelector replaces, a present tolerations list (even empty) replaces
    nodeSelector: selector && Object.keys(selector).length > 0 ? Object.freeze({ ...selector }) : undefined,
    tolerations: placement.tolerations ? Object.freeze(placement.tolerations.map((t) => ({ ...t }))) : undefined,
    certificates,
    serviceMonitor: input.serviceMonitor ?? false,
    replicas,
    imagePullPolicy,
    command: Object.freeze(command),
    labels: Object.freeze({ ...COMMON_LABELS, ...labels }),
  });
}

/** Any rendered object. */
export interface OperandObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

const meta = (o: CompiledOperandOptions, name: string, namespaced: boolean, extra: Record<string, string> = {}) => ({
  name,
  ...(namespaced ? { namespace: o.namespace } : {}),
  labels: { ...o.labels, ...extra },
});

const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });
const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * The controller's ClusterRole: upstream's config/rbac/role.yaml plus controllerrevisions (revision history) and,
 * in internal mode only, what the certificate rotator needs (create its Secret, patch the caBundles). In
 * cert-manager mode the controller reads its certificate from files and needs neither Secrets nor webhook
 * configurations.
 */
export function managerRules(mode: CertificateMode, gangScheduling?: GangSchedulerProvider) {
  return [
    rule([''], ['events'], ['create', 'get', 'list', 'patch', 'update', 'watch']),
    rule([''], ['nodes'], ['get', 'list', 'patch', 'update', 'watch']),
    rule([''], ['pods', 'services'], CRUD),
    rule([''], ['pods/finalizers'], ['update']),
    ...(mode === 'internal'
      ? [
          rule([''], ['secrets'], ['create', 'get', 'list', 'update', 'watch']),
          rule(
            ['admissionregistration.k8s.io'],
            ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
            ['get', 'list', 'patch', 'update', 'watch'],
          ),
        ]
      : []),
    rule(['apps'], ['controllerrevisions', 'statefulsets'], CRUD),
    rule(['apps'], ['controllerrevisions/finalizers', 'statefulsets/finalizers'], ['update']),
    rule(['apps'], ['statefulsets/status'], ['get', 'patch', 'update']),
    rule(['events.k8s.io'], ['events'], ['create', 'get', 'list', 'patch', 'update', 'watch']),
    rule([GROUP], [PLURAL], CRUD),
    rule([GROUP], [`${PLURAL}/finalizers`], ['update']),
    rule([GROUP], [`${PLURAL}/status`], ['get', 'patch', 'update']),
    // The DisaggregatedSet controller (upstream's role.yaml at v0.10.0).
    rule([DS_GROUP], [DisaggregatedSetRoleScalerPlural, DisaggregatedSetPlural], CRUD),
    rule(
      [DS_GROUP],
      [`${DisaggregatedSetRoleScalerPlural}/status`, `${DisaggregatedSetPlural}/status`],
      ['get', 'patch', 'update'],
    ),
    rule([DS_GROUP], [`${DisaggregatedSetPlural}/finalizers`], ['update']),
    ...(gangScheduling
      ? [
          rule(
            [PROVIDER_REQUIREMENTS[gangScheduling].groupVersion.split('/')[0]!],
            [...PROVIDER_REQUIREMENTS[gangScheduling].resources],
            ['create', 'get', 'list', 'watch'],
          ),
        ]
      : []),
  ];
}

function serviceAccountSubject(o: CompiledOperandOptions) {
  return [{ kind: 'ServiceAccount', name: N.serviceAccount, namespace: o.namespace }];
}

function clusterRoleBinding(o: CompiledOperandOptions, name: string, role: string): OperandObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta(o, name, false),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: serviceAccountSubject(o),
  };
}

/** The `config.lws.x-k8s.io/v1alpha1` Configuration the controller reads (`--config`), as file text. */
export function renderControllerConfiguration(o: CompiledOperandOptions): string {
  const internal = o.certificates === 'internal';
  const config = {
    apiVersion: CONFIG_GROUP_VERSION,
    kind: CONFIG_KIND,
    health: {
      healthProbeBindAddress: DEFAULT_HEALTH_PROBE_BIND_ADDRESS,
      readinessEndpointName: DEFAULT_READINESS_ENDPOINT,
      livenessEndpointName: DEFAULT_LIVENESS_ENDPOINT,
    },
    metrics: { bindAddress: DEFAULT_METRICS_BIND_ADDRESS },
    webhook: { port: DEFAULT_WEBHOOK_PORT, certDir: DEFAULT_WEBHOOK_CERT_DIR },
    leaderElection: { leaderElect: true, resourceName: DEFAULT_LEADER_ELECTION_ID },
    internalCertManagement: internal
      ? { enable: true, webhookServiceName: N.webhookService, webhookSecretName: N.internalCertSecret }
      : { enable: false },
    ...(o.gangScheduling ? { gangSchedulingManagement: { schedulerProvider: o.gangScheduling } } : {}),
  };
  return stringify(config, { version: '1.1', lineWidth: 0 });
}

/** controller-runtime's default metrics certificate directory: the controller serves the cert found there. */
export const METRICS_CERT_DIR = '/tmp/k8s-metrics-server/serving-certs';

function deployment(o: CompiledOperandOptions): OperandObject {
  const certManager = o.certificates === 'cert-manager';
  const certSecret = certManager ? N.servingCertSecret : undefined;
  const probe = (path: string, initialDelaySeconds: number, periodSeconds: number) => ({
    httpGet: { path, port: HEALTH_PORT },
    initialDelaySeconds,
    periodSeconds,
  });
  const podSpec: Record<string, unknown> = {
    serviceAccountName: N.serviceAccount,
    terminationGracePeriodSeconds: 10,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: N.container,
        image: o.image,
        imagePullPolicy: o.imagePullPolicy,
        command: [...o.command],
        args: [`--config=${N.configMountPath}`, `--zap-log-level=${o.zapLogLevel}`],
        ports: [
          { name: 'webhook-server', containerPort: DEFAULT_WEBHOOK_PORT, protocol: 'TCP' },
          { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
          { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
        ],
        livenessProbe: probe(DEFAULT_LIVENESS_ENDPOINT, 15, 20),
        readinessProbe: probe(DEFAULT_READINESS_ENDPOINT, 5, 10),
        resources: { requests: { cpu: '1', memory: '1Gi' } },
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: true,
        },
        volumeMounts: [
          { name: 'manager-config', mountPath: N.configMountPath, subPath: N.configMapKey, readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
          ...(certSecret ? [{ name: 'cert', mountPath: DEFAULT_WEBHOOK_CERT_DIR, readOnly: true }] : []),
          ...(certManager ? [{ name: 'metrics-cert', mountPath: METRICS_CERT_DIR, readOnly: true }] : []),
        ],
      },
    ],
    volumes: [
      { name: 'manager-config', configMap: { name: N.configMap } },
      { name: 'tmp', emptyDir: {} },
      ...(certSecret ? [{ name: 'cert', secret: { secretName: certSecret, defaultMode: 420 } }] : []),
      ...(certManager
        ? [
            {
              name: 'metrics-cert',
              secret: {
                secretName: N.metricsCertSecret,
                items: ['ca.crt', 'tls.crt', 'tls.key'].map((key) => ({ key, path: key })),
                optional: false,
              },
            },
          ]
        : []),
    ],
  };
  if (o.nodeSelector) podSpec.nodeSelector = { ...o.nodeSelector };
  if (o.tolerations) podSpec.tolerations = o.tolerations.map((t) => ({ ...t }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(o, N.deployment, true, { 'control-plane': 'controller-manager' }),
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { ...POD_SELECTOR } },
      template: {
        metadata: {
          labels: { ...o.labels, ...POD_SELECTOR },
          annotations: { 'kubectl.kubernetes.io/default-container': N.container },
        },
        spec: podSpec,
      },
    },
  };
}

function certManagerObjects(o: CompiledOperandOptions): OperandObject[] {
  const svc = `${N.webhookService}.${o.namespace}.svc`;
  return [
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: meta(o, N.issuer, true),
      spec: { selfSigned: {} },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(o, N.servingCertificate, true),
      spec: {
        dnsNames: [svc, `${svc}.cluster.local`],
        issuerRef: { kind: 'Issuer', name: N.issuer },
        secretName: N.servingCertSecret,
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(o, N.metricsCertificate, true),
      spec: {
        commonName: 'lws-metrics',
        dnsNames: [metricsHost(o), `${metricsHost(o)}.cluster.local`],
        issuerRef: { kind: 'Issuer', name: N.issuer },
        secretName: N.metricsCertSecret,
      },
    },
  ];
}

const metricsHost = (o: CompiledOperandOptions) => `${N.metricsService}.${o.namespace}.svc`;

function serviceMonitor(o: CompiledOperandOptions): OperandObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: meta(o, N.serviceMonitor, true, { 'control-plane': 'controller-manager' }),
    spec: {
      endpoints: [
        {
          path: '/metrics',
          port: 'https',
          // The LWS metrics carry the LeaderWorkerSet's `namespace` label; without honorLabels Prometheus would
          // rename it exported_namespace (the target's namespace wins) and the alerts' `by (namespace, …)` would
          // name the controller's namespace.
          honorLabels: true,
          scheme: 'https',
          bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
          // cert-manager mode: verify against the metrics certificate's CA; internal mode: the controller serves
          // /metrics with a self-signed certificate (docs/runtime.md).
          tlsConfig:
            o.certificates === 'cert-manager'
              ? { serverName: metricsHost(o), ca: { secret: { name: N.metricsCertSecret, key: 'ca.crt' } } }
              : { insecureSkipVerify: true },
        },
      ],
      selector: { matchLabels: { 'control-plane': 'controller-manager' } },
    },
  };
}

/** The controller's alerts (lws/manifests/monitoring), next to the ServiceMonitor that scrapes it. */
function alerts(o: CompiledOperandOptions): OperandObject {
  const rule = prometheusRule(o.namespace);
  return { ...rule, metadata: meta(o, PROMETHEUS_RULE_NAME, true) } as OperandObject;
}

/** Role + RoleBinding letting OpenShift's platform Prometheus find the metrics endpoints in this namespace. */
function prometheusAccess(o: CompiledOperandOptions): OperandObject[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(o, N.prometheusRole, true),
      rules: [
        rule([''], ['services', 'endpoints', 'pods'], ['get', 'list', 'watch']),
        rule(['discovery.k8s.io'], ['endpointslices'], ['get', 'list', 'watch']),
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(o, N.prometheusRole, true),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: N.prometheusRole },
      subjects: PLATFORM_PROMETHEUS.serviceAccounts.map((name) => ({
        kind: 'ServiceAccount',
        name,
        namespace: PLATFORM_PROMETHEUS.namespace,
      })),
    },
  ];
}

/** Every operand object, in apply order (CRD and RBAC first, webhooks before the Deployment that serves them). */
export function renderOperand(o: CompiledOperandOptions): OperandObject[] {
  const certManager = o.certificates === 'cert-manager';
  const webhookAnnotations = certManager
    ? { [CERT_MANAGER_INJECT_CA_FROM]: `${o.namespace}/${N.servingCertificate}` }
    : undefined;
  const webhookOptions = {
    target: { service: { name: N.webhookService, namespace: o.namespace } },
    labels: { ...o.labels },
    ...(webhookAnnotations ? { annotations: webhookAnnotations } : {}),
  };
  const crd = loadLeaderWorkerSetCRD();
  const crdObject: OperandObject = {
    ...crd,
    metadata: { ...crd.metadata, labels: { ...crd.metadata.labels, ...o.labels } },
  };
  // The DisaggregatedSet CRDs, as the OpenShift operator's main branch installs them.
  const dsCrdObjects: OperandObject[] = loadDisaggregatedSetCRDs().map((c) => ({
    ...c,
    metadata: { ...c.metadata, labels: { ...c.metadata.labels, ...o.labels } },
  }));
  const objects: OperandObject[] = [
    crdObject,
    ...dsCrdObjects,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(o, N.serviceAccount, true) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(o, N.managerClusterRole, false),
      rules: managerRules(o.certificates, o.gangScheduling),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(o, N.metricsReaderClusterRole, false),
      rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(o, N.proxyClusterRole, false),
      rules: [
        rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
        rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      ],
    },
    clusterRoleBinding(o, N.managerClusterRoleBinding, N.managerClusterRole),
    clusterRoleBinding(o, N.metricsReaderClusterRoleBinding, N.metricsReaderClusterRole),
    clusterRoleBinding(o, N.proxyClusterRoleBinding, N.proxyClusterRole),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(o, N.leaderElectionRole, true),
      // The controller's leader election uses Leases only (events go through events.k8s.io, in the ClusterRole).
      rules: [rule(['coordination.k8s.io'], ['leases'], CRUD)],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(o, N.leaderElectionRoleBinding, true),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: N.leaderElectionRole },
      subjects: serviceAccountSubject(o),
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(o, N.configMap, true),
      data: { [N.configMapKey]: renderControllerConfiguration(o) },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(o, N.webhookService, true),
      spec: {
        ports: [{ port: WEBHOOK_SERVICE_PORT, protocol: 'TCP', targetPort: DEFAULT_WEBHOOK_PORT }],
        selector: { ...POD_SELECTOR },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(o, N.metricsService, true, { 'control-plane': 'controller-manager' }),
      spec: {
        ports: [{ name: 'https', port: METRICS_PORT, protocol: 'TCP', targetPort: METRICS_PORT }],
        selector: { ...POD_SELECTOR },
      },
    },
    ...(certManager ? certManagerObjects(o) : []),
    mutatingWebhookConfiguration(webhookOptions) as OperandObject,
    validatingWebhookConfiguration(webhookOptions) as OperandObject,
    deployment(o),
    ...(o.serviceMonitor ? [...prometheusAccess(o), serviceMonitor(o), alerts(o)] : []),
  ];
  return objects;
}

/** `kind/namespace/name` of an object, for listings and tests. */
export function objectKey(obj: OperandObject): string {
  return `${obj.kind}/${obj.metadata.namespace ? obj.metadata.namespace + '/' : ''}${obj.metadata.name}`;
}
