/**
 * @module webhooks/crd-defaults
 * The structural-schema defaults of the LeaderWorkerSet CRD (its kubebuilder `default` markers), which the
 * apiserver applies to absent fields before any webhook sees the object. Objects that did not come through an
 * apiserver (tests, in-memory fixtures) need them to look like what the webhooks really receive.
 * Before defaulting, the apiserver drops explicit nulls (no field of this schema is nullable), so a `null` ends up
 * absent, or defaulted where the field has a default. The embedded pod templates carry the `default`s of the
 * Kubernetes pod schema (`TEMPLATE_DEFAULTS`; crd-defaults.test.ts keeps the list in step with our CRD).
 */
import type { LeaderWorkerSet } from '../api/types.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Defaults inside a pod template's `spec`, as paths (`[]`: every element) and values. Containers' defaults hold
 * for `containers`, `initContainers` and `ephemeralContainers`.
 */
const CONTAINER_DEFAULTS: [string, unknown][] = [
  ['ports[].protocol', 'TCP'],
  ['env[].valueFrom.configMapKeyRef.name', ''],
  ['env[].valueFrom.secretKeyRef.name', ''],
  ['env[].valueFrom.fileKeyRef.optional', false],
  ['envFrom[].configMapRef.name', ''],
  ['envFrom[].secretRef.name', ''],
  ['livenessProbe.grpc.service', ''],
  ['readinessProbe.grpc.service', ''],
  ['startupProbe.grpc.service', ''],
];

export const TEMPLATE_DEFAULTS: [string, unknown][] = [
  ...['containers', 'initContainers', 'ephemeralContainers'].flatMap((list) =>
    CONTAINER_DEFAULTS.map(([path, value]): [string, unknown] => [`${list}[].${path}`, value]),
  ),
  ['imagePullSecrets[].name', ''],
  ['volumes[].azureDisk.fsType', 'ext4'],
  ['volumes[].azureDisk.readOnly', false],
  ['volumes[].cephfs.secretRef.name', ''],
  ['volumes[].cinder.secretRef.name', ''],
  ['volumes[].configMap.name', ''],
  ['volumes[].csi.nodePublishSecretRef.name', ''],
  ['volumes[].flexVolume.secretRef.name', ''],
  ['volumes[].iscsi.iscsiInterface', 'default'],
  ['volumes[].iscsi.secretRef.name', ''],
  ['volumes[].projected.sources[].configMap.name', ''],
  ['volumes[].projected.sources[].secret.name', ''],
  ['volumes[].rbd.keyring', '/etc/ceph/keyring'],
  ['volumes[].rbd.pool', 'rbd'],
  ['volumes[].rbd.secretRef.name', ''],
  ['volumes[].rbd.user', 'admin'],
  ['volumes[].scaleIO.fsType', 'xfs'],
  ['volumes[].scaleIO.secretRef.name', ''],
  ['volumes[].scaleIO.storageMode', 'ThinProvisioned'],
  ['volumes[].storageos.secretRef.name', ''],
];

/** Sets `value` at `path` below `node` wherever the parents exist and the field is absent. */
function setDefault(node: unknown, path: readonly string[], value: unknown): void {
  if (!isObject(node)) return;
  const [head, ...rest] = path as [string, ...string[]];
  const key = head.endsWith('[]') ? head.slice(0, -2) : head;
  if (rest.length === 0) {
    if (!(key in node)) node[key] = value;
    return;
  }
  const child = node[key];
  if (head.endsWith('[]')) {
    if (Array.isArray(child)) for (const item of child) setDefault(item, rest, value);
  } else setDefault(child, rest, value);
}

/** Deletes null members of objects, at any depth (array elements themselves are kept). */
export function dropNulls(value: unknown): void {
  if (Array.isArray(value)) value.forEach(dropNulls);
  else if (isObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (member === null) delete value[key];
      else dropNulls(member);
    }
  }
}

export function applyCrdDefaults(input: LeaderWorkerSet): LeaderWorkerSet {
  const lws = structuredClone(input);
  // The schema describes everything but the root metadata (a bare `type: object`, coerced separately).
  for (const [key, member] of Object.entries(lws)) {
    if (key === 'metadata') continue;
    if (member === null) delete (lws as unknown as Record<string, unknown>)[key];
    else dropNulls(member);
  }
  applyLwsSpecDefaults(lws.spec);
  return lws;
}

/**
 * The schema defaults below a LeaderWorkerSet `spec` (nulls already dropped). Also the defaults of a
 * DisaggregatedSet role's `spec`, whose schema is the LeaderWorkerSet spec's.
 */
export function applyLwsSpecDefaults(spec: LeaderWorkerSet['spec']): void {
  spec.replicas ??= 1;
  spec.startupPolicy ??= 'LeaderCreated';
  const template = spec.leaderWorkerTemplate;
  if (template) {
    template.size ??= 1;
    template.restartPolicy ??= 'RecreateGroupOnPodRestart';
    if (template.subGroupPolicy) template.subGroupPolicy.subGroupPolicyType ??= 'LeaderWorker';
    for (const podTemplate of [template.leaderTemplate, template.workerTemplate]) {
      for (const [path, value] of TEMPLATE_DEFAULTS) setDefault(podTemplate?.spec, path.split('.'), value);
    }
  }
  // Schema defaults only fill fields of objects that are present.
  if (spec.rolloutStrategy) {
    spec.rolloutStrategy.type ??= 'RollingUpdate';
    const config = spec.rolloutStrategy.rollingUpdateConfiguration;
    if (config) {
      config.partition ??= 0;
      config.maxUnavailable ??= 1;
      config.maxSurge ??= 0;
    }
  }
}
