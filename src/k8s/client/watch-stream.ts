/**
 * @module kube/watch-stream
 * Decoding a watch response: the apiserver streams one JSON object per line (`{"type":..,"object":..}`)
 * over chunked HTTP, and chunk boundaries fall anywhere, including inside a multi-byte UTF-8 character.
 */
import { errorFromStatus, WatchDecodeError, type Status } from './errors.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T> {
  type: WatchEventType;
  /** For BOOKMARK events only `metadata.resourceVersion` (and annotations) is meaningful. */
  object: T;
}

/** Splits a byte/text stream into complete lines; keeps the unfinished tail between chunks. */
export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8', { fatal: false });
  #tail = '';

  /** The complete, non-blank lines that `chunk` finishes. */
  push(chunk: Uint8Array | string): string[] {
    const text = this.#tail + (typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true }));
    const parts = text.split('\n');
    this.#tail = parts.pop() ?? '';
    return parts.filter((line) => line.trim() !== '');
  }

  /** Whatever is left when the stream ends (a final line without a newline). */
  flush(): string[] {
    const rest = this.#tail + this.#decoder.decode();
    this.#tail = '';
    return rest.trim() === '' ? [] : [rest];
  }
}

const eventTypes = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/**
 * Parses one line. ERROR events are thrown as the typed ApiError of their Status (e.g. GoneError for
 * "too old resource version"), because the server ends the stream after one anyway.
 */
export function parseWatchLine<T>(line: string): WatchEvent<T> {
  let parsed: { type?: unknown; object?: unknown };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch (e) {
    throw new WatchDecodeError(line, e);
  }
  const type = parsed?.type;
  if (typeof type !== 'string' || !eventTypes.has(type) || typeof parsed.object !== 'object' || !parsed.object) {
    throw new WatchDecodeError(line);
  }
  if (type === 'ERROR') {
    const object = parsed.object as Partial<Status>;
    throw errorFromStatus({ ...object, kind: 'Status' });
  }
  return { type: type as WatchEventType, object: parsed.object as T };
}

/** Watch events from a chunked stream; ends when the stream ends, throws on stream errors. */
export async function* decodeWatchStream<T>(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<WatchEvent<T>> {
  const splitter = new LineSplitter();
  for await (const chunk of chunks) {
    for (const line of splitter.push(chunk)) yield parseWatchLine<T>(line);
  }
  for (const line of splitter.flush()) yield parseWatchLine<T>(line);
}
