/**
 * @module controllers/cache-transforms
 * What the LWS caches keep of each pod and StatefulSet: only the fields the controllers read. A pod's
 * containers (images, env, probes, volumes…) and a StatefulSet's pod template are most of each object and
 * are never read from the cache — the worker StatefulSet is built from the revision, not from the leader's
 * template — so a controller with 2,000 pods would otherwise hold megabytes it never looks at
 * (docs/benchmarks.md). Adding a read of another field means adding it here; the tests pin the list.
 */
import type { V1Container, V1ContainerStatus, V1PodSpec } from '@kubernetes/client-node';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';

/** Only a container's name and resources: the worker StatefulSet's TPU annotation reads the leader's requests. */
const slimContainers = (containers: V1Container[] | undefined): V1Container[] | undefined =>
  containers?.map((c) => (c.resources ? { name: c.name, resources: c.resources } : { name: c.name }));

const slimStatuses = (statuses: V1ContainerStatus[] | undefined): V1ContainerStatus[] | undefined =>
  statuses?.map((s) => ({ name: s.name, restartCount: s.restartCount, ready: s.ready }) as V1ContainerStatus);

/**
 * A pod as the controllers read it: metadata; spec.nodeName (exclusive placement) and the containers'
 * resources (TPU requests); status.phase, conditions (readiness and its time) and restart counts.
 */
export function slimPod(pod: Pod): Pod {
  const spec = pod.spec;
  const status = pod.status;
  const out: Pod = { apiVersion: pod.apiVersion, kind: pod.kind, metadata: pod.metadata };
  if (spec) {
    const slim: Partial<V1PodSpec> = { containers: slimContainers(spec.containers) ?? [] };
    if (spec.initContainers) slim.initContainers = slimContainers(spec.initContainers);
    if (spec.nodeName !== undefined) slim.nodeName = spec.nodeName;
    out.spec = slim as V1PodSpec;
  }
  if (status) {
    out.status = {};
    if (status.phase !== undefined) out.status.phase = status.phase;
    if (status.conditions) out.status.conditions = status.conditions;
    if (status.containerStatuses) out.status.containerStatuses = slimStatuses(status.containerStatuses);
    if (status.initContainerStatuses) out.status.initContainerStatuses = slimStatuses(status.initContainerStatuses);
  }
  return out;
}

/** A StatefulSet without its pod template and claim templates: replicas, update strategy and status are read. */
export function slimStatefulSet(sts: StatefulSet): StatefulSet {
  if (!sts.spec) return sts;
  const { template: _template, volumeClaimTemplates: _claims, ...spec } = sts.spec;
  return { ...sts, spec: spec as StatefulSet['spec'] };
}
