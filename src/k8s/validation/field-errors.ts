/**
 * @module webhooks/field-errors
 * apimachinery's `field.Error` / `field.ErrorList` and the text they turn into. Upstream's LWS validator returns
 * `ErrorList.ToAggregate()`, and controller-runtime denies with that error's text (403, reason Forbidden), which
 * the apiserver prefixes with `admission webhook "<name>" denied the request: `.
 */
import { goJson, goQuote } from '../go/format.ts';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTooFew'
  | 'InternalError'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooShort';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path as apimachinery prints it, e.g. `spec.leaderWorkerTemplate.size`. */
  field: string;
  badValue: unknown;
  detail: string;
  /**
   * Set when the Go value was not a plain `string` (a pointer, an IntOrString): Go then prints it with
   * `json.Marshal` instead of `%q`, which differs for a few characters.
   */
  jsonEncoded?: boolean;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTooFew: 'Too few',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueTooShort: 'Too short',
};

/** Types whose text never shows the bad value. */
const VALUELESS = new Set<FieldErrorType>([
  'FieldValueRequired',
  'FieldValueForbidden',
  'FieldValueTooLong',
  'FieldValueTooShort',
  'InternalError',
]);

export function invalid(field: string, badValue: unknown, detail: string, jsonEncoded = false): FieldError {
  const error: FieldError = { type: 'FieldValueInvalid', field, badValue, detail };
  if (jsonEncoded) error.jsonEncoded = true;
  return error;
}

export function required(field: string, detail: string): FieldError {
  return { type: 'FieldValueRequired', field, badValue: '', detail };
}

function renderValue(error: FieldError): string {
  const v = error.badValue;
  if (typeof v === 'string' && !error.jsonEncoded) return goQuote(v);
  return goJson(v);
}

/** `field.Error.ErrorBody()`: `Invalid value: 5: detail`. */
export function errorBody(error: FieldError): string {
  let s = TYPE_TEXT[error.type];
  if (!VALUELESS.has(error.type)) s += `: ${renderValue(error)}`;
  if (error.detail.length > 0) s += `: ${error.detail}`;
  return s;
}

/** `field.Error.Error()`: `spec.replicas: Invalid value: 5: detail`. */
export function errorString(error: FieldError): string {
  return `${error.field}: ${errorBody(error)}`;
}

/**
 * Text of `ErrorList.ToAggregate()`: duplicates dropped, a single message bare, several as `[a, b]`.
 * Empty when there are no errors.
 */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  const messages = [...new Set(errors.map(errorString))];
  if (messages.length === 1) return messages[0]!;
  return messages.length === 0 ? '' : `[${messages.join(', ')}]`;
}

/** Status causes in the shape `apierrors.NewInvalid` would report (upstream's denial carries none). */
export function statusCauses(errors: readonly FieldError[]): { reason: string; message: string; field: string }[] {
  return errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
}
