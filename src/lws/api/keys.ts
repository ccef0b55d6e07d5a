/**
 * @module api/keys
 * Every label, annotation and environment-variable name of the LeaderWorkerSet API, spelled exactly as
 * upstream kubernetes-sigs/lws v0.10 spells them: objects written by either controller must be
 * indistinguishable.
 */

export const GROUP = 'leaderworkerset.x-k8s.io';
export const VERSION = 'v1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'LeaderWorkerSet';
export const PLURAL = 'leaderworkersets';

const prefix = 'leaderworkerset.sigs.k8s.io/';

// Labels.
/** LWS name; on every object the controller creates and on every pod of the set. */
export const SET_NAME_LABEL = `${prefix}name`;
/** Group index (the leader's ordinal); on pods, worker StatefulSets and per-group Services. */
export const GROUP_INDEX_LABEL = `${prefix}group-index`;
/** Position inside a group: "0" for the leader, 1..size-1 for workers. */
export const WORKER_INDEX_LABEL = `${prefix}worker-index`;
/** sha1hex("<namespace>/<leaderPodName>"): identifies one group across its pods. */
export const GROUP_UNIQUE_HASH_LABEL = `${prefix}group-key`;
/** Revision key of the template a pod/StatefulSet was built from. */
export const REVISION_KEY_LABEL = `${prefix}template-revision-hash`;
/** Subgroup index of a pod when subGroupPolicy is set. */
export const SUBGROUP_INDEX_LABEL = `${prefix}subgroup-index`;
/** sha1hex("<leaderPodName>/<subgroupIndex>"). */
export const SUBGROUP_UNIQUE_HASH_LABEL = `${prefix}subgroup-key`;

// Annotations.
/** Group size, on leader and worker pod templates. */
export const SIZE_ANNOTATION = `${prefix}size`;
/** spec.replicas, on the leader StatefulSet; detects replica changes during a rollout. */
export const REPLICAS_ANNOTATION = `${prefix}replicas`;
/** Leader pod name, on the worker pod template. */
export const LEADER_POD_NAME_ANNOTATION = `${prefix}leader-name`;
/** User-set on the LWS: topology key for 1:1 group-to-domain placement. */
export const EXCLUSIVE_KEY_ANNOTATION = `${prefix}exclusive-topology`;
/** User-set on the LWS: topology key for 1:1 subgroup-to-domain placement. */
export const SUBGROUP_EXCLUSIVE_KEY_ANNOTATION = `${prefix}subgroup-exclusive-topology`;
export const SUBGROUP_SIZE_ANNOTATION = `${prefix}subgroup-size`;
export const SUBGROUP_POLICY_TYPE_ANNOTATION = `${prefix}subgroup-policy-type`;
/** On the leader template when networkConfig.subdomainPolicy is UniquePerReplica. */
export const SUBDOMAIN_POLICY_ANNOTATION = `${prefix}subdomainPolicy`;
/** User-set on the LWS (any value): RecreateGroupOnPodRestart behaves like RecreateGroupAfterStart. */
export const RECREATE_GROUP_AFTER_START_ANNOTATION = `${prefix}experimental-recreate-group-after-start`;
/** "true" on the worker template when the leader pod requests TPUs. */
export const LEADER_REQUESTS_TPUS_ANNOTATION = `${prefix}leader-requests-tpus`;

// Environment variables injected into every container of an LWS pod, first and in this order.
export const LWS_LEADER_ADDRESS = 'LWS_LEADER_ADDRESS';
export const LWS_GROUP_SIZE = 'LWS_GROUP_SIZE';
export const LWS_WORKER_INDEX = 'LWS_WORKER_INDEX';

// TPU support (pkg/utils/accelerators upstream).
export const TPU_RESOURCE_NAME = 'google.com/tpu';
export const TPU_WORKER_HOSTNAMES = 'TPU_WORKER_HOSTNAMES';
export const TPU_WORKER_ID = 'TPU_WORKER_ID';
export const TPU_NAME = 'TPU_NAME';
export const TPU_PROCESS_ADDRESSES = 'TPU_PROCESS_ADDRESSES';
export const TPU_PROCESS_PORT = 'TPU_PROCESS_PORT';
export const TPU_PROCESS_DEFAULT_PORT = 8476;

// Condition types, reasons and messages.
export const CONDITION_AVAILABLE = 'Available';
export const CONDITION_PROGRESSING = 'Progressing';
export const CONDITION_UPDATE_IN_PROGRESS = 'UpdateInProgress';

/** Field manager of every server-side apply this controller sends (upstream: "lws"). */
export const FIELD_MANAGER = 'lws';
