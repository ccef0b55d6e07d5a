/**
 * @module testing/differential/types
 * The case and result shapes shared by the generators, our side of the comparison and the Go oracle
 * (hack/differential), one JSON object per line each way.
 */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

interface CaseBase {
  /** `lws-<n>`, `pod-<n>` or `ds-<n>`: with the seed, all it takes to generate the case again. */
  id: string;
  /** What the case was built to exercise, e.g. `rule:replicas-too-large`; reports group by it. */
  category: string;
}

export interface LwsCase extends CaseBase {
  kind: 'lws';
  operation: 'CREATE' | 'UPDATE';
  /** false: the validating webhook gets the CRD-defaulted object directly (no mutating webhook before it). */
  mutate?: false;
  /** The object as a user sends it; the apiserver's CRD defaults are applied by each side. */
  object: JsonObject;
  /** UPDATE: the previous object as a user wrote it; each side stores it (CRD defaults, then defaulting). */
  old?: JsonObject;
}

export interface PodCase extends CaseBase {
  kind: 'pod';
  /** The pod as the apiserver sends it to the webhook (its own serialisation, namespace set). */
  object: JsonObject;
}

/** A DisaggregatedSet request for the validating webhook (there is no mutating one). */
export interface DsCase extends CaseBase {
  kind: 'ds';
  operation: 'CREATE' | 'UPDATE';
  /** The object as a user sends it; the apiserver's CRD defaults are applied by each side. */
  object: JsonObject;
  /** UPDATE: the stored previous object, before CRD defaults (each side applies them). */
  old?: JsonObject;
}

export type DifferentialCase = LwsCase | PodCase | DsCase;

/** One webhook's AdmissionResponse, reduced to what the apiserver acts on. */
export interface Answer {
  allowed: boolean;
  /** Status of a refusal (an allowed response has code 200 and no message). */
  code?: number;
  reason?: string;
  message?: string;
  /** The response's warnings (the DisaggregatedSet webhook's External-role warning). */
  warnings?: string[];
  /** Mutating webhooks, allowed: the request object with the response's JSON Patch applied. */
  object?: Json;
}

export interface FieldErrorRecord {
  type: string;
  field: string;
  badValue: Json;
  detail: string;
}

export interface Validation extends Answer {
  /** What the validating webhook was given. */
  object: Json;
  /** The field errors behind a refusal, deduplicated by message as `ErrorList.ToAggregate` does. */
  errors?: FieldErrorRecord[];
  /** The Go runtime panic a direct call of the validator ends in. */
  panic?: string;
}

export interface CaseResult {
  id: string;
  /** LWS: the request object after the apiserver's schema pruning and defaults. */
  crd?: Json;
  /** LWS UPDATE: the stored previous object. */
  old?: Json;
  mutate?: Answer;
  validate?: Validation;
  /** Oracle only: a pod input that is not the apiserver's own serialisation (a generator bug). */
  nonCanonical?: string;
  /** Oracle only: the case could not be run. */
  error?: string;
}
