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

/** What one successful apply left behind. */
export interface AppliedRecord {
  /** The desired object as sent (canonical JSON of what we built). */
  fingerprint: string;
  uid: string;
  generation: number;
}

/** The fingerprint of a desired object (our builders emit keys in a fixed order). */
export const fingerprintOf = (desired: KubeObject): string => JSON.stringify(desired);

/** Built from the apply's answer; undefined when the answer lacks a UID or generation (then never skip). */
export function appliedRecord(desired: KubeObject, answer: KubeObject | undefined): AppliedRecord | undefined {
  const uid = answer?.metadata.uid;
  const generation = answer?.metadata.generation;
  if (!uid || generation === undefined) return undefined;
  return { fingerprint: fingerprintOf(desired), uid, generation };
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
