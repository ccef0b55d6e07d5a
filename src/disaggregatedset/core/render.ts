/**
 * @module disaggregatedset/core/render
 * Desired child objects exactly as upstream builds them before `client.Create`:
 * the per-(slice, revision, role) LeaderWorkerSet (LeaderWorkerSetManager.Create), the per-LWS
 * headless Service (ServiceManager.buildService) and the per-role DisaggregatedSetRoleScaler
 * (ScalerManager.create). Owner references are plain data.
 */
import {
  DisaggregatedSetKind,
  DisaggregatedSetRoleScalerKind,
  GroupVersion,
  LeaderWorkerSetGroupVersion,
  LeaderWorkerSetKind,
  RevisionLabelKey,
  RoleLabelKey,
  SetNameLabelKey,
  SliceLabelKey,
  WorkerIndexLabelKey,
} from '../api/keys.ts';
import type {
  DisaggregatedRoleSpec,
  DisaggregatedSet,
  DisaggregatedSetRoleScaler,
  LeaderWorkerSetLike,
  OwnerReference,
  PodTemplateLike,
  ServiceLike,
} from '../api/types.ts';
import { setPlacementAffinities } from './affinity.ts';
import { generateName, hasSliceLabel, serviceNameForLWS } from './utils.ts';

/**
 * The controller owner reference upstream puts on LWS and Services: apiVersion
 * disaggregatedset.x-k8s.io/v1, kind DisaggregatedSet, controller true, blockOwnerDeletion unset.
 * RoleScalers additionally get blockOwnerDeletion true (`blockOwnerDeletion` argument).
 */
export function dsOwnerReference(ds: DisaggregatedSet, blockOwnerDeletion = false): OwnerReference {
  const ref: OwnerReference = {
    apiVersion: GroupVersion,
    kind: DisaggregatedSetKind,
    name: ds.metadata.name ?? '',
    uid: ds.metadata.uid ?? '',
    controller: true,
  };
  if (blockOwnerDeletion) ref.blockOwnerDeletion = true;
  return ref;
}

/** User labels overlaid with system labels (system wins). Always a (possibly empty) map. */
export function mergeLabels(
  userLabels: Record<string, string> | undefined,
  autoLabels: Record<string, string> | undefined,
): Record<string, string> {
  return { ...userLabels, ...autoLabels };
}

/** A copy of the annotations, or undefined (omitted) when there are none. */
export function copyAnnotations(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (annotations === undefined || Object.keys(annotations).length === 0) return undefined;
  return { ...annotations };
}

/** utils.CreateParams. */
export interface CreateParams {
  ds: DisaggregatedSet;
  role: string;
  slice: number;
  config: DisaggregatedRoleSpec;
  revision: string;
  /** System labels (normally generateLabels(ds, slice, revision, role)). */
  labels: Record<string, string>;
  replicas: number;
}

function renderTemplate(
  template: PodTemplateLike | undefined,
  labels: Record<string, string>,
  params: CreateParams,
): PodTemplateLike {
  const src = structuredClone(template ?? {});
  const metadata = { ...src.metadata, labels: mergeLabels(template?.metadata?.labels, labels) };
  const annotations = copyAnnotations(template?.metadata?.annotations);
  if (annotations === undefined) delete metadata.annotations;
  else metadata.annotations = annotations;
  const spec = setPlacementAffinities(
    src.spec ?? {},
    params.ds.metadata.name ?? '',
    params.slice,
    params.ds.spec.placementPolicy,
  );
  return { ...src, metadata, spec };
}

/**
 * The LeaderWorkerSet upstream creates for (slice, revision, role): the role's spec with
 * `replicas` overridden; system labels merged (system wins) into the LWS metadata labels and both
 * pod templates' labels; role metadata annotations and pod-template annotations copied (omitted
 * when empty); placement affinity injected into both pod templates. Only labels and annotations of
 * the role's `metadata` are propagated (this is how Kueue's `kueue.x-k8s.io/queue-name` label and
 * LWS annotations such as exclusive-topology reach the LWS). No status, no creationTimestamp.
 */
export function renderLeaderWorkerSet(params: CreateParams): LeaderWorkerSetLike {
  const { ds, config } = params;
  const spec = structuredClone(config.spec ?? {});
  spec.replicas = params.replicas;
  const lwt = { ...spec.leaderWorkerTemplate };
  lwt.workerTemplate = renderTemplate(config.spec?.leaderWorkerTemplate?.workerTemplate, params.labels, params);
  if (
    config.spec?.leaderWorkerTemplate?.leaderTemplate !== undefined &&
    config.spec.leaderWorkerTemplate.leaderTemplate !== null
  ) {
    lwt.leaderTemplate = renderTemplate(config.spec.leaderWorkerTemplate.leaderTemplate, params.labels, params);
  }
  spec.leaderWorkerTemplate = lwt;

  const metadata: LeaderWorkerSetLike['metadata'] = {
    name: generateName(ds.metadata.name ?? '', params.slice, params.revision, params.role),
    namespace: ds.metadata.namespace ?? '',
    labels: mergeLabels(config.metadata?.labels, params.labels),
  };
  const annotations = copyAnnotations(config.metadata?.annotations);
  if (annotations !== undefined) metadata.annotations = annotations;
  metadata.ownerReferences = [dsOwnerReference(ds)];
  return { apiVersion: LeaderWorkerSetGroupVersion, kind: LeaderWorkerSetKind, metadata, spec };
}

/**
 * The headless per-revision Service for an LWS: name `<lws>-prv`; selector = {name: ds, role and
 * revision from the LWS labels, plus the LWS slice label when it has a non-empty one}; labels = a
 * copy of the selector; clusterIP None; no ports; controller owner reference to the DS.
 */
export function buildService(ds: DisaggregatedSet, lws: LeaderWorkerSetLike): ServiceLike {
  const labels = lws.metadata.labels ?? {};
  const selector: Record<string, string> = {
    [SetNameLabelKey]: ds.metadata.name ?? '',
    [RoleLabelKey]: labels[RoleLabelKey] ?? '',
    [RevisionLabelKey]: labels[RevisionLabelKey] ?? '',
  };
  if (hasSliceLabel(labels)) selector[SliceLabelKey] = labels[SliceLabelKey]!;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: serviceNameForLWS(lws.metadata.name ?? ''),
      namespace: ds.metadata.namespace ?? '',
      labels: { ...selector },
      ownerReferences: [dsOwnerReference(ds)],
    },
    spec: { clusterIP: 'None', selector },
  };
}

/** ScalerName: `<ds>-<role>`. */
export function scalerName(dsName: string, role: string): string {
  return `${dsName}-${role}`;
}

/** The RoleScaler upstream creates for an External role, seeded with `seed` replicas. */
export function renderScaler(ds: DisaggregatedSet, role: string, seed: number): DisaggregatedSetRoleScaler {
  return {
    apiVersion: GroupVersion,
    kind: DisaggregatedSetRoleScalerKind,
    metadata: {
      name: scalerName(ds.metadata.name ?? '', role),
      namespace: ds.metadata.namespace ?? '',
      labels: { [SetNameLabelKey]: ds.metadata.name ?? '', [RoleLabelKey]: role },
      ownerReferences: [dsOwnerReference(ds, true)],
    },
    spec: { replicas: seed },
  };
}

/**
 * status.selector of a RoleScaler (leader pods of the role, all revisions and slices):
 * `disaggregatedset.x-k8s.io/name=<ds>,disaggregatedset.x-k8s.io/role=<role>,leaderworkerset.sigs.k8s.io/worker-index=0`.
 */
export function scalerSelector(dsName: string, role: string): string {
  return `${SetNameLabelKey}=${dsName},${RoleLabelKey}=${role},${WorkerIndexLabelKey}=0`;
}
