/**
 * @module controllers/gang-scheduling
 * The shell of core/gang-scheduling.ts: creating a group's pod group(s) from the leader-pod reconciler
 * (upstream's CreatePodGroupIfNotExists: get, create when missing, never update), and the start-up check
 * that the provider's API is served and readable before any pod is admitted with a gang.
 */
import type { KubeClient } from '../../k8s/client/client.ts';
import { isAlreadyExists, isForbidden, isNotFound, orUndefinedIfNotFound } from '../../k8s/client/errors.ts';
import type { KubeObject, Pod } from '../../k8s/client/objects.ts';
import type { ResourceRef } from '../../k8s/client/resources.ts';
import { NATIVE_PODGROUPS, NATIVE_WORKLOADS, VOLCANO_PODGROUPS } from '../api/resources.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import {
  PROVIDER_REQUIREMENTS,
  buildNativeGang,
  buildVolcanoPodGroup,
  type GangSchedulerProvider,
} from '../core/gang-scheduling.ts';

/** The provider is configured but the cluster cannot serve it: names what is missing and how to fix it. */
export class GangSchedulingUnavailableError extends Error {
  constructor(provider: GangSchedulerProvider, detail: string) {
    super(`gangSchedulingManagement.schedulerProvider "${provider}": ${detail}`);
    this.name = 'GangSchedulingUnavailableError';
  }
}

const RESOURCES: Record<GangSchedulerProvider, ResourceRef[]> = {
  volcano: [VOLCANO_PODGROUPS],
  kubernetes: [NATIVE_WORKLOADS, NATIVE_PODGROUPS],
};

const HINTS: Record<GangSchedulerProvider, string> = {
  volcano: "install Volcano's CRDs and scheduler (lwsctl cluster up --scheduler volcano, or Volcano's installer)",
  kubernetes:
    'enable it on kube-apiserver: --runtime-config=scheduling.k8s.io/v1alpha2=true --feature-gates=GenericWorkload=true,GangScheduling=true ' +
    '(and GangScheduling on kube-scheduler); lwsctl cluster up --scheduler native does both',
};

/** Fails with a GangSchedulingUnavailableError unless every resource the provider writes is served and listable. */
export async function checkGangSchedulingAvailable(client: KubeClient, provider: GangSchedulerProvider): Promise<void> {
  const { groupVersion } = PROVIDER_REQUIREMENTS[provider];
  for (const ref of RESOURCES[provider]) {
    try {
      await client.list(ref, { limit: 1 });
    } catch (e) {
      if (isNotFound(e)) {
        throw new GangSchedulingUnavailableError(
          provider,
          `the cluster does not serve ${ref.resource}.${groupVersion}; ${HINTS[provider]}`,
        );
      }
      if (isForbidden(e)) {
        throw new GangSchedulingUnavailableError(
          provider,
          `not allowed to list ${ref.resource}.${ref.group} (${(e as Error).message}); grant the controller's ClusterRole ` +
            `get, list, watch and create on ${ref.resource} in API group ${ref.group}`,
        );
      }
      throw e;
    }
  }
}

/** What ensurePodGroup found: made now, already there, or still the previous incarnation's (waiting for GC). */
export type PodGroupOutcome = 'created' | 'exists' | 'stale';

async function createIfMissing(client: KubeClient, ref: ResourceRef, object: KubeObject): Promise<PodGroupOutcome> {
  const key = { namespace: object.metadata.namespace!, name: object.metadata.name! };
  const owner = object.metadata.ownerReferences?.[0]?.uid;
  const existing = await orUndefinedIfNotFound(client.get<KubeObject>(ref, key));
  if (existing) {
    // A recreated group reuses the name (same revision) while the old leader's group is being garbage
    // collected: wait for it rather than adopt an object that is about to disappear.
    const existingOwner = existing.metadata.ownerReferences?.find((o) => o.controller)?.uid;
    return existingOwner !== undefined && existingOwner !== owner ? 'stale' : 'exists';
  }
  try {
    await client.create(ref, object);
    return 'created';
  } catch (e) {
    if (isAlreadyExists(e)) return 'stale';
    throw e;
  }
}

const worst = (a: PodGroupOutcome, b: PodGroupOutcome): PodGroupOutcome =>
  a === 'stale' || b === 'stale' ? 'stale' : a === 'created' || b === 'created' ? 'created' : 'exists';

/**
 * Creates the pod group(s) of the group `leaderPod` leads when missing (never updates them: like upstream,
 * a group keeps the pod group it started with; a new revision or size means new pods and a new name).
 * Volcano: nothing when the leader has no group-name annotation (admitted before gang scheduling was on).
 */
export async function ensurePodGroup(
  client: KubeClient,
  provider: GangSchedulerProvider,
  lws: LeaderWorkerSet,
  leaderPod: Pod,
): Promise<PodGroupOutcome> {
  if (provider === 'volcano') {
    const pg = buildVolcanoPodGroup(lws, leaderPod);
    return pg ? createIfMissing(client, VOLCANO_PODGROUPS, pg) : 'exists';
  }
  const { workload, podGroup } = buildNativeGang(lws, leaderPod);
  const w = await createIfMissing(client, NATIVE_WORKLOADS, workload);
  return worst(w, await createIfMissing(client, NATIVE_PODGROUPS, podGroup));
}
