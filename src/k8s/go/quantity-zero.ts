/**
 * @module webhooks/quantity
 * Whether a resource.Quantity is non-zero: the only question upstream asks of TPU requests and limits.
 * Suffixes and exponents only scale a quantity, so the mantissa decides.
 */

const QUANTITY = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** Non-zero per `Quantity.IsZero`; unparseable text counts as zero (the apiserver rejects it anyway). */
export function isNonZeroQuantity(value: string | number | undefined | null): boolean {
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return false;
  const m = QUANTITY.exec(value.trim());
  return m !== null && /[1-9]/.test(m[2]!);
}
