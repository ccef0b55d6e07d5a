/**
 * @module core/lws-spec
 * Reads of a LeaderWorkerSet spec with the values its CRD schema and defaulting webhook always fill in, so the
 * core never has to ask "what if this is absent" (upstream dereferences these pointers unconditionally).
 */
import type { LeaderWorkerSet, RestartPolicy, SubdomainPolicy } from '../api/types.ts';
import { scaledValue, type IntOrString } from '../../k8s/go/intstr.ts';

export const lwsName = (lws: LeaderWorkerSet): string => lws.metadata.name ?? '';
export const lwsNamespace = (lws: LeaderWorkerSet): string => lws.metadata.namespace ?? '';
export const lwsGeneration = (lws: LeaderWorkerSet): number => lws.metadata.generation ?? 0;

/** spec.replicas (CRD default 1). */
export const specReplicas = (lws: LeaderWorkerSet): number => lws.spec.replicas ?? 1;
/** Pods per group including the leader (CRD default 1). */
export const groupSize = (lws: LeaderWorkerSet): number => lws.spec.leaderWorkerTemplate.size ?? 1;

export const restartPolicy = (lws: LeaderWorkerSet): RestartPolicy =>
  lws.spec.leaderWorkerTemplate.restartPolicy ?? 'RecreateGroupOnPodRestart';

/** A missing networkConfig means Shared. */
export const subdomainPolicy = (lws: LeaderWorkerSet): SubdomainPolicy =>
  lws.spec.networkConfig?.subdomainPolicy ?? 'Shared';

export interface RolloutSettings {
  type: string;
  partition: number;
  maxUnavailable: IntOrString;
  maxSurge: IntOrString;
}

/** The rolling-update settings, defaulted as the webhook does (partition 0, maxUnavailable 1, maxSurge 0). */
export function rolloutSettings(lws: LeaderWorkerSet): RolloutSettings {
  const strategy = lws.spec.rolloutStrategy;
  const config = strategy?.rollingUpdateConfiguration;
  return {
    type: strategy?.type ?? 'RollingUpdate',
    partition: config?.partition ?? 0,
    maxUnavailable: config?.maxUnavailable ?? 1,
    maxSurge: config?.maxSurge ?? 0,
  };
}

/** maxUnavailable as a count of groups: rounded down. */
export const scaledMaxUnavailable = (value: IntOrString, replicas: number): number =>
  scaledValue(value, replicas, false);

/** maxSurge as a count of groups: rounded up, and never more than the replicas themselves. */
export const scaledMaxSurge = (value: IntOrString, replicas: number): number =>
  Math.min(scaledValue(value, replicas, true), replicas);
