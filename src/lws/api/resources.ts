/**
 * @module lws/api/resources
 * The LeaderWorkerSet resource for the generic client.
 */
import { defineResource } from '../../k8s/client/resources.ts';
import { GROUP, KIND, PLURAL, VERSION } from './keys.ts';

export const LEADERWORKERSETS = defineResource(GROUP, VERSION, PLURAL, KIND, true);

// Gang scheduling (core/gang-scheduling.ts): the pod-group APIs of the two providers; served by Volcano's
// CRDs and by kube-apiserver with scheduling.k8s.io/v1alpha2 enabled.
export const VOLCANO_PODGROUPS = defineResource('scheduling.volcano.sh', 'v1beta1', 'podgroups', 'PodGroup', true);
export const NATIVE_WORKLOADS = defineResource('scheduling.k8s.io', 'v1alpha2', 'workloads', 'Workload', true);
export const NATIVE_PODGROUPS = defineResource('scheduling.k8s.io', 'v1alpha2', 'podgroups', 'PodGroup', true);
