/**
 * @module disaggregatedset/api/types
 * Wire shapes of the disaggregatedset.x-k8s.io/v1 kinds (JSON field names exactly as upstream's Go
 * json tags), plus small structural interfaces for the LeaderWorkerSet, Service and pod-template
 * parts the DisaggregatedSet logic reads or writes. Everything is plain JSON data.
 */
import type { PlacementType, RoleScalingMode } from './keys.ts';

export type { IntOrString } from '../../k8s/go/intstr.ts';
export type { ObjectMeta, OwnerReference } from '../../k8s/client/objects.ts';
import type { IntOrString } from '../../k8s/go/intstr.ts';
import type { ObjectMeta } from '../../k8s/client/objects.ts';

/** metav1.Condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

// --- Pod template / affinity (only what placement injection touches) ---------------------------

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  topologyKey: string;
  namespaceSelector?: LabelSelector;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

export interface PodAffinityLike {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: unknown[];
}

export interface AffinityLike {
  nodeAffinity?: unknown;
  podAffinity?: PodAffinityLike;
  podAntiAffinity?: PodAffinityLike;
}

export interface PodSpecLike {
  affinity?: AffinityLike;
  [k: string]: unknown;
}

export interface PodTemplateLike {
  metadata?: ObjectMeta;
  spec?: PodSpecLike;
}

// --- LeaderWorkerSet (structural) ---------------------------------------------------------------

export interface RollingUpdateConfigurationLike {
  partition?: number;
  maxUnavailable?: IntOrString;
  maxSurge?: IntOrString;
}

export interface RolloutStrategyLike {
  type?: string;
  rollingUpdateConfiguration?: RollingUpdateConfigurationLike;
}

export interface LeaderWorkerTemplateLike {
  leaderTemplate?: PodTemplateLike;
  workerTemplate?: PodTemplateLike;
  size?: number;
  restartPolicy?: string;
  subGroupPolicy?: unknown;
  volumeClaimTemplates?: unknown[];
  persistentVolumeClaimRetentionPolicy?: unknown;
  [k: string]: unknown;
}

/** leaderworkerset.x-k8s.io/v1 LeaderWorkerSetSpec, as far as DisaggregatedSet cares. */
export interface LwsSpecLike {
  replicas?: number;
  leaderWorkerTemplate?: LeaderWorkerTemplateLike;
  rolloutStrategy?: RolloutStrategyLike;
  startupPolicy?: string;
  networkConfig?: unknown;
  [k: string]: unknown;
}

export interface LwsStatusLike {
  replicas?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
  [k: string]: unknown;
}

export interface LeaderWorkerSetLike {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: LwsSpecLike;
  status?: LwsStatusLike;
}

/** core/v1 Service, as far as the DisaggregatedSet ServiceManager reads/writes it. */
export interface ServiceLike {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { clusterIP?: string; selector?: Record<string, string>; ports?: unknown[]; [k: string]: unknown };
}

// --- DisaggregatedSet ---------------------------------------------------------------------------

export interface RoleScaling {
  /** CRD default "Static"; omitempty. */
  mode?: RoleScalingMode;
}

/** DisaggregatedRoleSpec: name + scaling + inline LeaderWorkerSetTemplateSpec (metadata, spec). */
export interface DisaggregatedRoleSpec {
  name: string;
  scaling?: RoleScaling;
  /** LeaderWorkerSetTemplateSpec.ObjectMeta; only labels and annotations are propagated. */
  metadata?: ObjectMeta;
  spec?: LwsSpecLike;
}

export interface PlacementPolicy {
  /** CRD default "None". */
  type?: PlacementType;
  topology?: string;
}

export interface DisaggregatedSetSpec {
  roles: DisaggregatedRoleSpec[];
  /** CRD default 1, min 1, max 100. */
  slices?: number;
  placementPolicy?: PlacementPolicy;
}

export interface RoleStatus {
  name: string;
  replicas?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
}

export interface DisaggregatedSetStatus {
  /** Added on main after v0.10.0 (#933). */
  observedGeneration?: number;
  roleStatuses?: RoleStatus[];
  conditions?: Condition[];
}

export interface DisaggregatedSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: DisaggregatedSetSpec;
  status?: DisaggregatedSetStatus;
}

// --- DisaggregatedSetRoleScaler -----------------------------------------------------------------

export interface DisaggregatedSetRoleScalerSpec {
  /** Non-pointer, CRD default 0, minimum 0 (always materialised so /scale GET works). */
  replicas: number;
}

export interface DisaggregatedSetRoleScalerStatus {
  replicas?: number;
  selector?: string;
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface DisaggregatedSetRoleScaler {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: DisaggregatedSetRoleScalerSpec;
  status?: DisaggregatedSetRoleScalerStatus;
}
