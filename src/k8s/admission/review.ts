/**
 * @module admission/review
 * The admission.k8s.io/v1 AdmissionReview wire types, and helpers to build responses.
 */

export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
  userInfo?: { username?: string; groups?: string[] };
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface ResponseStatus {
  code?: number;
  reason?: string;
  message?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: ResponseStatus;
  patchType?: 'JSONPatch';
  /** base64 of a JSON Patch document. */
  patch?: string;
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

/** What a handler decides; the server adds the uid. */
export type AdmissionDecision =
  | { allowed: true; patch?: unknown[]; warnings?: string[] }
  | { allowed: false; status: ResponseStatus; warnings?: string[] };

export type AdmissionHandler = (request: AdmissionRequest) => AdmissionDecision | Promise<AdmissionDecision>;

export function allow(patch?: unknown[]): AdmissionDecision {
  return patch && patch.length > 0 ? { allowed: true, patch } : { allowed: true };
}

export function deny(status: ResponseStatus): AdmissionDecision {
  return { allowed: false, status };
}

/** A handler failure that is not a policy decision (controller-runtime's `admission.Errored`). */
export function errored(code: number, message: string): AdmissionDecision {
  return { allowed: false, status: { code, message } };
}

export function toResponse(uid: string, decision: AdmissionDecision): AdmissionResponse {
  if (!decision.allowed) {
    const denied: AdmissionResponse = { uid, allowed: false, status: decision.status };
    // controller-runtime sends a validator's warnings with its refusal too.
    if (decision.warnings?.length) denied.warnings = decision.warnings;
    return denied;
  }
  const response: AdmissionResponse = { uid, allowed: true };
  if (decision.patch && decision.patch.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(JSON.stringify(decision.patch)).toString('base64');
  }
  if (decision.warnings?.length) response.warnings = decision.warnings;
  return response;
}
