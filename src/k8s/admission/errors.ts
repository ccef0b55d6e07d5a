/**
 * @module webhooks/errors
 * The two ways upstream's webhooks fail a request, kept apart because controller-runtime answers them
 * differently: a returned error is a denial (403, message = the error text), while a Go runtime panic is
 * recovered into a 500 whose message is `panic: <runtime error> [recovered]`.
 */

/** An error upstream's webhook returns; `message` is identical to upstream's error text. */
export class AdmissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdmissionError';
  }
}

/**
 * A spot where upstream's Go code panics (nil dereference, division by zero). Reproduced so that the response
 * matches what controller-runtime's panic recovery sends; see `recoveredPanicMessage`.
 */
export class GoPanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoPanic';
  }
}

export const NIL_DEREFERENCE = 'runtime error: invalid memory address or nil pointer dereference';
export const INTEGER_DIVIDE_BY_ZERO = 'runtime error: integer divide by zero';

/** Message of controller-runtime's recovered-panic response (HTTP 500). */
export function recoveredPanicMessage(panic: GoPanic): string {
  return `panic: ${panic.message} [recovered]`;
}

/** Go's `*p` on an absent value: a nil-pointer panic. */
export function deref<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new GoPanic(NIL_DEREFERENCE);
  return value;
}

/** Go's integer `a % b` (truncated, like JS) with Go's divide-by-zero panic. */
export function goRem(a: number, b: number): number {
  if (b === 0) throw new GoPanic(INTEGER_DIVIDE_BY_ZERO);
  return a % b;
}

/** Go's integer `a / b` (truncated toward zero) with Go's divide-by-zero panic. */
export function goDiv(a: number, b: number): number {
  if (b === 0) throw new GoPanic(INTEGER_DIVIDE_BY_ZERO);
  return Math.trunc(a / b);
}
