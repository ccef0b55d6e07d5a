import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, decodeWatchStream, parseWatchLine } from './watch-stream.ts';
import { GoneError, WatchDecodeError } from './errors.ts';

const line = (type: string, name: string, rv = '1') =>
  JSON.stringify({ type, object: { metadata: { name, resourceVersion: rv } } }) + '\n';

async function* chunksOf(...chunks: Array<string | Uint8Array>) {
  for (const c of chunks) yield c;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test('lines split across chunks at every possible boundary', async () => {
  const text = line('ADDED', 'a') + line('MODIFIED', 'b', '2') + line('DELETED', 'c', '3');
  for (let cut = 0; cut <= text.length; cut++) {
    for (let cut2 = cut; cut2 <= text.length; cut2 += 7) {
      const events = await collect(
        decodeWatchStream<any>(chunksOf(text.slice(0, cut), text.slice(cut, cut2), text.slice(cut2))),
      );
      assert.deepEqual(
        events.map((e) => `${e.type}:${e.object.metadata.name}`),
        ['ADDED:a', 'MODIFIED:b', 'DELETED:c'],
        `cuts at ${cut}/${cut2}`,
      );
    }
  }
});

test('a multi-byte character split between chunks survives', async () => {
  const bytes = Buffer.from(line('ADDED', 'ünïcødé-名前'));
  const events: any[] = [];
  for (let cut = 1; cut < bytes.length; cut++) {
    const [e] = await collect(decodeWatchStream<any>(chunksOf(bytes.subarray(0, cut), bytes.subarray(cut))));
    events.push(e);
  }
  assert.ok(events.every((e) => e.object.metadata.name === 'ünïcødé-名前'));
});

test('a last line without newline is still delivered; blank lines are ignored', async () => {
  const events = await collect(
    decodeWatchStream<any>(chunksOf('\n\n' + line('ADDED', 'a') + '\n', line('BOOKMARK', '', '9').trim())),
  );
  assert.deepEqual(
    events.map((e) => e.type),
    ['ADDED', 'BOOKMARK'],
  );
});

test('ERROR events throw their typed error', async () => {
  const error = JSON.stringify({
    type: 'ERROR',
    object: {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'too old resource version: 1 (5)',
      reason: 'Expired',
      code: 410,
    },
  });
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const e of decodeWatchStream<any>(chunksOf(line('ADDED', 'a'), error + '\n', line('ADDED', 'b')))) {
      seen.push(e.object.metadata.name);
    }
  }, GoneError);
  assert.deepEqual(seen, ['a']);
});

test('garbage is a WatchDecodeError', () => {
  assert.throws(() => parseWatchLine('{"type":"ADDED"'), WatchDecodeError);
  assert.throws(() => parseWatchLine('{"type":"WHAT","object":{}}'), WatchDecodeError);
  assert.throws(() => parseWatchLine('{"type":"ADDED","object":null}'), WatchDecodeError);
});

test('LineSplitter keeps the tail until flush', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('ab'), []);
  assert.deepEqual(s.push('c\nd'), ['abc']);
  assert.deepEqual(s.flush(), ['d']);
  assert.deepEqual(s.flush(), []);
});
