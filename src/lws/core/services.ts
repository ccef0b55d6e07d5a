/**
 * @module core/services
 * Headless Services giving group pods their DNS names (upstream CreateHeadlessServiceIfNotExists). Both are
 * create-if-absent, never updated. Shared: one per LWS, named after it, owned by it (LWS reconciler).
 * UniquePerReplica: one per group, named after the leader pod and owned by it, so it goes with the group.
 */
import { API_VERSION, GROUP_INDEX_LABEL, KIND, SET_NAME_LABEL } from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { OwnerReference, Pod, Service } from '../../k8s/client/objects.ts';
import { lwsName, lwsNamespace, subdomainPolicy } from './lws-spec.ts';
import { controllerReference } from './object-meta.ts';

function headlessService(
  lws: LeaderWorkerSet,
  name: string,
  selector: Record<string, string>,
  owner: OwnerReference,
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: lwsNamespace(lws),
      labels: { [SET_NAME_LABEL]: lwsName(lws) },
      ownerReferences: [owner],
    },
    spec: {
      clusterIP: 'None',
      selector,
      // Group members must resolve each other before they are Ready.
      publishNotReadyAddresses: true,
    },
  };
}

/** Whether the LWS reconciler keeps the shared Service (networkConfig absent or Shared). */
export function usesSharedService(lws: LeaderWorkerSet): boolean {
  return subdomainPolicy(lws) === 'Shared';
}

export function buildSharedService(lws: LeaderWorkerSet): Service {
  return headlessService(
    lws,
    lwsName(lws),
    { [SET_NAME_LABEL]: lwsName(lws) },
    controllerReference(lws, API_VERSION, KIND),
  );
}

export function buildUniquePerReplicaService(lws: LeaderWorkerSet, leaderPod: Pod): Service {
  return headlessService(
    lws,
    leaderPod.metadata.name ?? '',
    { [SET_NAME_LABEL]: lwsName(lws), [GROUP_INDEX_LABEL]: leaderPod.metadata.labels?.[GROUP_INDEX_LABEL] ?? '' },
    controllerReference(leaderPod, 'v1', 'Pod'),
  );
}
