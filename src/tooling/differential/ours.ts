/**
 * @module testing/differential/ours
 * Our side of the differential tests: each case through the same steps the Go oracle takes, with our code —
 * `applyCrdDefaults` for the apiserver's schema defaults, the admission handlers of src/admission (which call
 * src/webhooks) for the responses, and `validateLeaderWorkerSet` for the field errors.
 */
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import {
  mutateLeaderWorkerSet,
  mutatePodRequest,
  validateLeaderWorkerSetRequest,
} from '../../lws/webhooks/handlers.ts';
import type { AdmissionDecision, AdmissionRequest } from '../../k8s/admission/review.ts';
import { applyCrdDefaults } from '../../lws/webhooks/crd-defaults.ts';
import { GoPanic } from '../../k8s/admission/errors.ts';
import { errorString } from '../../k8s/validation/field-errors.ts';
import type { JsonPatchOperation } from '../../k8s/admission/json-patch.ts';
import { validateLeaderWorkerSet } from '../../lws/webhooks/lws-validation.ts';
import type { DisaggregatedSet } from '../../disaggregatedset/api/types.ts';
import { applyDisaggregatedSetCrdDefaults } from '../../disaggregatedset/webhooks/crd-defaults.ts';
import { disaggregatedSetValidator } from '../../disaggregatedset/webhooks/handlers.ts';
import { UPSTREAM_V0_10_0, validateDisaggregatedSet } from '../../disaggregatedset/webhooks/validation.ts';
import type { FieldError } from '../../k8s/validation/field-errors.ts';
import type {
  Answer,
  CaseResult,
  DifferentialCase,
  DsCase,
  FieldErrorRecord,
  Json,
  JsonObject,
  LwsCase,
} from './types.ts';

/** JSON round trip: what the wire would carry (undefined members dropped). */
const wire = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;

function request(operation: 'CREATE' | 'UPDATE', object: Json, oldObject?: Json, namespace?: string): AdmissionRequest {
  const r: AdmissionRequest = {
    uid: 'differential',
    kind: { group: '', version: 'v1', kind: '' },
    resource: { group: '', version: 'v1', resource: '' },
    operation,
    object,
  };
  if (oldObject !== undefined) r.oldObject = oldObject;
  if (namespace) r.namespace = namespace;
  return r;
}

function unescapeToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** RFC 6902 add/replace/remove, enough for the patches our handlers produce. */
export function applyJsonPatch(document: Json, patch: readonly JsonPatchOperation[]): Json {
  let doc = structuredClone(document);
  for (const op of patch) {
    if (op.path === '') {
      if (op.op === 'remove') throw new Error('cannot remove the whole document');
      doc = structuredClone(op.value as Json);
      continue;
    }
    const tokens = op.path.slice(1).split('/').map(unescapeToken);
    const last = tokens.pop()!;
    let parent: Json = doc;
    for (const t of tokens) {
      const next: Json | undefined = Array.isArray(parent) ? parent[Number(t)] : (parent as JsonObject)?.[t];
      if (next === undefined || next === null || typeof next !== 'object') throw new Error(`no parent for ${op.path}`);
      parent = next;
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op.op === 'add') parent.splice(index, 0, structuredClone(op.value as Json));
      else if (op.op === 'replace') parent[index] = structuredClone(op.value as Json);
      else parent.splice(index, 1);
    } else {
      const target = parent as JsonObject;
      if (op.op === 'remove' || op.op === 'replace') {
        if (!(last in target)) throw new Error(`${op.op} of missing ${op.path}`);
      }
      if (op.op === 'remove') delete target[last];
      else target[last] = structuredClone(op.value as Json);
    }
  }
  return doc;
}

function answerOf(decision: AdmissionDecision, object: Json): Answer {
  if (!decision.allowed) {
    const a: Answer = { allowed: false };
    const { code, reason, message } = decision.status;
    if (code !== undefined) a.code = code;
    if (reason) a.reason = reason;
    if (message) a.message = message;
    if (decision.warnings?.length) a.warnings = decision.warnings;
    return a;
  }
  const patch = (decision.patch ?? []) as JsonPatchOperation[];
  const a: Answer = { allowed: true };
  if (decision.warnings?.length) a.warnings = decision.warnings;
  a.object = applyJsonPatch(object, patch);
  return a;
}

const crd = (object: Json): Json => wire(applyCrdDefaults(structuredClone(object) as unknown as LeaderWorkerSet));

/**
 * The custom-resource strategy of a resource with a status subresource, before validating admission: a create
 * drops status, an update keeps the stored one.
 */
function keepStatus(object: Json, old: Json | undefined): Json {
  const { status: _dropped, ...rest } = object as JsonObject;
  const previous = (old as JsonObject | undefined)?.status;
  return previous === undefined ? rest : { ...rest, status: previous };
}

/**
 * The stored form of an object created from `old`, with the status `old` carries (as if the controller had
 * written it through the status subresource since).
 */
function stored(old: Json): Json {
  const raw = crd(old);
  const a = answerOf(mutateLeaderWorkerSet(request('CREATE', raw)) as AdmissionDecision, raw);
  return a.allowed ? keepStatus(crd(a.object!), raw) : raw;
}

/** ErrorList.ToAggregate keeps the first error of each message. */
function records(list: readonly FieldError[]): FieldErrorRecord[] {
  const seen = new Set<string>();
  const errors: FieldErrorRecord[] = [];
  for (const e of list) {
    const text = errorString(e);
    if (seen.has(text)) continue;
    seen.add(text);
    errors.push({ type: e.type, field: e.field, badValue: wire(e.badValue ?? null), detail: e.detail });
  }
  return errors;
}

function fieldErrors(object: Json, old: Json | undefined): { errors?: FieldErrorRecord[]; panic?: string } {
  try {
    const list = validateLeaderWorkerSet(object as unknown as LeaderWorkerSet, old as unknown as LeaderWorkerSet);
    // ErrorList.ToAggregate keeps the first error of each message.
    const seen = new Set<string>();
    const errors: FieldErrorRecord[] = [];
    for (const e of list) {
      const text = errorString(e);
      if (seen.has(text)) continue;
      seen.add(text);
      errors.push({ type: e.type, field: e.field, badValue: wire(e.badValue ?? null), detail: e.detail });
    }
    return errors.length > 0 ? { errors } : {};
  } catch (e) {
    if (e instanceof GoPanic) return { panic: e.message };
    throw e;
  }
}

function runLws(c: LwsCase): CaseResult {
  const r: CaseResult = { id: c.id };
  const raw = crd(c.object);
  r.crd = raw;
  let old: Json | undefined;
  if (c.operation === 'UPDATE') r.old = old = stored(c.old!);
  let validated = raw;
  if (c.mutate !== false) {
    const a = answerOf(mutateLeaderWorkerSet(request(c.operation, raw, old)) as AdmissionDecision, raw);
    r.mutate = a;
    if (!a.allowed) return r;
    validated = keepStatus(crd(a.object!), old);
  }
  const decision = validateLeaderWorkerSetRequest(request(c.operation, validated, old)) as AdmissionDecision;
  r.validate = { ...answerOf(decision, validated), object: validated, ...fieldErrors(validated, old) };
  return r;
}

const dsCrd = (object: Json): Json =>
  wire(applyDisaggregatedSetCrdDefaults(structuredClone(object) as unknown as DisaggregatedSet));
/** Upstream v0.10.0's rules: our own additions (validation.ts, OUR_RULES) only ever refuse more. */
const validateDsV0100 = disaggregatedSetValidator(UPSTREAM_V0_10_0);

function runDs(c: DsCase): CaseResult {
  const r: CaseResult = { id: c.id };
  const raw = dsCrd(c.object);
  r.crd = raw;
  let old: Json | undefined;
  if (c.operation === 'UPDATE') r.old = old = dsCrd(c.old!);
  const validated = keepStatus(raw, old);
  const decision = validateDsV0100(request(c.operation, validated, old)) as AdmissionDecision;
  const { errors } = validateDisaggregatedSet(
    validated as unknown as DisaggregatedSet,
    old as unknown as DisaggregatedSet,
    UPSTREAM_V0_10_0,
  );
  const list = records(errors);
  r.validate = { ...answerOf(decision, validated), object: validated, ...(list.length > 0 ? { errors: list } : {}) };
  return r;
}

/** Whether our served rules (OUR_RULES) refuse a case upstream v0.10.0 accepts: a documented difference. */
export function refusedOnlyByOurRules(c: DsCase): string | undefined {
  const raw = dsCrd(c.object);
  const old = c.operation === 'UPDATE' ? dsCrd(c.old!) : undefined;
  const ds = keepStatus(raw, old) as unknown as DisaggregatedSet;
  if (validateDisaggregatedSet(ds, undefined, UPSTREAM_V0_10_0).errors.length > 0) return undefined;
  const ours = validateDisaggregatedSet(ds);
  return ours.errors.length > 0 ? ours.errors.map(errorString).join('; ') : undefined;
}

export function runOurs(c: DifferentialCase): CaseResult {
  if (c.kind === 'lws') return runLws(c);
  if (c.kind === 'ds') return runDs(c);
  const namespace = (c.object.metadata as JsonObject | undefined)?.namespace;
  const decision = mutatePodRequest(request('CREATE', c.object, undefined, namespace as string)) as AdmissionDecision;
  return { id: c.id, mutate: answerOf(decision, c.object) };
}
