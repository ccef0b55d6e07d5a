/**
 * @module core/status-writes
 * Whether the LeaderWorkerSet cache already shows our last status write. Status writes carry the cached
 * resourceVersion; a reconcile that runs between our write and the watch event that brings it into the cache
 * (a StatefulSet changed meanwhile) would write again on the old version and get a 409 — in the 2,000-pod
 * bench a third of all status writes did (docs/benchmarks.md). The cache only moves forward, so while it still
 * holds the version our write was based on, it has not seen the write; once it holds any other version it has
 * seen ours or something newer. No resourceVersion is ever compared for order (they are opaque).
 */

/** What one successful write of ours left behind, until the cache shows it (also used for applies, core/applied.ts). */
export interface OwnWrite {
  uid?: string;
  /** The cached resourceVersion the write was based on ('' when the cache had no object). */
  basedOn: string;
  /** When the write returned (ms), to stop waiting for an event that a relist may have folded away. */
  at: number;
}

/** How long to wait for the watch to bring our write before acting on the cache anyway. */
export const OWN_WRITE_PATIENCE_MS = 5000;

/** The record to keep after a write; undefined when the write did not change the object (no event will come). */
export function ownWriteRecord(
  before: { resourceVersion?: string } | undefined,
  answer: { uid?: string; resourceVersion?: string } | undefined,
  now: number,
): OwnWrite | undefined {
  const basedOn = before?.resourceVersion ?? '';
  if (!answer?.resourceVersion || answer.resourceVersion === basedOn) return undefined;
  return { ...(answer.uid ? { uid: answer.uid } : {}), basedOn, at: now };
}

/** True while the cache still holds the object our last write replaced (or still lacks the one it created). */
export function cacheBehindOwnWrite(
  cached: { uid?: string; resourceVersion?: string } | undefined,
  last: OwnWrite | undefined,
  now: number,
): boolean {
  if (!last || now - last.at > OWN_WRITE_PATIENCE_MS) return false;
  if (cached?.uid && last.uid && cached.uid !== last.uid) return false;
  return (cached?.resourceVersion ?? '') === last.basedOn;
}

/** What one successful status write left behind. */
export interface StatusWrite extends OwnWrite {
  uid: string;
}

/** How long to wait for the watch to bring our write before writing anyway (and maybe taking a 409). */
export const STATUS_WRITE_PATIENCE_MS = OWN_WRITE_PATIENCE_MS;

/** The record to keep after a status write; undefined when the write did not change the object. */
export function statusWriteRecord(
  before: { uid?: string; resourceVersion?: string },
  answer: { uid?: string; resourceVersion?: string } | undefined,
  now: number,
): StatusWrite | undefined {
  if (!before.uid || !before.resourceVersion) return undefined;
  const write = ownWriteRecord(before, answer, now);
  return write && { uid: before.uid, basedOn: write.basedOn, at: write.at };
}

/**
 * True when the cached object is still the one our last status write replaced: writing now would conflict.
 * The watch event of that write wakes the reconciler again, so the caller just stops.
 */
export const cacheBehindStatusWrite = (
  cached: { uid?: string; resourceVersion?: string },
  last: StatusWrite | undefined,
  now: number,
): boolean => cacheBehindOwnWrite(cached, last, now);
