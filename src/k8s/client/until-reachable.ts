/**
 * @module k8s/client/until-reachable
 * Start-up questions to the apiserver (is an API served? may we list it?) asked again while the apiserver cannot
 * be reached or is overloaded, as client-go's callers retry discovery: a controller started before its apiserver
 * (or during a restart) waits instead of exiting. Every other answer — a 404, a 403 — is returned or thrown at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  InternalError,
  RequestTimeoutError,
  ServiceUnavailableError,
  TimeoutError,
  TooManyRequestsError,
  TransportError,
} from './errors.ts';

const TRANSIENT = [
  TransportError,
  RequestTimeoutError,
  ServiceUnavailableError,
  TooManyRequestsError,
  TimeoutError,
  InternalError,
];

export const isTransient = (e: unknown): boolean => TRANSIENT.some((type) => e instanceof type);

/** Runs `ask` until it settles with anything but a transient error; backoff 0.5 s doubling to 8 s. */
export async function untilReachable<T>(
  ask: () => Promise<T>,
  signal: AbortSignal,
  onRetry: (error: Error, delayMs: number) => void = () => {},
): Promise<T> {
  for (let delayMs = 500; ; delayMs = Math.min(delayMs * 2, 8_000)) {
    signal.throwIfAborted();
    try {
      return await ask();
    } catch (e) {
      if (!isTransient(e)) throw e;
      onRetry(e as Error, delayMs);
      await sleep(delayMs, undefined, { signal });
    }
  }
}
