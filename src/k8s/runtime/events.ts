/**
 * @module runtime/events
 * An events.k8s.io/v1 event recorder, modelled on client-go's tools/events recorder as controller-runtime
 * hands it out (`mgr.GetEventRecorder("leaderworkerset")`): reportingController is the recorder name,
 * reportingInstance "<name>-<hostname>", event names "<regarding name>.<hex unix nanos>".
 *
 * Best effort: `event()` returns at once and never throws; writes happen in the background, are
 * retried a few times on transport/server errors, and failures are logged. Repeats of an identical
 * event (same object, type, reason, action, note) within 6 minutes do not create new objects: they
 * bump the first one's `series` (count, lastObservedTime) with a merge patch, one patch in flight at a
 * time. Unlike client-go, the note is part of "identical", so every distinct message stays visible.
 */
import { hostname } from 'node:os';
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { KubeClient } from '../client/client.ts';
import { isApiError, isNotFound } from '../client/errors.ts';
import { formatMicroTime } from '../client/microtime.ts';
import type { KubeObject } from '../client/objects.ts';
import { EVENTS } from '../client/resources.ts';
import { silentLogger } from './log.ts';

export type EventType = 'Normal' | 'Warning';

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** events.k8s.io/v1 Event, as written. */
export interface EventObject {
  apiVersion: 'events.k8s.io/v1';
  kind: 'Event';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  eventTime: string;
  series?: { count: number; lastObservedTime: string };
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  regarding: ObjectReference;
  related?: ObjectReference;
  note: string;
  type: EventType;
}

export interface EventRecorder {
  /**
   * Records that `action` was taken (or failed) on `regarding`, optionally involving `related`.
   * Never throws and never waits.
   */
  event(
    regarding: KubeObject | ObjectReference,
    related: KubeObject | ObjectReference | undefined,
    type: EventType,
    reason: string,
    action: string,
    note: string,
  ): void;
}

/** Where events go; the API in production, an array in tests. */
export interface EventSink {
  create(event: EventObject): Promise<unknown>;
  patchSeries(namespace: string, name: string, series: EventObject['series']): Promise<unknown>;
}

export function clientEventSink(client: KubeClient): EventSink {
  return {
    create: (event) => client.create(EVENTS, event),
    patchSeries: (namespace, name, series) => client.patch(EVENTS, { namespace, name }, { series }, { type: 'merge' }),
  };
}

export interface EventRecorderOptions {
  sink: EventSink;
  /** Upstream LWS registers its recorders as "leaderworkerset". */
  reportingController?: string;
  reportingInstance?: string;
  logger?: Logger;
  /** Wall clock (epoch ms) for eventTime. */
  now?: () => number;
  maxAttempts?: number;
  retryDelayMs?: number;
}

export const REPORTING_CONTROLLER = 'leaderworkerset';
const SERIES_WINDOW_MS = 6 * 60_000; // client-go's finishTime
const NOTE_LIMIT_BYTES = 1024; // apiserver validation limit for events.k8s.io notes
const FIELD_LIMIT = 128; // reason, action, reportingInstance

interface Series {
  namespace: string;
  name: string;
  count: number;
  lastObserved: number;
  created: boolean;
  inFlight: boolean;
  /** The count moved on while a write was in flight: patch again afterwards. */
  dirty: boolean;
}

export class ApiEventRecorder implements EventRecorder {
  readonly #sink: EventSink;
  readonly #controller: string;
  readonly #instance: string;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #series = new Map<string, Series>();
  readonly #pending = new Set<Promise<void>>();
  #lastPrune = 0;

  constructor(options: EventRecorderOptions) {
    this.#sink = options.sink;
    this.#controller = options.reportingController ?? REPORTING_CONTROLLER;
    this.#instance = truncate(options.reportingInstance ?? `${this.#controller}-${hostname()}`, FIELD_LIMIT);
    this.#log = options.logger ?? silentLogger();
    this.#now = options.now ?? Date.now;
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
  }

  event(
    regarding: KubeObject | ObjectReference,
    related: KubeObject | ObjectReference | undefined,
    type: EventType,
    reason: string,
    action: string,
    note: string,
  ): void {
    try {
      this.#record(toReference(regarding), related && toReference(related), type, reason, action, note);
    } catch (error) {
      this.#log.error({ err: error, reason }, 'Could not record event');
    }
  }

  /** Resolves when every write started so far has finished (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #record(
    regarding: ObjectReference,
    related: ObjectReference | undefined,
    type: EventType,
    reason: string,
    action: string,
    note: string,
  ): void {
    const now = this.#now();
    this.#prune(now);
    const namespace = regarding.namespace || 'default';
    const trimmedNote = truncateBytes(note, NOTE_LIMIT_BYTES);
    this.#log.debug(
      {
        object: `${regarding.namespace ?? ''}/${regarding.name ?? ''}`,
        kind: regarding.kind,
        type,
        reason,
        action,
        note,
      },
      'Event occurred',
    );
    const key = JSON.stringify([regarding, related ?? null, type, reason, action, trimmedNote]);
    const existing = this.#series.get(key);
    if (existing && now - existing.lastObserved < SERIES_WINDOW_MS) {
      existing.count++;
      existing.lastObserved = now;
      if (existing.inFlight) existing.dirty = true;
      else this.#track(this.#patch(key, existing));
      return;
    }
    const series: Series = {
      namespace,
      name: `${regarding.name ?? 'unknown'}.${eventSuffix(now)}`,
      count: 1,
      lastObserved: now,
      created: false,
      inFlight: true,
      dirty: false,
    };
    this.#series.set(key, series);
    const event: EventObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: series.name, namespace },
      eventTime: formatMicroTime(now),
      reportingController: this.#controller,
      reportingInstance: this.#instance,
      action: truncate(action, FIELD_LIMIT),
      reason: truncate(reason, FIELD_LIMIT),
      regarding,
      ...(related ? { related } : {}),
      note: trimmedNote,
      type,
    };
    this.#track(this.#create(key, series, event));
  }

  async #create(key: string, series: Series, event: EventObject): Promise<void> {
    const ok = await this.#attempt(() => this.#sink.create(event), event);
    series.inFlight = false;
    if (!ok) {
      if (this.#series.get(key) === series) this.#series.delete(key);
      return;
    }
    series.created = true;
    if (series.dirty) await this.#patch(key, series);
  }

  async #patch(key: string, series: Series): Promise<void> {
    series.inFlight = true;
    do {
      series.dirty = false;
      const patch = { count: series.count, lastObservedTime: formatMicroTime(series.lastObserved) };
      let gone = false;
      const ok = await this.#attempt(
        () =>
          this.#sink.patchSeries(series.namespace, series.name, patch).catch((e: unknown) => {
            if (isNotFound(e)) gone = true; // expired (event TTL): the next repeat starts a new event
            throw e;
          }),
        { metadata: series },
      );
      if (!ok || gone) {
        if (this.#series.get(key) === series) this.#series.delete(key);
        break;
      }
    } while (series.dirty);
    series.inFlight = false;
  }

  /** Runs a write with retries on transport and server-side errors; true on success. */
  async #attempt(write: () => Promise<unknown>, event: { metadata: { namespace: string; name: string } }) {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return true;
      } catch (error) {
        const retryable = !isApiError(error) || error.code === 429 || error.code >= 500;
        const log = { err: error, event: `${event.metadata.namespace}/${event.metadata.name}`, attempt };
        if (!retryable || attempt >= this.#maxAttempts) {
          this.#log.warn(log, 'Could not write event');
          return false;
        }
        this.#log.debug(log, 'Could not write event; retrying');
        await sleep(this.#retryDelayMs * (0.75 + Math.random() / 2));
      }
    }
  }

  #track(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) => this.#log.error({ err: error }, 'Event write failed'));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #prune(now: number): void {
    if (now - this.#lastPrune < 60_000) return;
    this.#lastPrune = now;
    for (const [key, series] of this.#series) {
      if (!series.inFlight && now - series.lastObserved >= SERIES_WINDOW_MS) this.#series.delete(key);
    }
  }
}

/** A reference to an object, as events carry it. */
export function toReference(object: KubeObject | ObjectReference): ObjectReference {
  if (!('metadata' in object)) return object;
  const { namespace, name, uid, resourceVersion } = object.metadata;
  const ref: ObjectReference = {};
  if (object.apiVersion) ref.apiVersion = object.apiVersion;
  if (object.kind) ref.kind = object.kind;
  if (namespace) ref.namespace = namespace;
  if (name) ref.name = name;
  if (uid) ref.uid = uid;
  if (resourceVersion) ref.resourceVersion = resourceVersion;
  return ref;
}

/** Hex unix nanoseconds like client-go, with random sub-millisecond digits so bursts don't collide. */
function eventSuffix(nowMs: number): string {
  return (BigInt(Math.floor(nowMs)) * 1_000_000n + BigInt(randomInt(1_000_000))).toString(16);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut) > maxBytes) cut = cut.slice(0, -1);
  return cut;
}
