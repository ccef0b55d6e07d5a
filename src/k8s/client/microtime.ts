/**
 * @module kube/microtime
 * `metav1.MicroTime` and `metav1.Time` wire formats.
 *
 * MicroTime fields (Lease acquire/renewTime, events.k8s.io eventTime and series.lastObservedTime) must
 * carry exactly six fractional digits: the apiserver rejects `Date#toISOString()`'s three
 * ("cannot parse .278Z as .000000"). Time fields are whole seconds.
 */

/** RFC 3339 with microseconds, UTC: `2024-05-01T12:00:00.123456Z`. Accepts a Date or epoch milliseconds. */
export function formatMicroTime(time: Date | number = Date.now()): string {
  const ms = typeof time === 'number' ? time : time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`invalid time: ${String(time)}`);
  // Fractional milliseconds (e.g. from performance.timeOrigin + performance.now()) become microseconds;
  // epoch microseconds stay below 2^53, so they are exact integers.
  const totalMicros = Math.round(ms * 1000);
  const wholeMs = Math.floor(totalMicros / 1000);
  const micros = totalMicros - wholeMs * 1000;
  const iso = new Date(wholeMs).toISOString(); // always ...SS.mmmZ
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** RFC 3339 in whole seconds, UTC: `2024-05-01T12:00:00Z` (metav1.Time). */
export function formatTime(time: Date | number = Date.now()): string {
  const ms = typeof time === 'number' ? time : time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`invalid time: ${String(time)}`);
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch milliseconds (with fractional microseconds) of an RFC 3339 Time or MicroTime string, as the
 * apiserver sends them; `undefined` if the text is not one.
 */
export function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const fraction = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return seconds + fraction;
}
