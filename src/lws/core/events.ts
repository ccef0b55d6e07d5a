/**
 * @module core/events
 * The events the core asks the shell to record, with upstream's reasons, actions and notes spelled exactly
 * (pkg/controllers/*.go). The regarding object is always the LeaderWorkerSet; `related` is what upstream
 * passes as the related object (a ControllerRevision, a leader pod), or nothing.
 */
import type { LeaderWorkerSet } from '../api/types.ts';
import type { KubeObject, StatefulSet } from '../../k8s/client/objects.ts';

export type EventType = 'Normal' | 'Warning';

/** Structurally an events.k8s.io ObjectReference. */
export interface RelatedRef {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

export interface CoreEvent {
  type: EventType;
  reason: string;
  action: string;
  note: string;
  related?: KubeObject | RelatedRef;
}

// Reasons.
export const FAILED_CREATE = 'FailedCreate';
export const FAILED_UPDATE = 'FailedUpdate';
export const GROUPS_PROGRESSING = 'GroupsProgressing';
export const GROUPS_UPDATING = 'GroupsUpdating';
export const CREATING_REVISION = 'CreatingRevision';
export const RECREATE_GROUP = 'RecreateGroup';
/** Reason of the Available condition (and of the event when it is set). */
export const ALL_GROUPS_READY = 'AllGroupsReady';

// Actions.
export const CREATE = 'Create';
export const UPDATE = 'Update';
export const DELETE = 'Delete';

/** Go's `%v` of an error is its message. */
const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const normal = (reason: string, action: string, note: string, related?: CoreEvent['related']): CoreEvent =>
  related === undefined ? { type: 'Normal', reason, action, note } : { type: 'Normal', reason, action, note, related };
const warning = (reason: string, action: string, note: string, related?: CoreEvent['related']): CoreEvent =>
  related === undefined
    ? { type: 'Warning', reason, action, note }
    : { type: 'Warning', reason, action, note, related };

// LWS reconciler.
export const revisionCreatedForNewSet = (key: string, revision?: KubeObject): CoreEvent =>
  normal(CREATING_REVISION, CREATE, `Creating revision with key ${key} for a newly created LeaderWorkerSet`, revision);
export const revisionCreatedForExistingSet = (key: string, revision?: KubeObject): CoreEvent =>
  normal(CREATING_REVISION, CREATE, `Creating missing revision with key ${key} for existing LeaderWorkerSet`, revision);
export const revisionCreatedForUpdate = (key: string, revision?: KubeObject): CoreEvent =>
  normal(CREATING_REVISION, CREATE, `Creating revision with key ${key} for updated LWS`, revision);

export const leaderStatefulSetCreateFailed = (lwsName: string, err: unknown): CoreEvent =>
  warning(FAILED_CREATE, CREATE, `Failed to create leader statefulset ${lwsName}: ${errorText(err)}`);
export const leaderStatefulSetUpdateFailed = (lwsName: string, err: unknown): CoreEvent =>
  warning(FAILED_UPDATE, UPDATE, `Failed to update leader statefulset ${lwsName}: ${errorText(err)}`);
export const leaderStatefulSetCreated = (lwsName: string, revision?: KubeObject): CoreEvent =>
  normal(GROUPS_PROGRESSING, CREATE, `Created leader statefulset ${lwsName}`, revision);
/** Partition moved from `oldPartition` down to `partition`: groups partition..old-1 now roll. */
export const partitionMoved = (oldPartition: number, partition: number, revision?: KubeObject): CoreEvent =>
  normal(
    GROUPS_UPDATING,
    UPDATE,
    oldPartition - 1 === partition
      ? `Updating replica ${partition}`
      : `Updating replicas ${partition} to ${oldPartition - 1} (inclusive)`,
    revision,
  );
/**
 * What upstream records after a successful apply of the leader StatefulSet: its creation, or (outside the
 * pass that detected a template change) the partition moving down. `revision` is the current
 * ControllerRevision, upstream's related object.
 */
export function leaderStatefulSetEvents(
  lws: LeaderWorkerSet,
  previous: StatefulSet | undefined,
  partition: number,
  lwsUpdated: boolean,
  revision?: KubeObject,
): CoreEvent[] {
  if (!previous) return [leaderStatefulSetCreated(lws.metadata.name ?? '', revision)];
  const oldPartition = previous.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (lwsUpdated || partition === oldPartition) return [];
  return [partitionMoved(oldPartition, partition, revision)];
}

export const headlessServiceCreateFailed = (err: unknown): CoreEvent =>
  warning(FAILED_CREATE, CREATE, `Failed to create headless service for error: ${errorText(err)}`);
export const surgeReplicaDeleted = (lwsName: string, index: number): CoreEvent =>
  normal(GROUPS_PROGRESSING, DELETE, `deleting surge replica ${lwsName}-${index}`);
export const surgeReplicasDeleted = (lwsName: string, from: number, to: number): CoreEvent =>
  normal(GROUPS_PROGRESSING, DELETE, `deleting surge replicas from ${lwsName}-${from} to ${lwsName}-${to}`);
/** A condition changed: reason and message of the first condition set this pass. */
export const conditionChanged = (
  reason: string,
  message: string,
  readyGroups: number,
  totalGroups: number,
): CoreEvent => normal(reason, UPDATE, `${message}, with ${readyGroups} groups ready of total ${totalGroups} groups`);

// Pod reconciler.
export const workerStatefulSetCreated = (leaderPod: KubeObject): CoreEvent =>
  normal(GROUPS_PROGRESSING, CREATE, `Created worker statefulset for leader pod ${leaderPod.metadata.name}`, leaderPod);
export const workerStatefulSetCreateFailed = (leaderPod: KubeObject, err: unknown): CoreEvent =>
  warning(
    FAILED_CREATE,
    CREATE,
    `Failed to create worker statefulset for leader pod ${leaderPod.metadata.name}: ${errorText(err)}`,
    leaderPod,
  );
/** A leader pod carrying the worker-only leader-name annotation (clusters without StatefulSet start ordinals). */
export const leaderNameAnnotationMistake = (leaderPod: KubeObject): CoreEvent =>
  warning(
    FAILED_CREATE,
    CREATE,
    `leader pod ${leaderPod.metadata.namespace}/${leaderPod.metadata.name} contains mistake annotation 'leaderworkerset.sigs.k8s.io/leader-name': requires Kubernetes ≥v1.27 or v1.26 with StatefulSetStartOrdinal feature`,
    leaderPod,
  );
/** Upstream uses this wording whatever pod (leader or worker) triggered the recreation. */
export const groupRecreated = (triggerPodName: string, leader: KubeObject, groupIndex: string): CoreEvent =>
  normal(
    RECREATE_GROUP,
    DELETE,
    `Worker pod ${triggerPodName} failed, deleted leader pod ${leader.metadata.name} to recreate group ${groupIndex}`,
    leader,
  );
