// What wakes the LeaderWorkerSet reconciler: its own objects, its StatefulSets and Services by the set-name
// label, and leader pods only when something the status reads changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventHandler } from '../../k8s/runtime/informer.ts';
import type { KubeObject, Pod } from '../../k8s/client/objects.ts';
import { SET_NAME_LABEL, WORKER_INDEX_LABEL } from '../api/keys.ts';
import type { Caches } from './caches.ts';
import { watchForLeaderWorkerSets } from './lws-reconciler.ts';

/** Caches whose informers only collect the handlers, so the test can play events into them. */
function handlerCaches() {
  const handlers: Record<string, EventHandler<KubeObject>[]> = {};
  const informer = (name: string) => ({
    addEventHandler: (h: EventHandler<KubeObject>) => {
      (handlers[name] ??= []).push(h);
      return () => handlers[name]!.splice(handlers[name]!.indexOf(h), 1);
    },
  });
  const caches = {
    leaderWorkerSets: informer('lws'),
    statefulSets: informer('sts'),
    pods: informer('pods'),
    services: informer('svc'),
    revisions: informer('rev'),
  } as unknown as Caches;
  return { caches, handlers };
}

const pod = (name: string, workerIndex: string, ready: boolean): Pod => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: name,
    labels: { [SET_NAME_LABEL]: 'set', [WORKER_INDEX_LABEL]: workerIndex },
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('a leader pod turning ready wakes its LeaderWorkerSet; a worker pod or an unchanged leader does not', () => {
  const { caches, handlers } = handlerCaches();
  const keys: string[] = [];
  const stop = watchForLeaderWorkerSets(caches, (k) => keys.push(k));
  const [onPods] = handlers.pods!;
  onPods!.onUpdate!(pod('set-0', '0', false), pod('set-0', '0', true));
  assert.deepEqual(keys, ['ns/set']);
  onPods!.onUpdate!(pod('set-0', '0', true), pod('set-0', '0', true));
  onPods!.onUpdate!(pod('set-0-1', '1', false), pod('set-0-1', '1', true));
  onPods!.onAdd?.(pod('set-1', '0', false), false);
  assert.deepEqual(keys, ['ns/set'], 'no wake-ups for changes the status does not read');
  onPods!.onDelete!(pod('set-0', '0', true), { finalStateUnknown: false });
  assert.deepEqual(keys, ['ns/set', 'ns/set'], 'a deleted leader pod wakes the set');
  stop();
  assert.equal(handlers.pods!.length, 0, 'the returned function removes the handlers');
});
