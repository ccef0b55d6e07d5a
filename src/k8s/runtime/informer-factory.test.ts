import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { InformerFactory } from './informer-factory.ts';
import { KubeClient } from '../client/client.ts';
import { staticCredentials } from '../client/connection.ts';
import { PODS, STATEFULSETS } from '../client/resources.ts';
import { labelIndex } from './store.ts';

// Never started, so no request is made.
const client = new KubeClient({
  server: new URL('http://127.0.0.1:1'),
  agent: new Agent(),
  credentials: staticCredentials(),
});

test('one shared informer per resource and scope; indexers accumulate', () => {
  const f = new InformerFactory(client);
  const pods = f.informerFor(PODS);
  assert.equal(f.informerFor(PODS), pods);
  assert.notEqual(f.informerFor(PODS, { namespace: 'a' }), pods);
  assert.notEqual(f.informerFor(PODS, { labelSelector: 'x=y' }), pods);
  assert.notEqual(f.informerFor(STATEFULSETS), pods);
  f.informerFor(PODS, { indexers: { byApp: labelIndex('app') } });
  assert.deepEqual(pods.byIndex('byApp', 'web'), []);
  assert.equal(pods.name, 'pods');
  assert.equal(f.informerFor(STATEFULSETS, { namespace: 'ns' }).name, 'statefulsets.apps in ns');
});

test('waitForSync gives up when its signal aborts', async () => {
  const f = new InformerFactory(client);
  f.informerFor(PODS);
  assert.equal(await f.waitForSync(AbortSignal.abort()), false);
  await f.stopped();
});
