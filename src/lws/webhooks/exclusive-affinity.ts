/**
 * @module webhooks/exclusive-affinity
 * Exclusive placement (§4.8): a required pod affinity to pods sharing this unique key, and a required
 * anti-affinity against pods with any other key, both on `topologyKey`. Existing terms are kept, and nothing
 * is added when both kinds of term already use `topologyKey` (idempotence on re-admission).
 */
import type { V1PodAffinityTerm } from '@kubernetes/client-node';
import type { Pod } from '../../k8s/client/objects.ts';

export function exclusiveAffinityApplied(pod: Pod, topologyKey: string): boolean {
  const affinity = pod.spec?.affinity;
  if (!affinity?.podAffinity || !affinity.podAntiAffinity) return false;
  const uses = (terms: V1PodAffinityTerm[] | undefined) => (terms ?? []).some((t) => t.topologyKey === topologyKey);
  return (
    uses(affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution) &&
    uses(affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution)
  );
}

/** Mutates `pod` in place (pass a copy). `labelKey` is the group-key or subgroup-key label. */
export function setExclusiveAffinities(pod: Pod, uniqueKey: string, topologyKey: string, labelKey: string): void {
  if (exclusiveAffinityApplied(pod, topologyKey)) return;
  const spec = (pod.spec ??= { containers: [] });
  const affinity = (spec.affinity ??= {});
  const podAffinity = (affinity.podAffinity ??= {});
  const antiAffinity = (affinity.podAntiAffinity ??= {});
  podAffinity.requiredDuringSchedulingIgnoredDuringExecution = [
    ...(podAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    { labelSelector: { matchExpressions: [{ key: labelKey, operator: 'In', values: [uniqueKey] }] }, topologyKey },
  ];
  antiAffinity.requiredDuringSchedulingIgnoredDuringExecution = [
    ...(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    {
      labelSelector: {
        matchExpressions: [
          { key: labelKey, operator: 'Exists' },
          { key: labelKey, operator: 'NotIn', values: [uniqueKey] },
        ],
      },
      topologyKey,
    },
  ];
}
