/**
 * @module render/render
 * Offline rendering: every object the controller and the webhooks would produce for one LeaderWorkerSet,
 * computed with the very functions the controller uses (no cluster involved).
 *
 * Pods are shown as the StatefulSet controller would create them (name, labels, annotations, spec from the
 * template) after our pod webhook mutated them. Two things need a live cluster and are left out: the
 * StatefulSet controller's own `controller-revision-hash` label, and the nodeSelector exclusive placement
 * copies from the node a leader lands on.
 */
import type { LeaderWorkerSet } from '../api/types.ts';
import type { KubeObject, Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { applyCrdDefaults } from '../webhooks/crd-defaults.ts';
import { defaultLeaderWorkerSet } from '../webhooks/lws-defaults.ts';
import { validateLeaderWorkerSet } from '../webhooks/lws-validation.ts';
import { formatFieldErrors } from '../../k8s/validation/field-errors.ts';
import { mutatePod } from '../webhooks/pod-mutation.ts';
import { buildControllerRevision, applyRevision, revisionKeyOf } from '../core/revision.ts';
import { buildLeaderStatefulSet } from '../core/leader-statefulset.ts';
import { buildWorkerStatefulSet } from '../core/worker-statefulset.ts';
import { buildSharedService, buildUniquePerReplicaService, usesSharedService } from '../core/services.ts';
import { groupSize, specReplicas } from '../core/lws-spec.ts';

export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

export interface Rendered {
  /** The LWS after schema defaults and the mutating webhook. */
  leaderWorkerSet: LeaderWorkerSet;
  revisionKey: string;
  objects: KubeObject[];
}

/** A pod of StatefulSet `sts` with ordinal `ordinal`, as the StatefulSet controller creates it. */
function podOf(sts: StatefulSet, name: string, ordinal: number): Pod {
  const template = structuredClone(sts.spec!.template);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: sts.metadata.namespace,
      labels: {
        ...template.metadata?.labels,
        'statefulset.kubernetes.io/pod-name': name,
        'apps.kubernetes.io/pod-index': String(ordinal),
      },
      annotations: template.metadata?.annotations,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          name: sts.metadata.name!,
          uid: '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { ...template.spec!, hostname: name, subdomain: sts.spec!.serviceName },
  };
}

export function render(input: LeaderWorkerSet): Rendered {
  if (input.kind !== 'LeaderWorkerSet')
    throw new RenderError(`expected kind LeaderWorkerSet, got ${input.kind ?? 'none'}`);
  const lws = defaultLeaderWorkerSet(applyCrdDefaults(structuredClone(input)));
  lws.metadata.namespace ??= 'default';
  lws.metadata.uid ??= '';
  const errors = validateLeaderWorkerSet(lws);
  if (errors.length > 0) throw new RenderError(`the LeaderWorkerSet would be rejected: ${formatFieldErrors(errors)}`);

  const revision = buildControllerRevision(lws, 1);
  const revisionKey = revisionKeyOf(revision);
  const replicas = specReplicas(lws);
  const leaderSts = buildLeaderStatefulSet(lws, { revisionKey, partition: 0, replicas });
  const objects: KubeObject[] = [revision, leaderSts];
  if (usesSharedService(lws)) objects.push(buildSharedService(lws));

  const name = lws.metadata.name!;
  const size = groupSize(lws);
  const atRevision = applyRevision(lws, revision);
  for (let group = 0; group < replicas; group++) {
    const leader = mutatePod(podOf(leaderSts, `${name}-${group}`, group));
    objects.push(leader);
    if (!usesSharedService(lws)) objects.push(buildUniquePerReplicaService(lws, leader));
    if (size === 1) continue;
    const workerSts = buildWorkerStatefulSet(atRevision, leader);
    objects.push(workerSts);
    for (let worker = 1; worker < size; worker++)
      objects.push(mutatePod(podOf(workerSts, `${name}-${group}-${worker}`, worker)));
  }
  return { leaderWorkerSet: lws, revisionKey, objects };
}
