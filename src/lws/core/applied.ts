/**
 * @module core/applied
 * Whether the leader StatefulSet already holds what the last server-side apply sent, so the reconciler can
 * skip an apply that would change nothing. Upstream applies on every pass; with one LeaderWorkerSet of
 * 500 groups that is one full StatefulSet apply per worker-StatefulSet status change — the largest share
 * of the apiserver's work during a scale-up (docs/benchmarks.md). Skipping is safe because anything that
 * could make the apply meaningful is visible in the cache: a spec edit bumps `metadata.generation`, a
 * recreated object has a new UID, and labels, annotations and the owner reference are compared directly.
 */
import type { KubeObject } from '../../k8s/client/objects.ts';
import { OWN_WRITE_PATIENCE_MS, cacheBehindOwnWrite, ownWriteRecord, type OwnWrite } from './status-writes.ts';

/** What one successful apply left behind. */
export interface AppliedRecord {
  /** The desired object as sent (canonical JSON of what we built). */
  fingerprint: string;
  uid: string;
  generation: number;
  /** Set when the apply changed the object: its watch event is still to come until the cache shows it. */
  write?: OwnWrite;
  /** The rolling-update partition the apply set. */
  partition?: number;
}

/** How long to wait for the watch to bring our apply before acting on the cache anyway. */
export const APPLY_PATIENCE_MS = OWN_WRITE_PATIENCE_MS;

/** The fingerprint of a desired object (our builders emit keys in a fixed order). */
export const fingerprintOf = (desired: KubeObject): string => JSON.stringify(desired);

/** Built from the apply's answer; undefined when the answer lacks a UID or generation (then never skip). */
export function appliedRecord(
  desired: KubeObject,
  answer: KubeObject | undefined,
  cachedBefore?: KubeObject,
  now = Date.now(),
): AppliedRecord | undefined {
  const uid = answer?.metadata.uid;
  const generation = answer?.metadata.generation;
  if (!uid || generation === undefined) return undefined;
  const record: AppliedRecord = { fingerprint: fingerprintOf(desired), uid, generation };
  const partition = (desired as { spec?: { updateStrategy?: { rollingUpdate?: { partition?: number } } } }).spec
    ?.updateStrategy?.rollingUpdate?.partition;
  if (partition !== undefined) record.partition = partition;
  const write = ownWriteRecord(cachedBefore?.metadata, answer.metadata, now);
  if (write) record.write = write;
  return record;
}

/**
 * True when the cache has not yet shown our last apply and that apply sent exactly `desired`: acting on the
 * cached object now would repeat the apply and, worse, the events that compare the cached partition with the new
 * one ("Updating replica 3" twice). The apply's watch event wakes the reconciler again.
 */
export function cacheBehindApply(
  cached: KubeObject | undefined,
  desired: KubeObject,
  last: AppliedRecord | undefined,
  now = Date.now(),
): boolean {
  if (!last || !cacheBehindOwnWrite(cached?.metadata, last.write, now)) return false;
  return fingerprintOf(desired) === last.fingerprint;
}

const contains = (have: Record<string, string> | undefined, want: Record<string, string> | undefined) =>
  Object.entries(want ?? {}).every(([k, v]) => have?.[k] === v);

/**
 * True when applying `desired` again would change nothing: the cached object is the one the last apply
 * answered with (same UID and generation), the desired object is byte-for-byte the one applied then, and
 * the labels, annotations and controller reference we set are still there.
 */
export function applyIsNoOp(
  cached: KubeObject | undefined,
  desired: KubeObject,
  last: AppliedRecord | undefined,
): boolean {
  if (!cached || !last) return false;
  if (cached.metadata.uid !== last.uid || cached.metadata.generation !== last.generation) return false;
  if (fingerprintOf(desired) !== last.fingerprint) return false;
  if (!contains(cached.metadata.labels, desired.metadata.labels)) return false;
  if (!contains(cached.metadata.annotations, desired.metadata.annotations)) return false;
  const want = desired.metadata.ownerReferences?.find((o) => o.controller);
  if (want && !cached.metadata.ownerReferences?.some((o) => o.controller && o.uid === want.uid)) return false;
  return true;
}

/**
 * The leader StatefulSet as the partition events should compare against: the cached one, or — while the cache has
 * not caught up with our last apply (its generation is still lower; generations are counters) — the cached one
 * with the partition that apply set, so a partition move is announced once, not again from a stale cache.
 */
export function previousForEvents<T extends KubeObject>(
  cached: T | undefined,
  last: AppliedRecord | undefined,
): T | undefined {
  if (!cached || !last || last.partition === undefined) return cached;
  if (cached.metadata.uid !== last.uid || (cached.metadata.generation ?? 0) >= last.generation) return cached;
  const spec = (cached as { spec?: Record<string, unknown> }).spec ?? {};
  const strategy = (spec.updateStrategy as Record<string, unknown> | undefined) ?? {};
  const rolling = (strategy.rollingUpdate as Record<string, unknown> | undefined) ?? {};
  return {
    ...cached,
    spec: { ...spec, updateStrategy: { ...strategy, rollingUpdate: { ...rolling, partition: last.partition } } },
  };
}
