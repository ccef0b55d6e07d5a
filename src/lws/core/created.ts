/**
 * @module core/created
 * Create-only objects (worker StatefulSets) and the cache that has not shown our create yet. A leader pod changes
 * several times while it starts (scheduled, running, ready) and each change is a pass of the pod reconciler; a pass
 * that runs before the created StatefulSet's watch event arrives would POST it again and get AlreadyExists, a
 * request the apiserver pays for in full (117 of 517 worker StatefulSet creates at 1,200 pods, docs/benchmarks.md).
 */
import { OWN_WRITE_PATIENCE_MS, cacheBehindOwnWrite, type OwnWrite } from './status-writes.ts';

/** One successful create (an own write based on no object: `basedOn` ''), for the owner it was made for. */
export interface CreateRecord extends OwnWrite {
  ownerUid: string | undefined;
}

/** How long to trust our own create while the cache does not show the object (the own-write patience). */
export const CREATE_PATIENCE_MS = OWN_WRITE_PATIENCE_MS;

/**
 * Milliseconds to wait before creating again (the object's watch event normally ends the wait first), or 0 when a
 * create is due: no record, a record for another owner (a recreated leader pod has a new UID), or a record older
 * than the patience (the object was deleted before the cache ever showed it, so it must be created again).
 */
export function createPendingMs(record: CreateRecord | undefined, ownerUid: string | undefined, now: number): number {
  // The caller looks only when the cache lacks the object, so "behind" here is only the patience rule.
  if (!record || record.ownerUid !== ownerUid || !cacheBehindOwnWrite(undefined, record, now)) return 0;
  return Math.ceil(CREATE_PATIENCE_MS - (now - record.at));
}
