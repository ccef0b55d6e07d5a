/**
 * @module webhooks/crd-defaults
 * The structural-schema defaults of the LeaderWorkerSet CRD (its kubebuilder `default` markers), which the
 * apiserver applies to absent fields before any webhook sees the object. Objects that did not come through an
 * apiserver (tests, in-memory fixtures) need them to look like what the webhooks really receive.
 * Defaults inside embedded pod templates are not covered.
 */
import type { LeaderWorkerSet } from '../api/types.ts';

export function applyCrdDefaults(input: LeaderWorkerSet): LeaderWorkerSet {
  const lws = structuredClone(input);
  const spec = lws.spec;
  spec.replicas ??= 1;
  spec.startupPolicy ??= 'LeaderCreated';
  const template = spec.leaderWorkerTemplate;
  template.size ??= 1;
  template.restartPolicy ??= 'RecreateGroupOnPodRestart';
  if (template.subGroupPolicy) template.subGroupPolicy.subGroupPolicyType ??= 'LeaderWorker';
  // Schema defaults only fill fields of objects that are present.
  if (spec.rolloutStrategy) {
    spec.rolloutStrategy.type ??= 'RollingUpdate';
    const config = spec.rolloutStrategy.rollingUpdateConfiguration;
    if (config) {
      config.partition ??= 0;
      config.maxUnavailable ??= 1;
      config.maxSurge ??= 0;
    }
  }
  return lws;
}
