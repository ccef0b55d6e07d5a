/**
 * @module webhooks/lws-defaulting-patch
 * The patch of the LeaderWorkerSet mutating webhook, as upstream's controller-runtime handler builds it
 * (defaulter-patch.ts): the defaults, plus — whenever a default was applied — the object rewritten in the
 * encoding of upstream's Go types (from the field table in src/lws/api/go-types.json).
 */
import type { LeaderWorkerSet } from '../api/types.ts';
import { GoDecodeError, toGoJSON, type GoJSON } from '../../k8s/go/gojson.ts';
import { LEADER_WORKER_SET } from '../api/go-types.ts';
import { defaulterPatch } from '../../k8s/admission/defaulter-patch.ts';
import { jsonPatch, type JsonPatchOperation } from '../../k8s/admission/json-patch.ts';
import { defaultLeaderWorkerSet } from './lws-defaults.ts';

/** Generic Go JSON back to plain JSON (`Object.fromEntries` keeps a `__proto__` key an ordinary member). */
function plain(v: GoJSON): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** `lws` decoded into upstream's Go type and encoded again. Throws GoDecodeError. */
export function lwsAsGo(lws: unknown): unknown {
  return plain(toGoJSON(lws, LEADER_WORKER_SET));
}

export function lwsDefaultingPatch(lws: LeaderWorkerSet): JsonPatchOperation[] {
  const defaulted = defaultLeaderWorkerSet(lws);
  let before: unknown;
  let after: unknown;
  try {
    before = lwsAsGo(lws);
    after = lwsAsGo(defaulted);
  } catch (e) {
    // Upstream answers 400 with Go's decode error here; the apiserver's schema validation rejects such an
    // object right after admission anyway, so only the defaults are patched.
    if (e instanceof GoDecodeError) return jsonPatch(lws, defaulted);
    throw e;
  }
  return defaulterPatch(lws, before, after);
}
