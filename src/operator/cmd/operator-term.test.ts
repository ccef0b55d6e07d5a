import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { KubeObject } from '../../k8s/client/objects.ts';
import { Informer } from '../../k8s/runtime/informer.ts';
import { FakeListerWatcher } from '../../tooling/testing/fake-lister-watcher.ts';
import type { OperatorCaches, OperatorResource } from '../controllers/reconciler.ts';
import { runOperatorTerm } from './operator-manager.ts';

const obj = (name: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});

/** Informers that count their live event handlers. */
function caches(): { caches: OperatorCaches; handlers: () => number } {
  let live = 0;
  const informer = <T extends KubeObject>() => {
    const i = new Informer<T>(new FakeListerWatcher<T>());
    const add = i.addEventHandler.bind(i);
    i.addEventHandler = (handler) => {
      live++;
      const remove = add(handler);
      return () => {
        live--;
        remove();
      };
    };
    return i;
  };
  return {
    caches: {
      instances: informer<OperatorResource>(),
      secrets: informer(),
      byKind: new Map([['Deployment', informer()]]),
    },
    handlers: () => live,
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'condition not reached in time');
}

test('a replica that lost and regained the Lease twice reconciles once per event', async () => {
  const { caches: c, handlers } = caches();
  const log = pino({ level: 'silent' });
  let reconciles = 0;
  const reconcile = async () => {
    reconciles++;
  };
  // Two terms that end (Lease lost), then the third one that stays.
  for (let term = 0; term < 2; term++) {
    const ac = new AbortController();
    const running = runOperatorTerm(c, reconcile, { logger: log }, ac.signal);
    await until(() => reconciles === term + 1); // the initial enqueue of each term
    ac.abort();
    await running;
  }
  const ac = new AbortController();
  const running = runOperatorTerm(c, reconcile, { logger: log }, ac.signal);
  await until(() => reconciles === 3);
  assert.equal(handlers(), 3, 'one handler per informer while leading, none left from earlier terms');

  for (const [i, informer] of [c.secrets, c.byKind.get('Deployment')!].entries()) {
    const before = reconciles;
    informer.apply({ type: 'ADDED', object: obj(`s${i}`, String(10 + i)) });
    await until(() => reconciles > before);
    await new Promise((r) => setTimeout(r, 100)); // room for any duplicate delivery to show up
    assert.equal(reconciles, before + 1, 'one event, one reconcile');
  }
  ac.abort();
  await running;
  assert.equal(handlers(), 0);

  // After the last term ended, events reach nobody.
  const before = reconciles;
  c.secrets.apply({ type: 'MODIFIED', object: obj('s0', '20') });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(reconciles, before);
});
