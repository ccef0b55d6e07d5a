/**
 * @module kube/resources
 * How to address each kind this project reads or writes: group, version, plural resource name and
 * scope. Hard-coded instead of discovered, because the set is small and fixed and discovery would
 * add a startup dependency on every API group being served.
 */

export interface ResourceRef {
  /** API group; "" for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural, lower-case resource name as in the URL, e.g. "statefulsets". */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly kind: string;
}

/** "v1" for the core group, else "group/version". */
export function apiVersionOf(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/** "statefulsets.apps", "pods": the name kubectl and RBAC use. */
export function qualifiedResource(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

const ref = (group: string, version: string, resource: string, kind: string, namespaced: boolean): ResourceRef =>
  Object.freeze({ group, version, resource, kind, namespaced });

// core/v1
export const PODS = ref('', 'v1', 'pods', 'Pod', true);
export const SERVICES = ref('', 'v1', 'services', 'Service', true);
export const NODES = ref('', 'v1', 'nodes', 'Node', false);
export const CORE_EVENTS = ref('', 'v1', 'events', 'Event', true);
export const SECRETS = ref('', 'v1', 'secrets', 'Secret', true);
export const CONFIGMAPS = ref('', 'v1', 'configmaps', 'ConfigMap', true);
export const NAMESPACES = ref('', 'v1', 'namespaces', 'Namespace', false);
export const SERVICE_ACCOUNTS = ref('', 'v1', 'serviceaccounts', 'ServiceAccount', true);
// events.k8s.io/v1: the Event API the controllers write
export const EVENTS = ref('events.k8s.io', 'v1', 'events', 'Event', true);
// apps/v1
export const STATEFULSETS = ref('apps', 'v1', 'statefulsets', 'StatefulSet', true);
export const CONTROLLER_REVISIONS = ref('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true);
export const DEPLOYMENTS = ref('apps', 'v1', 'deployments', 'Deployment', true);
// coordination.k8s.io/v1
export const LEASES = ref('coordination.k8s.io', 'v1', 'leases', 'Lease', true);
// leaderworkerset.x-k8s.io/v1
// apiextensions.k8s.io/v1
export const CRDS = ref('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false);
// admissionregistration.k8s.io/v1
export const MUTATING_WEBHOOK_CONFIGURATIONS = ref(
  'admissionregistration.k8s.io',
  'v1',
  'mutatingwebhookconfigurations',
  'MutatingWebhookConfiguration',
  false,
);
export const VALIDATING_WEBHOOK_CONFIGURATIONS = ref(
  'admissionregistration.k8s.io',
  'v1',
  'validatingwebhookconfigurations',
  'ValidatingWebhookConfiguration',
  false,
);
// rbac.authorization.k8s.io/v1
export const ROLES = ref('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true);
export const ROLE_BINDINGS = ref('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true);
export const CLUSTER_ROLES = ref('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false);
export const CLUSTER_ROLE_BINDINGS = ref(
  'rbac.authorization.k8s.io',
  'v1',
  'clusterrolebindings',
  'ClusterRoleBinding',
  false,
);

// The operator's instance and the optional APIs it uses when installed (cert-manager, Prometheus Operator).
export const CERT_MANAGER_ISSUERS = ref('cert-manager.io', 'v1', 'issuers', 'Issuer', true);
export const CERT_MANAGER_CERTIFICATES = ref('cert-manager.io', 'v1', 'certificates', 'Certificate', true);
export const SERVICE_MONITORS = ref('monitoring.coreos.com', 'v1', 'servicemonitors', 'ServiceMonitor', true);
export const PROMETHEUS_RULES = ref('monitoring.coreos.com', 'v1', 'prometheusrules', 'PrometheusRule', true);

/** Every known resource, for lookups by kind (e.g. applying a manifest bundle). */
const RESOURCES: ResourceRef[] = [
  PODS,
  SERVICES,
  NODES,
  SECRETS,
  CONFIGMAPS,
  NAMESPACES,
  SERVICE_ACCOUNTS,
  EVENTS,
  CORE_EVENTS,
  STATEFULSETS,
  CONTROLLER_REVISIONS,
  DEPLOYMENTS,
  LEASES,
  CRDS,
  MUTATING_WEBHOOK_CONFIGURATIONS,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
  ROLES,
  ROLE_BINDINGS,
  CLUSTER_ROLES,
  CLUSTER_ROLE_BINDINGS,
  CERT_MANAGER_ISSUERS,
  CERT_MANAGER_CERTIFICATES,
  SERVICE_MONITORS,
  PROMETHEUS_RULES,
];

/** A product's own resource (a CRD it serves), known to `resourceFor` from the moment its module loads. */
export function defineResource(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
): ResourceRef {
  const r = ref(group, version, resource, kind, namespaced);
  RESOURCES.push(r);
  return r;
}

/** The resource for an object's apiVersion + kind, or undefined if it is not in the table. */
export function resourceFor(apiVersion: string, kind: string): ResourceRef | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}
