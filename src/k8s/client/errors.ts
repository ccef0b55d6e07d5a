/**
 * @module kube/errors
 * Typed errors for apiserver failures, built from `metav1.Status` bodies (HTTP responses and watch ERROR
 * events alike). Callers branch on the class or the `is*` helpers, never on message text.
 *
 * The mapping follows apimachinery's `errors.ReasonForError`: the Status `reason` decides the class; the
 * HTTP code is only a fallback for bodies that are not a Status (proxies, aggregated servers).
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** `metav1.Status` as sent on the wire. */
export interface Status {
  kind: 'Status';
  apiVersion?: string;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

export class ApiError extends Error {
  /** HTTP status code (from the Status body, else the response). */
  readonly code: number;
  /** `metav1.StatusReason`, e.g. "NotFound"; "Unknown" when the server sent none. */
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  /** Seconds the server asked us to wait (Retry-After header or details.retryAfterSeconds). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails, retryAfterSeconds?: number) {
    super(message || `${reason} (HTTP ${code})`);
    this.name = new.target.name;
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds ?? details?.retryAfterSeconds;
  }

  get causes(): StatusCause[] {
    return this.details?.causes ?? [];
  }
}

export class BadRequestError extends ApiError {}
export class UnauthorizedError extends ApiError {}
export class ForbiddenError extends ApiError {}
export class NotFoundError extends ApiError {}
export class MethodNotAllowedError extends ApiError {}
/** 409 with reason Conflict: optimistic-concurrency failure (stale resourceVersion, precondition). */
export class ConflictError extends ApiError {}
/** 409 with reason AlreadyExists. */
export class AlreadyExistsError extends ApiError {}
/** 410: a resourceVersion or continue token is too old ("Expired" or "Gone"); relist. */
export class GoneError extends ApiError {}
export class RequestEntityTooLargeError extends ApiError {}
export class UnsupportedMediaTypeError extends ApiError {}
/** 422: the object failed validation; `causes` names the fields. */
export class InvalidError extends ApiError {}
export class TooManyRequestsError extends ApiError {}
export class InternalError extends ApiError {}
export class ServiceUnavailableError extends ApiError {}
/** The server gave up: reasons Timeout (504) and ServerTimeout (500). */
export class TimeoutError extends ApiError {}

type ApiErrorClass = new (
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
  retryAfter?: number,
) => ApiError;

const byReason: Record<string, ApiErrorClass> = {
  BadRequest: BadRequestError,
  Unauthorized: UnauthorizedError,
  Forbidden: ForbiddenError,
  NotFound: NotFoundError,
  MethodNotAllowed: MethodNotAllowedError,
  Conflict: ConflictError,
  AlreadyExists: AlreadyExistsError,
  Gone: GoneError,
  Expired: GoneError,
  RequestEntityTooLarge: RequestEntityTooLargeError,
  UnsupportedMediaType: UnsupportedMediaTypeError,
  Invalid: InvalidError,
  TooManyRequests: TooManyRequestsError,
  InternalError: InternalError,
  ServiceUnavailable: ServiceUnavailableError,
  Timeout: TimeoutError,
  ServerTimeout: TimeoutError,
};

const reasonByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

/** The typed error for a Status object (e.g. the object of a watch ERROR event). */
export function errorFromStatus(status: Status, httpCode = 0, retryAfterSeconds?: number): ApiError {
  const code = status.code || httpCode;
  const reason = status.reason || reasonByCode[code] || 'Unknown';
  const Class = byReason[reason] ?? ApiError;
  return new Class(code, reason, status.message ?? '', status.details, retryAfterSeconds);
}

/** The typed error for a failed HTTP response; the body may or may not be a Status. */
export function errorFromResponse(httpCode: number, body: string, retryAfterHeader?: string): ApiError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) return errorFromStatus(parsed, httpCode, retryAfter);
  const reason = reasonByCode[httpCode] ?? 'Unknown';
  const Class = byReason[reason] ?? ApiError;
  const snippet = body.trim().slice(0, 200);
  const message = `the server responded with HTTP ${httpCode}${snippet ? `: ${snippet}` : ''}`;
  return new Class(httpCode, reason, message, undefined, retryAfter);
}

function parseRetryAfter(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
export const isNotFound = (e: unknown): e is NotFoundError => e instanceof NotFoundError;
export const isConflict = (e: unknown): e is ConflictError => e instanceof ConflictError;
export const isAlreadyExists = (e: unknown): e is AlreadyExistsError => e instanceof AlreadyExistsError;
export const isGone = (e: unknown): e is GoneError => e instanceof GoneError;
export const isInvalid = (e: unknown): e is InvalidError => e instanceof InvalidError;
export const isForbidden = (e: unknown): e is ForbiddenError => e instanceof ForbiddenError;
export const isUnauthorized = (e: unknown): e is UnauthorizedError => e instanceof UnauthorizedError;
export const isTimeout = (e: unknown): e is TimeoutError => e instanceof TimeoutError;
export const isTooManyRequests = (e: unknown): e is TooManyRequestsError => e instanceof TooManyRequestsError;

/** Rethrows anything but NotFound (for `.catch(ignoreNotFound)` on deletes and writes to objects that may be gone). */
export function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e)) throw e;
}

/** The answer, or undefined when the object (or its API) does not exist. */
export async function orUndefinedIfNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** The request did not finish within the client-side deadline (no answer from the server). */
export class RequestTimeoutError extends Error {
  constructor(method: string, path: string, timeoutMs: number) {
    super(`${method} ${path}: no response within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** The connection failed or broke (refused, reset, TLS); the request may or may not have been applied. */
export class TransportError extends Error {
  constructor(method: string, path: string, cause: unknown) {
    super(`${method} ${path}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'TransportError';
  }
}

/** A watch stream carried a line that is not a JSON watch event. */
export class WatchDecodeError extends Error {
  constructor(line: string, cause?: unknown) {
    super(`undecodable watch event: ${line.slice(0, 200)}`, { cause });
    this.name = 'WatchDecodeError';
  }
}
