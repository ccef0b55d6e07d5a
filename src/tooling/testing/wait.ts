/**
 * @module testing/wait
 * Polling assertions for tests against a live cluster: retry until the check passes or time runs out,
 * then fail with the last error (never with a bare "timeout").
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  message?: string;
}

/** Calls `check` until it returns without throwing; returns its value. */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }
  const detail = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${options.message ?? 'condition not met'} within ${timeoutMs} ms; last failure: ${detail}`, {
    cause: lastError,
  });
}

/** Asserts that `check` keeps passing for `durationMs` (e.g. "no second recreation happens"). */
export async function consistently(
  check: () => void | Promise<void>,
  options: { durationMs: number; intervalMs?: number },
): Promise<void> {
  const end = Date.now() + options.durationMs;
  while (Date.now() < end) {
    await check();
    await sleep(options.intervalMs ?? 250);
  }
}
