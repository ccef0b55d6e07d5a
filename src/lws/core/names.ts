/**
 * @module core/names
 * Object names and identity hashes of a LeaderWorkerSet's groups (exactly as upstream derives them).
 */
import { createHash } from 'node:crypto';

/** Lowercase hex SHA-1 of a UTF-8 string (upstream `Sha1Hash`). */
export function sha1Hex(input: string): string {
  return createHash('sha1').update(input, 'utf8').digest('hex');
}

/** Group key of the group led by `leaderPodName`: sha1hex("<namespace>/<leaderPodName>"). */
export function groupKey(namespace: string, leaderPodName: string): string {
  return sha1Hex(`${namespace}/${leaderPodName}`);
}

/** Subgroup key: sha1hex("<leaderPodName>/<subgroupIndex>"). */
export function subGroupKey(leaderPodName: string, subGroupIndex: number | string): string {
  return sha1Hex(`${leaderPodName}/${subGroupIndex}`);
}

const ORDINAL = /^(.*)-([0-9]+)$/;

/** Splits "<parent>-<ordinal>" (a StatefulSet pod name); undefined when the name has no ordinal. */
export function parseOrdinal(podName: string): { parent: string; ordinal: number } | undefined {
  const m = ORDINAL.exec(podName);
  if (!m) return undefined;
  const ordinal = Number(m[2]);
  if (!Number.isSafeInteger(ordinal)) return undefined;
  return { parent: m[1]!, ordinal };
}

/** Leader pod (and worker StatefulSet, and UniquePerReplica Service) name of group `index`. */
export function leaderPodName(lwsName: string, groupIndex: number): string {
  return `${lwsName}-${groupIndex}`;
}

/** Worker pod name: `<lws>-<group>-<worker>` with worker ≥ 1. */
export function workerPodName(lwsName: string, groupIndex: number, workerIndex: number): string {
  return `${lwsName}-${groupIndex}-${workerIndex}`;
}
