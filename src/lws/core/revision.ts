/**
 * @module revision/revision
 * LeaderWorkerSet ControllerRevisions, byte-compatible with upstream pkg/utils/revision: the stored
 * patch, the revision key derived from it, the revision object, and how a stored revision is
 * compared with and applied to the live LeaderWorkerSet.
 */
import type { LeaderWorkerSet } from '../api/types.ts';
import { API_VERSION, KIND, REVISION_KEY_LABEL, SET_NAME_LABEL } from '../api/keys.ts';
import type { ControllerRevision, KubeObject } from '../../k8s/client/objects.ts';
import { marshalGo, marshalGoGeneric, toGoJSON, type GoJSON } from '../../k8s/go/gojson.ts';
import { LEADER_WORKER_TEMPLATE, NETWORK_CONFIG } from '../api/go-types.ts';

const PATCH_DIRECTIVE = '$patch';

/**
 * The strategic-merge patch upstream stores as the revision's `data`: the Go-serialised
 * leaderWorkerTemplate and networkConfig (a missing networkConfig counts as Shared, so webhook
 * defaulting does not roll the set), each replacing its field wholesale.
 */
export function revisionPatch(lws: LeaderWorkerSet): string {
  const spec = (lws.spec ?? {}) as unknown as Record<string, unknown>;
  const template = toGoJSON(spec.leaderWorkerTemplate, LEADER_WORKER_TEMPLATE, '.spec.leaderWorkerTemplate');
  const network = toGoJSON(spec.networkConfig ?? { subdomainPolicy: 'Shared' }, NETWORK_CONFIG, '.spec.networkConfig');
  (template as Map<string, GoJSON>).set(PATCH_DIRECTIVE, 'replace');
  (network as Map<string, GoJSON>).set(PATCH_DIRECTIVE, 'replace');
  const specCopy = new Map<string, GoJSON>([
    ['leaderWorkerTemplate', template],
    ['networkConfig', network],
  ]);
  return marshalGo(new Map([['spec', specCopy]]));
}

/** FNV-1 (not 1a), 32 bits, over the UTF-8 bytes of the patch. */
export function fnv1_32(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h;
}

/** apimachinery rand.SafeEncodeString: no vowels, so keys never spell words. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const safeEncode = (s: string): string => [...s].map((c) => ALPHANUMS[c.codePointAt(0)! % ALPHANUMS.length]).join('');

/** The revision key of a patch: FNV-1 32 as a decimal string, digits mapped by SafeEncodeString. */
export function hashPatch(patch: string): string {
  return safeEncode(String(fnv1_32(patch)));
}

/** The key upstream labels revisions, StatefulSets and pods with (`template-revision-hash`). */
export function revisionKey(lws: LeaderWorkerSet): string {
  return hashPatch(revisionPatch(lws));
}

/** `<lwsName truncated to 220>-<hash>-<revisionNumber>`: at most 253 characters. */
export function revisionName(lwsName: string, key: string, revisionNumber: number): string {
  return `${lwsName.slice(0, 220)}-${key}-${revisionNumber}`;
}

/** The template-revision-hash label of an object, or "" (GetRevisionKey). */
export function revisionKeyOf(obj: KubeObject | undefined): string {
  return obj?.metadata.labels?.[REVISION_KEY_LABEL] ?? '';
}

/** The revision with the highest number (the last such on ties), as getHighestRevision. */
export function highestRevision<T extends ControllerRevision>(revisions: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const r of revisions) if (best === undefined || best.revision <= r.revision) best = r;
  return best;
}

/** The number NewRevision gives the next revision: one above the highest, 1 for the first. */
export function nextRevisionNumber(revisions: readonly ControllerRevision[]): number {
  return (highestRevision(revisions)?.revision ?? 0) + 1;
}

/**
 * The ControllerRevision upstream's NewRevision builds. Its name always carries the hash of the
 * current patch; `key` overrides only the label (a set adopted from an older controller keeps the
 * key its StatefulSets already carry).
 */
export function buildControllerRevision(
  lws: LeaderWorkerSet,
  revisionNumber: number,
  key?: string,
): ControllerRevision & { data: Record<string, unknown> } {
  const patch = revisionPatch(lws);
  const hash = hashPatch(patch);
  const name = lws.metadata.name ?? '';
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(name, hash, revisionNumber),
      namespace: lws.metadata.namespace,
      labels: { [SET_NAME_LABEL]: name, [REVISION_KEY_LABEL]: key || hash },
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: KIND,
          name,
          uid: lws.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    data: JSON.parse(patch) as Record<string, unknown>,
    revision: revisionNumber,
  };
}

/**
 * A ControllerRevision as request JSON with `data` spelled exactly as upstream stores it
 * (JSON.stringify would reorder integer-like keys and skip Go's escaping).
 */
export function controllerRevisionJSON(cr: ControllerRevision): string {
  const { data, ...rest } = cr;
  const tail = JSON.stringify(rest).slice(1);
  return `{"data":${marshalGoGeneric(data ?? null)}${tail === '}' ? '' : ','}${tail}`;
}

/**
 * Upstream EqualRevision compares the raw `data` bytes. Parsed data is re-marshalled the Go way
 * first, so data that differs only in key order or escaping counts as equal here; upstream
 * reaches the same verdict one step later through SetMatchesRevision.
 */
export function revisionsEqual(
  a: ControllerRevision | undefined | null,
  b: ControllerRevision | undefined | null,
): boolean {
  if (a == null || b == null) return a == b;
  return marshalGoGeneric(a.data ?? null) === marshalGoGeneric(b.data ?? null);
}

/**
 * SetMatchesRevision without the cache: does `existing`, applied to the set and re-serialised
 * with today's rules, give the proposed patch? Absorbs serialisation drift such as an old
 * `"creationTimestamp":null`.
 */
export function setMatchesRevision(
  lws: LeaderWorkerSet,
  proposed: ControllerRevision,
  existing: ControllerRevision,
): boolean {
  let restored: LeaderWorkerSet;
  try {
    restored = applyRevision(lws, existing);
  } catch {
    return false;
  }
  return revisionPatch(restored) === marshalGoGeneric(proposed.data ?? null);
}

/**
 * Whether the set's current spec is what `revision` recorded, i.e. upstream getUpdatedRevision
 * finds no update: equal data, or equal once the revision is re-serialised.
 */
export function matchesRevision(lws: LeaderWorkerSet, revision: ControllerRevision): boolean {
  const proposed = { metadata: {}, revision: 0, data: JSON.parse(revisionPatch(lws)) as unknown };
  return revisionsEqual(proposed, revision) || setMatchesRevision(lws, proposed, revision);
}

/**
 * The set as the revision recorded it (ApplyRevision). The stored patch replaces
 * leaderWorkerTemplate and networkConfig wholesale; nulls inside them are dropped, as Go decodes
 * them to the zero value an absent field has too.
 */
export function applyRevision(lws: LeaderWorkerSet, revision: ControllerRevision): LeaderWorkerSet {
  const patch = revision.data;
  if (!isObject(patch)) throw new Error(`ControllerRevision ${revision.metadata.name ?? ''} has no patch data`);
  return mergePatch(structuredClone(lws), patch) as LeaderWorkerSet;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The subset of strategic merge patch that LWS revisions use: maps merge key by key, `$patch:
 * replace` swaps a map for the patch's content, null deletes, anything else replaces.
 */
function mergePatch(original: unknown, patch: Record<string, unknown>): unknown {
  if (patch[PATCH_DIRECTIVE] === 'replace') {
    const { [PATCH_DIRECTIVE]: _, ...content } = patch;
    return withoutNulls(content);
  }
  if (patch[PATCH_DIRECTIVE] !== undefined)
    throw new Error(`unsupported ${PATCH_DIRECTIVE}: ${String(patch[PATCH_DIRECTIVE])}`);
  const out: Record<string, unknown> = isObject(original) ? original : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObject(v)) defineOwn(out, k, mergePatch(out[k], v));
    else defineOwn(out, k, structuredClone(v));
  }
  return out;
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) defineOwn(out, k, withoutNulls(x));
  return out;
}

/** Assignment that treats "__proto__" as an ordinary key. */
function defineOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}
