/**
 * @module operator/operator-install
 * The operator's OWN footprint — ServiceAccount, RBAC and Deployment `openshift-lws-operator` — for every install
 * path: `dist/operator.yaml`, the Helm chart and the OLM bundle's CSV are all written from `renderOperatorInstall`.
 * Pure.
 *
 * RBAC escalation prevention: the operator creates the operand's ClusterRoles and Role, so it must itself hold every
 * permission they grant. Its rules are therefore its own needs plus the union of the rules `renderOperand` produces
 * in both certificate modes, taken from the rendered objects rather than typed a second time.
 */
import {
  DEFAULT_OPERATOR_NAMESPACE,
  OPERAND_IMAGE_ENV,
  OPERATOR_GROUP,
  OPERATOR_NAME,
  OPERATOR_PLURAL,
} from '../api/types.ts';
import {
  CERTIFICATE_MODES,
  compileOperandOptions,
  HEALTH_PORT,
  METRICS_PORT,
  OperandOptionsError,
  renderOperand,
  type OperandObject,
} from './operand.ts';

/** A `rbac.authorization.k8s.io/v1` PolicyRule. */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface OperatorInstallOptions {
  /** The operator image (runs `lwsctl operator`). Required. */
  image: string;
  /** The operand image, passed to the operator as RELATED_IMAGE_OPERAND_IMAGE. Required. */
  operandImage: string;
  /** Default `openshift-lws-operator`. */
  namespace?: string;
  /** Default IfNotPresent. */
  imagePullPolicy?: PullPolicy;
}

export interface CompiledOperatorInstallOptions {
  readonly compiled: true;
  readonly image: string;
  readonly operandImage: string;
  readonly namespace: string;
  readonly imagePullPolicy: PullPolicy;
}

/** The container's entry point in our image (the Dockerfile installs `/usr/local/bin/lwsctl`). */
export const OPERATOR_COMMAND: readonly string[] = ['lwsctl', 'operator'];
/** Labels of every footprint object; the Deployment's pods are selected by OPERATOR_SELECTOR. */
export const OPERATOR_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': OPERATOR_NAME };
export const OPERATOR_SELECTOR: Readonly<Record<string, string>> = { name: OPERATOR_NAME };
export const OPERATOR_RESOURCE_REQUESTS: Readonly<Record<string, string>> = { cpu: '10m', memory: '64Mi' };

const PULL_POLICIES: readonly PullPolicy[] = ['Always', 'IfNotPresent', 'Never'];

/** Validates and defaults once; throws OperandOptionsError naming every problem. */
export function compileOperatorInstallOptions(input: OperatorInstallOptions): CompiledOperatorInstallOptions {
  const problems: string[] = [];
  const image = typeof input.image === 'string' ? input.image.trim() : '';
  if (!image) problems.push('image: Required value: the operator image must be set');
  else if (/\s/.test(image))
    problems.push(`image: Invalid value: ${JSON.stringify(input.image)}: must not contain whitespace`);
  const namespace = input.namespace ?? DEFAULT_OPERATOR_NAMESPACE;
  let operandImage = '';
  try {
    // The operand's own checks of its image and of the namespace both objects share.
    operandImage = compileOperandOptions({ image: input.operandImage, namespace }).image;
  } catch (e) {
    if (!(e instanceof OperandOptionsError)) throw e;
    problems.push(...e.problems.map((p) => (p.startsWith('image:') ? `operandImage:${p.slice('image:'.length)}` : p)));
  }
  const imagePullPolicy = input.imagePullPolicy ?? 'IfNotPresent';
  if (!PULL_POLICIES.includes(imagePullPolicy)) {
    problems.push(`imagePullPolicy: Unsupported value: ${JSON.stringify(imagePullPolicy)}`);
  }
  if (problems.length > 0) throw new OperandOptionsError(problems);
  return Object.freeze({ compiled: true, image, operandImage, namespace, imagePullPolicy });
}

const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
});

let renderedRules: Record<'ClusterRole' | 'Role', PolicyRule[]> | undefined;

/** The operand's rules of one RBAC kind, from what `renderOperand` renders in both certificate modes. */
function operandRules(kind: 'ClusterRole' | 'Role'): PolicyRule[] {
  if (!renderedRules) {
    // Rendered once: the rules depend on neither the image nor the namespace.
    const objects = CERTIFICATE_MODES.flatMap((certificates) =>
      renderOperand(compileOperandOptions({ image: 'rules-only', certificates, serviceMonitor: true })),
    );
    const rulesOf = (k: string) => objects.filter((o) => o.kind === k).flatMap((o) => o.rules as PolicyRule[]);
    renderedRules = { ClusterRole: rulesOf('ClusterRole'), Role: rulesOf('Role') };
  }
  return structuredClone(renderedRules[kind]);
}

const ruleKey = (r: PolicyRule) =>
  JSON.stringify([r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);

/**
 * Rules with the same groups, resources, names and URLs merged into one with the union of their verbs (sorted);
 * order of first appearance otherwise. Grants exactly what the input grants.
 */
export function mergeRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  for (const r of rules) {
    const key = ruleKey(r);
    const seen = merged.get(key);
    if (seen) seen.verbs = [...new Set([...seen.verbs, ...r.verbs])].sort();
    else merged.set(key, structuredClone({ ...r, verbs: [...new Set(r.verbs)].sort() }));
  }
  return [...merged.values()];
}

const has = (list: readonly string[] | undefined, value: string) =>
  (list ?? []).includes('*') || (list ?? []).includes(value);

/**
 * Whether `held` grants everything `wanted` grants — the apiserver's escalation check, one (group, resource, verb,
 * name) or (URL, verb) at a time. `*` is honoured on every list and as a URL suffix.
 */
export function rulesCover(held: readonly PolicyRule[], wanted: PolicyRule): boolean {
  if (wanted.nonResourceURLs?.length) {
    return wanted.nonResourceURLs.every((url) =>
      wanted.verbs.every((verb) =>
        held.some(
          (h) =>
            has(h.verbs, verb) &&
            (h.nonResourceURLs ?? []).some((u) => u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1)))),
        ),
      ),
    );
  }
  const names = wanted.resourceNames?.length ? wanted.resourceNames : [undefined];
  return (wanted.apiGroups ?? []).every((group) =>
    (wanted.resources ?? []).every((resource) =>
      wanted.verbs.every((verb) =>
        names.every((name) =>
          held.some(
            (h) =>
              has(h.apiGroups, group) &&
              has(h.resources, resource) &&
              has(h.verbs, verb) &&
              (!h.resourceNames?.length || (name !== undefined && h.resourceNames.includes(name))),
          ),
        ),
      ),
    ),
  );
}

/** The operator's ClusterRole: its own needs, then every operand ClusterRole rule (both certificate modes). */
export function operatorClusterRules(): PolicyRule[] {
  const own = [
    rule([OPERATOR_GROUP], [OPERATOR_PLURAL, `${OPERATOR_PLURAL}/status`, `${OPERATOR_PLURAL}/finalizers`], ALL_VERBS),
    rule(['apiextensions.k8s.io'], ['customresourcedefinitions'], CRUD),
    rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], CRUD),
    rule(['rbac.authorization.k8s.io'], ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'], CRUD),
    rule(['events.k8s.io'], ['events'], ['create', 'patch']),
    // The operator's own /metrics endpoint authenticates and authorizes its scrapers.
    rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
    rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
  ];
  return mergeRules([...own, ...operandRules('ClusterRole')]);
}

/** The operator's Role in its namespace: leader election, the namespaced operand objects, the operand's Role. */
export function operatorNamespaceRules(): PolicyRule[] {
  const own = [
    // Its own leader election (Lease openshift-lws-operator-lock).
    rule(['coordination.k8s.io'], ['leases'], CRUD),
    rule([''], ['serviceaccounts', 'secrets', 'configmaps', 'services', 'events'], CRUD),
    rule(['apps'], ['deployments'], CRUD),
    rule(['monitoring.coreos.com'], ['servicemonitors', 'prometheusrules'], CRUD),
    rule(['cert-manager.io'], ['issuers', 'certificates'], CRUD),
  ];
  return mergeRules([...own, ...operandRules('Role')]);
}

function meta(o: CompiledOperatorInstallOptions, namespaced: boolean) {
  return { name: OPERATOR_NAME, ...(namespaced ? { namespace: o.namespace } : {}), labels: { ...OPERATOR_LABELS } };
}

const subjects = (o: CompiledOperatorInstallOptions) => [
  { kind: 'ServiceAccount', name: OPERATOR_NAME, namespace: o.namespace },
];

/** The operator Deployment (also the CSV's `install.spec.deployments[0].spec`). */
export function operatorDeployment(o: CompiledOperatorInstallOptions): OperandObject {
  const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  const probe = (path: string, initialDelaySeconds: number, periodSeconds: number) => ({
    httpGet: { path, port: HEALTH_PORT },
    initialDelaySeconds,
    periodSeconds,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...meta(o, true), labels: { ...OPERATOR_LABELS, ...OPERATOR_SELECTOR } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...OPERATOR_SELECTOR } },
      template: {
        metadata: {
          labels: { ...OPERATOR_LABELS, ...OPERATOR_SELECTOR },
          annotations: { 'kubectl.kubernetes.io/default-container': OPERATOR_NAME },
        },
        spec: {
          serviceAccountName: OPERATOR_NAME,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: OPERATOR_NAME,
              image: o.image,
              imagePullPolicy: o.imagePullPolicy,
              command: [...OPERATOR_COMMAND],
              env: [
                fieldEnv('POD_NAME', 'metadata.name'),
                fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
                { name: 'OPERATOR_NAME', value: OPERATOR_NAME },
                { name: OPERAND_IMAGE_ENV, value: o.operandImage },
              ],
              ports: [
                { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
                { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
              ],
              livenessProbe: probe('/healthz', 15, 20),
              readinessProbe: probe('/readyz', 5, 10),
              resources: { requests: { ...OPERATOR_RESOURCE_REQUESTS } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/** Every footprint object, in apply order: ServiceAccount, RBAC, Deployment. */
export function renderOperatorInstall(o: CompiledOperatorInstallOptions): OperandObject[] {
  const rbac = 'rbac.authorization.k8s.io';
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(o, true) },
    { apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: meta(o, false), rules: operatorClusterRules() },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: meta(o, false),
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: OPERATOR_NAME },
      subjects: subjects(o),
    },
    { apiVersion: `${rbac}/v1`, kind: 'Role', metadata: meta(o, true), rules: operatorNamespaceRules() },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: meta(o, true),
      roleRef: { apiGroup: rbac, kind: 'Role', name: OPERATOR_NAME },
      subjects: subjects(o),
    },
    operatorDeployment(o),
  ];
}
