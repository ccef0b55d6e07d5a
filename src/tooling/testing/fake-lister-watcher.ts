/**
 * @module runtime/fake-lister-watcher
 * A scripted ListerWatcher for tests of informers and anything built on them: list answers come from
 * `items` (paged by limit/continue), watch streams are driven by the test (emit, end, fail), and
 * queued errors make the next list/watch fail.
 */
import type { KubeObject } from '../../k8s/client/objects.ts';
import type { WatchEvent, WatchEventType } from '../../k8s/client/watch-stream.ts';
import type { ListPage, ListerWatcher, PageRequest, WatchRequest } from '../../k8s/runtime/list-watcher.ts';

/** One open watch stream, fed by the test. */
export class FakeWatchStream<T> implements AsyncIterable<WatchEvent<T>> {
  readonly request: WatchRequest;
  readonly signal: AbortSignal;
  #buffer: Array<WatchEvent<T>> = [];
  #ended = false;
  #error: unknown;
  #wake: (() => void) | undefined;

  constructor(request: WatchRequest, signal: AbortSignal) {
    this.request = request;
    this.signal = signal;
    signal.addEventListener('abort', () => this.#notify(), { once: true });
  }

  get closed(): boolean {
    return this.#ended || this.#error !== undefined || this.signal.aborted;
  }

  emit(type: WatchEventType, object: T): void {
    this.#buffer.push({ type, object });
    this.#notify();
  }

  /** The server ends the stream cleanly (timeoutSeconds reached). */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  fail(error: unknown): void {
    this.#error = error;
    this.#notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    for (;;) {
      if (this.signal.aborted) throw this.signal.reason;
      const next = this.#buffer.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.#error !== undefined) throw this.#error;
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

export class FakeListerWatcher<T extends KubeObject> implements ListerWatcher<T> {
  /** What the next list returns. */
  items: T[] = [];
  resourceVersion = '1';
  readonly listCalls: PageRequest[] = [];
  readonly streams: FakeWatchStream<T>[] = [];
  /** Errors thrown by the next list calls, in order. */
  readonly listErrors: unknown[] = [];
  /** Thrown once by the next list call that carries a continue token. */
  continueError: unknown;
  #watchWaiters: Array<() => void> = [];

  async list(request: PageRequest, signal: AbortSignal): Promise<ListPage<T>> {
    signal.throwIfAborted();
    this.listCalls.push(request);
    const error = this.listErrors.shift();
    if (error !== undefined) throw error;
    if (request.continue && this.continueError !== undefined) {
      const e = this.continueError;
      this.continueError = undefined;
      throw e;
    }
    const offset = Number(request.continue ?? 0);
    const end = request.limit ? offset + request.limit : this.items.length;
    return {
      items: this.items.slice(offset, end),
      metadata: { resourceVersion: this.resourceVersion, continue: end < this.items.length ? String(end) : undefined },
    };
  }

  watch(request: WatchRequest, signal: AbortSignal): AsyncIterable<WatchEvent<T>> {
    const stream = new FakeWatchStream<T>(request, signal);
    this.streams.push(stream);
    for (const wake of this.#watchWaiters.splice(0)) wake();
    return stream;
  }

  /** Resolves with the `n`-th watch stream (0-based) once it has been opened. */
  async stream(n: number): Promise<FakeWatchStream<T>> {
    while (this.streams.length <= n) await new Promise<void>((resolve) => this.#watchWaiters.push(resolve));
    return this.streams[n]!;
  }
}
