/**
 * @module disaggregatedset/api/keys
 * Every constant the upstream DisaggregatedSet code (kubernetes-sigs/lws v0.10.0) uses: API group,
 * label and annotation keys, kinds, event reasons, condition types, defaults and limits.
 * Names follow upstream's Go identifiers.
 */

// --- Group / version / kinds -------------------------------------------------------------------

export const Group = 'disaggregatedset.x-k8s.io';
export const Version = 'v1';
/** `GroupVersion.String()`: the apiVersion of every DisaggregatedSet-group object and owner reference. */
export const GroupVersion = `${Group}/${Version}`;

export const DisaggregatedSetKind = 'DisaggregatedSet';
export const DisaggregatedSetListKind = 'DisaggregatedSetList';
export const DisaggregatedSetPlural = 'disaggregatedsets';
export const DisaggregatedSetSingular = 'disaggregatedset';

export const DisaggregatedSetRoleScalerKind = 'DisaggregatedSetRoleScaler';
export const DisaggregatedSetRoleScalerListKind = 'DisaggregatedSetRoleScalerList';
export const DisaggregatedSetRoleScalerPlural = 'disaggregatedsetrolescalers';
export const DisaggregatedSetRoleScalerSingular = 'disaggregatedsetrolescaler';
/** CRD shortNames of DisaggregatedSetRoleScaler (DisaggregatedSet has none). */
export const DisaggregatedSetRoleScalerShortNames: readonly string[] = ['dsrs'];

/** The LeaderWorkerSet group/version the controller creates children in. */
export const LeaderWorkerSetGroupVersion = 'leaderworkerset.x-k8s.io/v1';
export const LeaderWorkerSetKind = 'LeaderWorkerSet';

// --- Labels / annotations set by the DisaggregatedSet controller -------------------------------

/** Records the DisaggregatedSet name; on LWS, pod templates, Services and RoleScalers. */
export const SetNameLabelKey = 'disaggregatedset.x-k8s.io/name';
/** Records the role ("prefill", "decode", ...); on LWS, pod templates, Services and RoleScalers. */
export const RoleLabelKey = 'disaggregatedset.x-k8s.io/role';
/** Records the slice index (decimal, `strconv.Itoa`); absent on pre-slices ("legacy") objects. */
export const SliceLabelKey = 'disaggregatedset.x-k8s.io/slice';
/** Records the 8-hex-char revision hash of the role templates. */
export const RevisionLabelKey = 'disaggregatedset.x-k8s.io/revision';
/** Snapshot of an old-revision LWS's spec.replicas taken when a rolling update starts (decimal string). */
export const InitialReplicasAnnotationKey = 'disaggregatedset.x-k8s.io/initial-replicas';
/** Plain "app" label, value `<ds>-<slice>-<role>`, stamped by GenerateLabels. */
export const AppLabelKey = 'app';

// --- LeaderWorkerSet keys the DisaggregatedSet code references ---------------------------------

/** Used in the RoleScaler status.selector (leader pods only: worker-index=0). */
export const WorkerIndexLabelKey = 'leaderworkerset.sigs.k8s.io/worker-index';
/** LWS group-level exclusive placement annotation; conflicts with a non-None placementPolicy. */
export const ExclusiveKeyAnnotationKey = 'leaderworkerset.sigs.k8s.io/exclusive-topology';
/** LWS subgroup-level exclusive placement annotation; conflicts with a non-None placementPolicy. */
export const SubGroupExclusiveKeyAnnotationKey = 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology';
/** Kueue queue label; upstream propagates it (like any role metadata label) onto the child LWS. */
export const KueueQueueNameLabelKey = 'kueue.x-k8s.io/queue-name';
export const RollingUpdateStrategyType = 'RollingUpdate';

// --- Enums ------------------------------------------------------------------------------------

export const RoleScalingStatic = 'Static';
export const RoleScalingExternal = 'External';
export type RoleScalingMode = typeof RoleScalingStatic | typeof RoleScalingExternal;

export const PlacementNone = 'None';
export const PlacementExclusiveSlice = 'ExclusiveSlice';
export const PlacementExclusiveTopology = 'ExclusiveTopology';
export type PlacementType = typeof PlacementNone | typeof PlacementExclusiveSlice | typeof PlacementExclusiveTopology;

// --- Conditions ---------------------------------------------------------------------------------

/** RoleScaler condition type written by the DS controller. */
export const DisaggregatedSetRoleScalerReady = 'Ready';
export const ScalerReadyReason = 'Bound';
export const ScalerReadyMessage = 'Scaler bound to a live DisaggregatedSet role';

/** DisaggregatedSet condition types (added on main after v0.10.0, #980; v0.10.0 writes no DS status). */
export const DisaggregatedSetAvailable = 'Available';
export const DisaggregatedSetProgressing = 'Progressing';
export const AvailableReason = 'AllRolesReady';
export const AvailableMessage =
  'All roles have reached their desired replica count, ready and updated to the current revision';
export const ProgressingReason = 'RolloutInProgress';
export const ProgressingMessage =
  'Not all roles have reached their desired replica count, ready and updated to the current revision';

// --- Events -------------------------------------------------------------------------------------

export const EventReasonRollingUpdateStarted = 'RollingUpdateStarted';
export const EventReasonRollingUpdateCompleted = 'RollingUpdateCompleted';
export const EventReasonScalingUp = 'ScalingUp';
export const EventReasonScalingDown = 'ScalingDown';
export const EventReasonLWSDeleted = 'LWSDeleted';
export const EventReasonScalerCreated = 'ScalerCreated';
export const EventReasonScalerDeleted = 'ScalerDeleted';
export const EventReasonScalerConflict = 'ScalerConflict';

/** `action` argument of the events.EventRecorder.Eventf calls. */
export const EventActionUpdate = 'Update';
export const EventActionDelete = 'Delete';
export const EventActionMigrate = 'Migrate';
export const EventActionCreate = 'Create';
export const EventActionConflict = 'Conflict';

// --- Controller / webhook identity -------------------------------------------------------------

/** `Named("disaggregatedset")` in SetupWithManager. */
export const ControllerName = 'disaggregatedset';
/** Validating webhook (no defaulting webhook exists for DisaggregatedSet). */
export const ValidatingWebhookPath = '/validate-disaggregatedset-x-k8s-io-v1-disaggregatedset';
export const ValidatingWebhookName = 'vdisaggregatedset.kb.io';

// --- Defaults and limits ------------------------------------------------------------------------

/** `utils.NumRequiredRoles`. */
export const NumRequiredRoles = 2;
/** CRD: spec.roles minItems / maxItems. */
export const MinRoles = 2;
export const MaxRoles = 10;
/** CRD: spec.slices default / minimum / maximum. */
export const DefaultSlices = 1;
export const MinSlices = 1;
export const MaxSlices = 100;
/** Revision hashes are the first 8 hex chars of a SHA-256. */
export const RevisionLength = 8;
/** Suffix of the per-revision headless Service name (`<lws-name>-prv`). */
export const ServiceNameSuffix = '-prv';
/** Default rollout config per role when the role sets no rollingUpdateConfiguration. */
export const DefaultMaxSurge = 1;
export const DefaultMaxUnavailable = 0;
/** RequeueAfter used while a rollout is starting or waiting for stability (1s). */
export const RolloutRequeueAfterMs = 1000;
/** Scaler seed for a role that has no LWS at all yet. */
export const FreshScalerSeed = 1;
/** Kubernetes object name limit checked for RoleScaler names in the webhook. */
export const MaxScalerNameLength = 253;
/** DNS-1035 limit used by the generated-name length check added on main (#966). */
export const DNS1035MaxLength = 63;

/** No finalizers and no server-side-apply field manager are used by the upstream DS controller. */
export const Finalizers: readonly string[] = [];

/**
 * `mgr.GetEventRecorder("disaggregatedset")`: the reporting controller of the events.k8s.io/v1
 * events the controller emits (events.EventRecorder.Eventf(regarding, related=nil, type, reason,
 * action, note...)). The ScalerManager shares this recorder.
 */
export const EventRecorderName = 'disaggregatedset';
