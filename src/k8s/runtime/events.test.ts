import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { ApiEventRecorder, toReference, type EventObject, type EventSink } from './events.ts';
import { NotFoundError, InvalidError } from '../client/errors.ts';
import type { KubeObject } from '../client/objects.ts';

const lws: KubeObject = {
  apiVersion: 'leaderworkerset.x-k8s.io/v1',
  kind: 'LeaderWorkerSet',
  metadata: { namespace: 'ns', name: 'my-lws', uid: 'u-1', resourceVersion: '7', labels: { a: 'b' } },
};
const sts: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { namespace: 'ns', name: 'my-lws', uid: 'u-2' },
};

function fakeSink(behaviour: { create?: () => Promise<unknown>; patch?: () => Promise<unknown> } = {}) {
  const created: EventObject[] = [];
  const patches: Array<{ namespace: string; name: string; series: unknown }> = [];
  const sink: EventSink = {
    create: async (event) => {
      await behaviour.create?.();
      created.push(structuredClone(event));
      return event;
    },
    patchSeries: async (namespace, name, series) => {
      await behaviour.patch?.();
      patches.push({ namespace, name, series: structuredClone(series) });
      return {};
    },
  };
  return { sink, created, patches };
}

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 123);

test('writes an events.k8s.io/v1 Event like client-go (names, reporting fields, MicroTime)', async () => {
  const { sink, created } = fakeSink();
  const r = new ApiEventRecorder({ sink, now: () => T0 });
  r.event(lws, sts, 'Normal', 'GroupsProgressing', 'Create', 'Created leader statefulset my-lws');
  await r.flush();
  assert.equal(created.length, 1);
  const e = created[0]!;
  assert.match(e.metadata.name, /^my-lws\.[0-9a-f]+$/);
  const nanos = BigInt('0x' + e.metadata.name.split('.')[1]);
  assert.equal(nanos / 1_000_000n, BigInt(T0), 'suffix is unix nanoseconds');
  assert.deepEqual(
    { ...e, metadata: { namespace: e.metadata.namespace } },
    {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { namespace: 'ns' },
      eventTime: '2024-05-01T12:00:00.123000Z',
      reportingController: 'leaderworkerset',
      reportingInstance: `leaderworkerset-${hostname()}`,
      action: 'Create',
      reason: 'GroupsProgressing',
      regarding: {
        apiVersion: 'leaderworkerset.x-k8s.io/v1',
        kind: 'LeaderWorkerSet',
        namespace: 'ns',
        name: 'my-lws',
        uid: 'u-1',
        resourceVersion: '7',
      },
      related: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'ns', name: 'my-lws', uid: 'u-2' },
      note: 'Created leader statefulset my-lws',
      type: 'Normal',
    },
  );
});

test('cluster-scoped objects get events in "default"; long notes are cut to 1 KiB', async () => {
  const { sink, created } = fakeSink();
  const r = new ApiEventRecorder({ sink });
  r.event({ kind: 'Node', name: 'n1' }, undefined, 'Warning', 'R', 'A', 'é'.repeat(1000));
  await r.flush();
  assert.equal(created[0]!.metadata.namespace, 'default');
  assert.ok(Buffer.byteLength(created[0]!.note) <= 1024);
  assert.ok(created[0]!.note.length >= 500);
  assert.equal(created[0]!.related, undefined);
});

test('identical repeats become a series on the first event; distinct notes are new events', async () => {
  const { sink, created, patches } = fakeSink();
  let now = T0;
  const r = new ApiEventRecorder({ sink, now: () => now });
  r.event(lws, undefined, 'Normal', 'Progressing', 'Update', 'Replicas are progressing, 0 of 2');
  await r.flush();
  now += 1000;
  r.event(lws, undefined, 'Normal', 'Progressing', 'Update', 'Replicas are progressing, 0 of 2');
  await r.flush();
  r.event(lws, undefined, 'Normal', 'Progressing', 'Update', 'Replicas are progressing, 2 of 3');
  await r.flush();
  assert.equal(created.length, 2);
  assert.deepEqual(patches, [
    {
      namespace: 'ns',
      name: created[0]!.metadata.name,
      series: { count: 2, lastObservedTime: '2024-05-01T12:00:01.123000Z' },
    },
  ]);
  now += 7 * 60_000; // past the series window: a fresh event
  r.event(lws, undefined, 'Normal', 'Progressing', 'Update', 'Replicas are progressing, 0 of 2');
  await r.flush();
  assert.equal(created.length, 3);
});

test('repeats during a write are coalesced into one follow-up patch', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const { sink, created, patches } = fakeSink({ create: () => gate });
  const r = new ApiEventRecorder({ sink });
  for (let i = 0; i < 5; i++) r.event(lws, undefined, 'Warning', 'Failed', 'Delete', 'same');
  release();
  await r.flush();
  assert.equal(created.length, 1);
  assert.equal(patches.length, 1);
  assert.equal((patches[0]!.series as { count: number }).count, 5);
});

test('failures never reach the caller: retried on transport errors, dropped on rejections', async () => {
  let calls = 0;
  const flaky = fakeSink({
    create: async () => {
      if (++calls < 3) throw new Error('ECONNRESET');
    },
  });
  const r = new ApiEventRecorder({ sink: flaky.sink, retryDelayMs: 1 });
  r.event(lws, undefined, 'Normal', 'R', 'A', 'n');
  await r.flush();
  assert.equal(flaky.created.length, 1);
  assert.equal(calls, 3);

  let invalidCalls = 0;
  const invalid = fakeSink({
    create: async () => {
      invalidCalls++;
      throw new InvalidError(422, 'Invalid', 'bad');
    },
  });
  const r2 = new ApiEventRecorder({ sink: invalid.sink, retryDelayMs: 1 });
  assert.doesNotThrow(() => r2.event(lws, undefined, 'Normal', 'R', 'A', 'n'));
  await r2.flush();
  assert.equal(invalidCalls, 1);
  // The failed event left no series behind: the next identical one is created again.
  r2.event(lws, undefined, 'Normal', 'R', 'A', 'n');
  await r2.flush();
  assert.equal(invalidCalls, 2);
});

test('a series whose event expired starts a new event', async () => {
  const { sink, created } = fakeSink({
    patch: async () => {
      throw new NotFoundError(404, 'NotFound', 'gone');
    },
  });
  const r = new ApiEventRecorder({ sink, retryDelayMs: 1 });
  r.event(lws, undefined, 'Normal', 'R', 'A', 'n');
  await r.flush();
  r.event(lws, undefined, 'Normal', 'R', 'A', 'n'); // patch → 404
  await r.flush();
  r.event(lws, undefined, 'Normal', 'R', 'A', 'n');
  await r.flush();
  assert.equal(created.length, 2);
});

test('toReference keeps only reference fields', () => {
  assert.deepEqual(toReference(lws), {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    namespace: 'ns',
    name: 'my-lws',
    uid: 'u-1',
    resourceVersion: '7',
  });
  const ref = { kind: 'Pod', name: 'p' };
  assert.equal(toReference(ref), ref);
});
