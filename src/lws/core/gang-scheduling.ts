/**
 * @module core/gang-scheduling
 * Gang scheduling of a LeaderWorkerSet group: one pod group per group, so that a scheduler places the group
 * all-or-nothing. Two providers:
 *
 * - `volcano` — upstream v0.10.0's provider (pkg/schedulerprovider): a Volcano `PodGroup`
 *   (scheduling.volcano.sh/v1beta1) named `<lws>-<group>-<revision>`, owned by the leader pod, with
 *   minMember = size (1 under LeaderReady) and minResources = leader + (size-1) workers; the pod webhook
 *   points every pod at it with the `scheduling.k8s.io/group-name` annotation.
 * - `kubernetes` — ours (the provider name of upstream's KEP-666 proposal, lws PR #982): Kubernetes' own gang scheduling (KEP-4671, `scheduling.k8s.io/v1alpha2` Workload and
 *   PodGroup, alpha in 1.36): a Workload and a PodGroup with a gang policy (minCount as above) per group,
 *   the pod's `spec.schedulingGroup.podGroupName` set by the webhook.
 *
 * Pure builders only; creating them is controllers/gang-scheduling.ts.
 */
import type { KubeObject, Pod } from '../../k8s/client/objects.ts';
import {
  addQuantities,
  compareQuantities,
  parseQuantity,
  quantityString,
  type Quantity,
} from '../../k8s/go/quantity.ts';
import { GROUP_INDEX_LABEL, REVISION_KEY_LABEL, SET_NAME_LABEL } from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import { groupSize, lwsName, lwsNamespace } from './lws-spec.ts';
import { controllerReference } from './object-meta.ts';
import { CREATE, FAILED_CREATE, type CoreEvent } from './events.ts';

export const GANG_SCHEDULER_PROVIDERS = ['volcano', 'kubernetes'] as const;
export type GangSchedulerProvider = (typeof GANG_SCHEDULER_PROVIDERS)[number];

/** volcano.sh/apis scheduling/v1beta1 KubeGroupNameAnnotationKey. */
export const VOLCANO_GROUP_NAME_ANNOTATION = 'scheduling.k8s.io/group-name';
/** volcano.sh/apis scheduling/v1beta1 QueueNameAnnotationKey. */
export const VOLCANO_QUEUE_NAME_ANNOTATION = 'scheduling.volcano.sh/queue-name';
/** LWS annotations with this prefix are copied onto the PodGroup. */
export const VOLCANO_ANNOTATION_PREFIX = 'volcano.sh/';
export const VOLCANO_PODGROUP_API_VERSION = 'scheduling.volcano.sh/v1beta1';

export const NATIVE_SCHEDULING_API_VERSION = 'scheduling.k8s.io/v1alpha2';

/** What each provider needs the cluster to serve: `group/version`, resource. */
export const PROVIDER_REQUIREMENTS: Record<GangSchedulerProvider, { groupVersion: string; resources: string[] }> = {
  volcano: { groupVersion: VOLCANO_PODGROUP_API_VERSION, resources: ['podgroups'] },
  kubernetes: { groupVersion: NATIVE_SCHEDULING_API_VERSION, resources: ['workloads', 'podgroups'] },
};

/** Upstream's GetPodGroupName: `<lws>-<group index>-<revision>`. */
export function podGroupName(lws: string, groupIndex: string, revision: string): string {
  return `${lws}-${groupIndex}-${revision}`;
}

/** The pod group a (labelled) LWS pod belongs to. */
export function podGroupNameOfPod(pod: Pod): string {
  const labels = pod.metadata.labels ?? {};
  return podGroupName(labels[SET_NAME_LABEL] ?? '', labels[GROUP_INDEX_LABEL] ?? '', labels[REVISION_KEY_LABEL] ?? '');
}

/**
 * The webhook step (upstream's InjectPodGroupMetadata), on the mutated pod copy after its labels are set.
 * Volcano: the group-name annotation. Kubernetes: `spec.schedulingGroup.podGroupName` (the scheduler reads it).
 */
export function injectPodGroupMetadata(provider: GangSchedulerProvider, pod: Pod): void {
  const name = podGroupNameOfPod(pod);
  if (provider === 'volcano') {
    (pod.metadata.annotations ??= {})[VOLCANO_GROUP_NAME_ANNOTATION] = name;
    return;
  }
  const spec = (pod.spec ??= { containers: [] }) as unknown as Record<string, unknown>;
  spec.schedulingGroup = { podGroupName: name };
}

type ResourceList = Map<string, Quantity>;

function readList(list: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (!list || typeof list !== 'object') return out;
  for (const [name, value] of Object.entries(list as Record<string, unknown>)) {
    out.set(name, typeof value === 'number' ? parseQuantity(String(value)) : parseQuantity(String(value)));
  }
  return out;
}

/** addResourceList: sums into `into`; a new name takes a copy (keeping its text). */
function addInto(into: ResourceList, add: ResourceList): void {
  for (const [name, q] of add) {
    const have = into.get(name);
    into.set(name, have ? addQuantities(have, q) : q);
  }
}

/** maxResourceList: the larger of the two per name. */
function maxInto(into: ResourceList, other: ResourceList): void {
  for (const [name, q] of other) {
    const have = into.get(name);
    if (!have || compareQuantities(q, have) > 0) into.set(name, q);
  }
}

interface ContainerLike {
  resources?: { requests?: unknown };
  restartPolicy?: string;
}

const POD_LEVEL = (name: string) => name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');

/**
 * component-helpers' PodRequests with default options (v0.36): containers summed, init containers as a
 * maximum (restartable sidecars accumulate), pod-level cpu/memory/hugepages requests override, overhead added.
 */
export function podRequests(spec: unknown): ResourceList {
  const s = (spec ?? {}) as {
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    resources?: { requests?: unknown; limits?: unknown };
    overhead?: unknown;
  };
  const reqs: ResourceList = new Map();
  for (const c of s.containers ?? []) addInto(reqs, readList(c.resources?.requests));
  const sidecars: ResourceList = new Map();
  const init: ResourceList = new Map();
  for (const c of s.initContainers ?? []) {
    let use = readList(c.resources?.requests);
    if (c.restartPolicy === 'Always') {
      addInto(reqs, use);
      addInto(sidecars, use);
      use = sidecars;
    } else {
      const tmp: ResourceList = new Map();
      addInto(tmp, use);
      addInto(tmp, sidecars);
      use = tmp;
    }
    maxInto(init, use);
  }
  maxInto(reqs, init);
  const podLevel = readList(s.resources?.requests);
  if ([...podLevel.keys()].some(POD_LEVEL)) {
    for (const [name, q] of podLevel) if (POD_LEVEL(name)) reqs.set(name, q);
  }
  if (s.overhead) addInto(reqs, readList(s.overhead));
  return reqs;
}

/** quotav1.Add: a fresh list, names of either side, summed where both have them. */
function sumLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, q] of a) {
    const other = b.get(name);
    out.set(name, other ? addQuantities(q, other) : q);
  }
  for (const [name, q] of b) if (!a.has(name)) out.set(name, q);
  return out;
}

/** Upstream's CalculatePGMinResources: leader (or worker template) + (size-1) × worker, as a ResourceList. */
export function podGroupMinResources(lws: LeaderWorkerSet): Record<string, string> {
  const tpl = lws.spec.leaderWorkerTemplate;
  let total = podRequests((tpl.leaderTemplate ?? tpl.workerTemplate).spec);
  const workers = groupSize(lws) - 1;
  if (workers > 0) {
    const worker = podRequests(tpl.workerTemplate.spec);
    for (let i = 0; i < workers; i++) total = sumLists(total, worker);
  }
  return Object.fromEntries([...total.keys()].sort().map((name) => [name, quantityString(total.get(name)!)]));
}

/** minMember: the whole group, or just the leader under LeaderReady (its workers only exist once it is ready). */
export function podGroupMinMember(lws: LeaderWorkerSet): number {
  return lws.spec.startupPolicy === 'LeaderReady' ? 1 : groupSize(lws);
}

function podGroupLabels(lws: LeaderWorkerSet, leaderPod: Pod): Record<string, string> {
  const labels = leaderPod.metadata.labels ?? {};
  return {
    [GROUP_INDEX_LABEL]: labels[GROUP_INDEX_LABEL] ?? '',
    [SET_NAME_LABEL]: lwsName(lws),
    [REVISION_KEY_LABEL]: labels[REVISION_KEY_LABEL] ?? '',
  };
}

export interface VolcanoPodGroup extends KubeObject {
  spec: { minMember?: number; queue?: string; minResources: Record<string, string> };
  status: Record<string, never>;
}

/**
 * The Volcano PodGroup of the group a leader pod leads, exactly as upstream's CreatePodGroupIfNotExists
 * builds it (name from the leader's group-name annotation); undefined when the leader lacks that annotation
 * (created before gang scheduling was turned on: there is nothing to name).
 */
export function buildVolcanoPodGroup(lws: LeaderWorkerSet, leaderPod: Pod): VolcanoPodGroup | undefined {
  const name = leaderPod.metadata.annotations?.[VOLCANO_GROUP_NAME_ANNOTATION];
  if (!name) return undefined;
  const annotations = Object.fromEntries(
    Object.entries(lws.metadata.annotations ?? {}).filter(([k]) => k.startsWith(VOLCANO_ANNOTATION_PREFIX)),
  );
  const queue = lws.metadata.annotations?.[VOLCANO_QUEUE_NAME_ANNOTATION];
  const spec: VolcanoPodGroup['spec'] = { minMember: podGroupMinMember(lws), minResources: podGroupMinResources(lws) };
  if (queue) spec.queue = queue;
  const metadata: KubeObject['metadata'] = {
    name,
    namespace: lwsNamespace(lws),
    labels: podGroupLabels(lws, leaderPod),
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  metadata.ownerReferences = [controllerReference(leaderPod, 'v1', 'Pod')];
  return { apiVersion: VOLCANO_PODGROUP_API_VERSION, kind: 'PodGroup', metadata, spec, status: {} };
}

/**
 * Native (Kubernetes 1.36 alpha) objects of a group: a Workload with one gang pod-group template, and the
 * PodGroup instance the pods name in `spec.schedulingGroup`. Both owned by the leader pod, so they go with
 * the group exactly like Volcano's PodGroup.
 */
export function buildNativeGang(lws: LeaderWorkerSet, leaderPod: Pod): { workload: KubeObject; podGroup: KubeObject } {
  const name = podGroupNameOfPod(leaderPod);
  // Not blocking the leader's deletion: kube-controller-manager's podgroup-protection finalizer keeps a PodGroup
  // until no pod refers to it, so a foreground deletion of the leader waiting for it would never end.
  const metadata = () => ({
    name,
    namespace: lwsNamespace(lws),
    labels: podGroupLabels(lws, leaderPod),
    ownerReferences: [{ ...controllerReference(leaderPod, 'v1', 'Pod'), blockOwnerDeletion: false }],
  });
  const template = 'group';
  const policy = { gang: { minCount: podGroupMinMember(lws) } };
  const workload = {
    apiVersion: NATIVE_SCHEDULING_API_VERSION,
    kind: 'Workload',
    metadata: metadata(),
    spec: { podGroupTemplates: [{ name: template, schedulingPolicy: policy }] },
  };
  const podGroup = {
    apiVersion: NATIVE_SCHEDULING_API_VERSION,
    kind: 'PodGroup',
    metadata: metadata(),
    spec: {
      podGroupTemplateRef: { workload: { workloadName: name, podGroupTemplateName: template } },
      schedulingPolicy: policy,
    },
  };
  return { workload, podGroup };
}

/**
 * Warning event on the LWS when a group's pod group cannot be created (e.g. the provider's CRDs were removed
 * after start-up): without it the group's pods would wait for a scheduler with no trace on the LWS.
 */
export function podGroupCreateFailed(leaderPod: KubeObject, provider: GangSchedulerProvider, err: unknown): CoreEvent {
  const { groupVersion, resources } = PROVIDER_REQUIREMENTS[provider];
  return {
    type: 'Warning',
    reason: FAILED_CREATE,
    action: CREATE,
    note:
      `Failed to create ${resources.join(' and ')} (${groupVersion}, gang scheduling provider ${provider}) ` +
      `for leader pod ${leaderPod.metadata.name}: ${err instanceof Error ? err.message : String(err)}`,
    related: leaderPod,
  };
}
