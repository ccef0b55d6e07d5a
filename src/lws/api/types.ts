/**
 * @module api/types
 * The `leaderworkerset.x-k8s.io/v1` LeaderWorkerSet API as plain JSON shapes, mirroring upstream's Go types
 * (api/leaderworkerset/v1). Optional markers follow the wire format: defaulting fills them in (see webhooks).
 */
import type { Condition, ObjectMeta, PersistentVolumeClaim, PodTemplateSpec } from '../../k8s/client/objects.ts';

export type RestartPolicy = 'RecreateGroupOnPodRestart' | 'RecreateGroupAfterStart' | 'None' | 'Default';
export const RESTART_POLICIES: readonly RestartPolicy[] = [
  'Default',
  'RecreateGroupOnPodRestart',
  'RecreateGroupAfterStart',
  'None',
];

export type StartupPolicy = 'LeaderCreated' | 'LeaderReady';
export const STARTUP_POLICIES: readonly StartupPolicy[] = ['LeaderCreated', 'LeaderReady'];

export type SubdomainPolicy = 'Shared' | 'UniquePerReplica';
export const SUBDOMAIN_POLICIES: readonly SubdomainPolicy[] = ['Shared', 'UniquePerReplica'];

export type SubGroupPolicyType = 'LeaderWorker' | 'LeaderExcluded';
export const SUBGROUP_POLICY_TYPES: readonly SubGroupPolicyType[] = ['LeaderWorker', 'LeaderExcluded'];

export type RolloutStrategyType = 'RollingUpdate';
export const ROLLOUT_STRATEGY_TYPES: readonly RolloutStrategyType[] = ['RollingUpdate'];

/** An intstr.IntOrString: an absolute number or a percentage such as "25%". */
export type { IntOrString } from '../../k8s/go/intstr.ts';
import type { IntOrString } from '../../k8s/go/intstr.ts';

export interface SubGroupPolicy {
  subGroupPolicyType?: SubGroupPolicyType;
  subGroupSize?: number;
}

export interface PersistentVolumeClaimRetentionPolicy {
  whenDeleted?: 'Retain' | 'Delete';
  whenScaled?: 'Retain' | 'Delete';
}

export interface LeaderWorkerTemplate {
  /** Leader pod template; the worker template is used for the leader when absent. */
  leaderTemplate?: PodTemplateSpec;
  workerTemplate: PodTemplateSpec;
  /** Pods per group including the leader. */
  size?: number;
  restartPolicy?: RestartPolicy;
  subGroupPolicy?: SubGroupPolicy;
  volumeClaimTemplates?: PersistentVolumeClaim[];
  persistentVolumeClaimRetentionPolicy?: PersistentVolumeClaimRetentionPolicy;
}

export interface RollingUpdateConfiguration {
  partition?: number;
  maxUnavailable?: IntOrString;
  maxSurge?: IntOrString;
}

export interface RolloutStrategy {
  type?: RolloutStrategyType;
  rollingUpdateConfiguration?: RollingUpdateConfiguration;
}

export interface NetworkConfig {
  subdomainPolicy?: SubdomainPolicy;
}

export interface LeaderWorkerSetSpec {
  replicas?: number;
  leaderWorkerTemplate: LeaderWorkerTemplate;
  rolloutStrategy?: RolloutStrategy;
  startupPolicy?: StartupPolicy;
  networkConfig?: NetworkConfig;
}

export interface LeaderWorkerSetStatus {
  conditions?: Condition[];
  readyReplicas?: number;
  updatedReplicas?: number;
  replicas?: number;
  hpaPodSelector?: string;
  observedGeneration?: number;
}

export interface LeaderWorkerSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: LeaderWorkerSetSpec;
  status?: LeaderWorkerSetStatus;
}
