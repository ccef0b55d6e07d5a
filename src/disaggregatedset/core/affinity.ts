/**
 * @module disaggregatedset/core/affinity
 * Placement-policy affinity injection (upstream utils.SetPlacementAffinities), as a pure function
 * returning a new pod spec; the input is never mutated.
 */
import { PlacementExclusiveTopology, PlacementNone, SetNameLabelKey, SliceLabelKey } from '../api/keys.ts';
import type {
  AffinityLike,
  LabelSelectorRequirement,
  PlacementPolicy,
  PodAffinityTerm,
  PodSpecLike,
} from '../api/types.ts';

/**
 * Returns `podSpec` with the placement terms appended to
 * `affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution` and
 * `affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution` (existing affinity kept,
 * missing podAffinity/podAntiAffinity created). Returns `podSpec` itself (unchanged) for no policy,
 * type None or "", or an empty topology.
 *
 *  - podAffinity: {name In [ds], slice In [slice]} — co-locate the slice's roles;
 *  - podAntiAffinity: {name In [ds], (slice Exists — only for slice 0), slice NotIn [slice]} — spread
 *    this set's slices (the Exists keeps unlabeled legacy slice-0 pods from repelling slice 0);
 *  - ExclusiveTopology adds podAntiAffinity {name Exists, name NotIn [ds], slice Exists} — no other
 *    DisaggregatedSet's slice in the same domain.
 * All terms use topologyKey = policy.topology.
 */
export function setPlacementAffinities(
  podSpec: PodSpecLike,
  dsName: string,
  slice: number,
  policy: PlacementPolicy | undefined,
): PodSpecLike {
  if (policy === undefined || policy.type === PlacementNone || !policy.type || !policy.topology) return podSpec;
  const sliceStr = String(slice);
  const topologyKey = policy.topology;

  const existing: AffinityLike = structuredClone(podSpec.affinity ?? {});
  const affinity: AffinityLike = {
    ...existing,
    podAffinity: existing.podAffinity ?? {},
    podAntiAffinity: existing.podAntiAffinity ?? {},
  };
  const podAffinity = affinity.podAffinity!;
  const podAntiAffinity = affinity.podAntiAffinity!;

  const colocate: PodAffinityTerm = {
    labelSelector: {
      matchExpressions: [
        { key: SetNameLabelKey, operator: 'In', values: [dsName] },
        { key: SliceLabelKey, operator: 'In', values: [sliceStr] },
      ],
    },
    topologyKey,
  };
  podAffinity.requiredDuringSchedulingIgnoredDuringExecution = [
    ...(podAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    colocate,
  ];

  const spread: LabelSelectorRequirement[] = [{ key: SetNameLabelKey, operator: 'In', values: [dsName] }];
  if (slice === 0) spread.push({ key: SliceLabelKey, operator: 'Exists' });
  spread.push({ key: SliceLabelKey, operator: 'NotIn', values: [sliceStr] });
  const anti: PodAffinityTerm[] = [
    ...(podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    { labelSelector: { matchExpressions: spread }, topologyKey },
  ];
  if (policy.type === PlacementExclusiveTopology) {
    anti.push({
      labelSelector: {
        matchExpressions: [
          { key: SetNameLabelKey, operator: 'Exists' },
          { key: SetNameLabelKey, operator: 'NotIn', values: [dsName] },
          { key: SliceLabelKey, operator: 'Exists' },
        ],
      },
      topologyKey,
    });
  }
  podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution = anti;

  return { ...podSpec, affinity };
}
