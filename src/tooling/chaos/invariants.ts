/**
 * @module chaos/invariants
 * What must hold in a namespace once the controller has converged, whatever faults came before: every
 * LeaderWorkerSet Available with exactly its groups; exactly the StatefulSets, pods and Service its spec implies;
 * no two ControllerRevisions of one revision key; no object whose owner is gone (orphans). Plus the rollout
 * budget of one sample. Pure: the caller lists the objects.
 */
import { GROUP_INDEX_LABEL, REVISION_KEY_LABEL, SET_NAME_LABEL } from '../../lws/api/keys.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { revisionKey } from '../../lws/core/revision.ts';
import { scaledValue } from '../../k8s/go/intstr.ts';
import type { Sample } from '../testing/group-sampler.ts';

export interface Owned {
  metadata: {
    name: string;
    uid?: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
    ownerReferences?: Array<{ uid: string; kind: string; name: string; controller?: boolean }>;
  };
}

export interface NamespaceState {
  sets: LeaderWorkerSet[];
  statefulSets: Owned[];
  pods: Owned[];
  services: Owned[];
  revisions: Owned[];
}

const live = <T extends Owned>(items: T[]) => items.filter((o) => !o.metadata.deletionTimestamp);
const names = (items: Owned[]) => items.map((o) => o.metadata.name).sort();
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Every broken invariant, as a sentence naming the object; empty when the namespace is as it must be. */
export function brokenInvariants(state: NamespaceState): string[] {
  const broken: string[] = [];
  const sets = live(state.sets as unknown as Owned[]) as unknown as LeaderWorkerSet[];
  for (const lws of sets) {
    const name = lws.metadata.name!;
    const replicas = lws.spec.replicas ?? 1;
    const size = lws.spec.leaderWorkerTemplate.size ?? 1;
    const partition = Number(lws.spec.rolloutStrategy?.rollingUpdateConfiguration?.partition ?? 0);
    const available = lws.status?.conditions?.find((c) => c.type === 'Available')?.status;
    if (available !== 'True') broken.push(`${name}: Available is ${available ?? 'missing'}`);
    // With a partition holding groups back, upstream keeps surge groups (its calculateRollingUpdateReplicas counts
    // the held-back groups as not updated), so a converged set may run more groups than spec.replicas.
    const groupCount = partition === 0 ? replicas : groupsUnderPartition(lws, replicas, partition);
    if (lws.status?.replicas !== groupCount) {
      broken.push(`${name}: status.replicas ${lws.status?.replicas} ≠ ${groupCount}`);
    }
    if (lws.status?.readyReplicas !== groupCount) {
      broken.push(`${name}: status.readyReplicas ${lws.status?.readyReplicas} ≠ ${groupCount}`);
    }
    if (partition === 0 && lws.status?.updatedReplicas !== replicas) {
      broken.push(`${name}: status.updatedReplicas ${lws.status?.updatedReplicas} ≠ ${replicas}`);
    }
    const groups = Array.from({ length: groupCount }, (_, i) => i);
    const mine = (o: Owned) => o.metadata.labels?.[SET_NAME_LABEL] === name;

    const wantSts = [name, ...(size > 1 ? groups.map((g) => `${name}-${g}`) : [])].sort();
    const sts = names(live(state.statefulSets).filter(mine));
    if (!same(sts, wantSts)) broken.push(`${name}: StatefulSets ${sts.join(',')} ≠ ${wantSts.join(',')}`);

    const wantPods = groups.flatMap((g) => [
      `${name}-${g}`,
      ...Array.from({ length: size - 1 }, (_, w) => `${name}-${g}-${w + 1}`),
    ]);
    const pods = names(live(state.pods).filter(mine));
    if (!same(pods, wantPods.sort())) broken.push(`${name}: pods ${pods.join(',')} ≠ ${wantPods.join(',')}`);

    const services = names(
      live(state.services).filter((s) => s.metadata.ownerReferences?.some((r) => r.uid === lws.metadata.uid)),
    );
    if (!same(services, [name])) broken.push(`${name}: Services ${services.join(',') || 'none'} ≠ ${name}`);

    const revisions = live(state.revisions).filter((r) =>
      r.metadata.ownerReferences?.some((o) => o.uid === lws.metadata.uid),
    );
    const keys = revisions.map((r) => r.metadata.labels?.[REVISION_KEY_LABEL] ?? '');
    const duplicated = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (duplicated.length > 0)
      broken.push(`${name}: duplicate ControllerRevisions for key(s) ${[...new Set(duplicated)].join(',')}`);
    if (revisions.length === 0) broken.push(`${name}: no ControllerRevision`);
    if (partition === 0 && revisions.length !== 1) {
      broken.push(`${name}: ${revisions.length} ControllerRevisions after a finished rollout (want 1)`);
    }
    const current = revisionKey(lws);
    for (const p of live(state.pods).filter(mine)) {
      const g = Number(p.metadata.labels?.[GROUP_INDEX_LABEL]);
      if (!(g >= 0 && g < groupCount)) broken.push(`${name}: pod ${p.metadata.name} has group index ${g}`);
      // Groups at or above the partition run the current template.
      const key = p.metadata.labels?.[REVISION_KEY_LABEL];
      if (g >= partition && key !== current)
        broken.push(`${name}: pod ${p.metadata.name} runs revision ${key}, not ${current}`);
    }
  }

  // Orphans: an object owned by something that no longer exists (or labelled for a set that is gone).
  const owners = new Set<string>([...sets.map((l) => l.metadata.uid!), ...state.pods.map((p) => p.metadata.uid!)]);
  const setNames = new Set(sets.map((l) => l.metadata.name!));
  for (const [kind, items] of [
    ['StatefulSet', state.statefulSets],
    ['Pod', state.pods],
    ['Service', state.services],
    ['ControllerRevision', state.revisions],
  ] as const) {
    for (const o of live(items as Owned[])) {
      const set = o.metadata.labels?.[SET_NAME_LABEL];
      const owner = o.metadata.ownerReferences?.find((r) => r.controller) ?? o.metadata.ownerReferences?.[0];
      if (set !== undefined && !setNames.has(set))
        broken.push(`orphaned ${kind} ${o.metadata.name} (LeaderWorkerSet ${set} is gone)`);
      else if (owner && (owner.kind === 'LeaderWorkerSet' || owner.kind === 'Pod') && !owners.has(owner.uid)) {
        broken.push(`orphaned ${kind} ${o.metadata.name} (owner ${owner.kind} ${owner.name} is gone)`);
      }
    }
  }
  return broken;
}

/** Groups a converged set runs while `partition` > 0 holds groups back (upstream's surge arithmetic). */
export function groupsUnderPartition(lws: LeaderWorkerSet, replicas: number, partition: number): number {
  const config = lws.spec.rolloutStrategy?.rollingUpdateConfiguration;
  const maxSurge = Math.min(scaledValue(config?.maxSurge ?? 0, replicas, true), replicas);
  const maxUnavailable = scaledValue(config?.maxUnavailable ?? 1, replicas, false);
  const unready = Math.min(partition, replicas); // groups below the partition never get the new revision
  return unready > maxSurge ? replicas + maxSurge : replicas + Math.max(0, unready - maxUnavailable);
}

/** The rollout budget at one sampled moment: unavailable groups among the first `replicas`, less available surge groups. */
export function budgetExceeded(sample: Sample, replicas: number, maxUnavailable: number): string | undefined {
  const byIndex = new Map(sample.groups.map((g) => [g.index, g]));
  let unavailable = 0;
  for (let i = 0; i < replicas; i++) if (!byIndex.get(i)?.available) unavailable++;
  const surgeAvailable = sample.groups.filter((g) => g.index >= replicas && g.available).length;
  if (unavailable - surgeAvailable <= maxUnavailable) return undefined;
  return `${unavailable} of ${replicas} groups unavailable with ${surgeAvailable} surge group(s) available (maxUnavailable ${maxUnavailable})`;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same faults at the same points. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
