import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterIPLookup, serviceAt, type ServiceLike } from './cluster-ips.ts';

const svc = (namespace: string, name: string, spec: ServiceLike['spec']): ServiceLike => ({
  metadata: { namespace, name },
  spec,
});

const services = [
  svc('default', 'kubernetes', { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ port: 443 }] }),
  svc('ns', 'hook', {
    type: 'ClusterIP',
    clusterIP: '10.96.7.7',
    clusterIPs: ['10.96.7.7', 'FD00::7'],
    ports: [{ port: 443 }, { port: 8443 }],
  }),
  svc('ns', 'headless', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] }),
  svc('ns', 'external', { type: 'ExternalName', ports: [{ port: 443 }] }),
  svc('ns', 'nodeport', { type: 'NodePort', clusterIP: '10.96.8.8', ports: [{ port: 80 }] }),
];

test('a ClusterIP:port maps back to its Service port', () => {
  assert.deepEqual(serviceAt(services, '10.96.7.7', 443), { namespace: 'ns', name: 'hook', port: 443 });
  assert.deepEqual(serviceAt(services, '10.96.7.7', 8443), { namespace: 'ns', name: 'hook', port: 8443 });
  assert.deepEqual(serviceAt(services, 'fd00::7', 443), { namespace: 'ns', name: 'hook', port: 443 }, 'dual stack');
  assert.deepEqual(serviceAt(services, '10.96.8.8', 80), { namespace: 'ns', name: 'nodeport', port: 80 });
});

test('no match: another port, another IP, headless and ExternalName Services', () => {
  assert.equal(serviceAt(services, '10.96.7.7', 80), undefined);
  assert.equal(serviceAt(services, '10.96.9.9', 443), undefined);
  assert.equal(serviceAt(services, 'None', 80), undefined);
  assert.equal(serviceAt([], '10.96.0.1', 443), undefined);
});

function fakeApiserver(initial: ServiceLike[]) {
  let now = 1000;
  const api = { services: initial, lists: 0, fail: false };
  const lookup = new ClusterIPLookup(
    async () => {
      api.lists++;
      if (api.fail) throw new Error('connection refused');
      return api.services;
    },
    { ttlMs: 2000, now: () => now },
  );
  return { api, lookup, tick: (ms: number) => (now += ms) };
}

test('hits are served from a short cache; a miss lists again, so a new Service is found at once', async () => {
  const { api, lookup, tick } = fakeApiserver(services.slice(0, 1));
  assert.deepEqual(await lookup.lookup('10.96.0.1', 443), { namespace: 'default', name: 'kubernetes', port: 443 });
  tick(100);
  await lookup.lookup('10.96.0.1', 443);
  assert.equal(api.lists, 1, 'a hit within the TTL does not list');

  api.services = services; // ns/hook created
  tick(1);
  assert.deepEqual(await lookup.lookup('10.96.7.7', 443), { namespace: 'ns', name: 'hook', port: 443 });
  assert.equal(api.lists, 2);

  tick(2500);
  api.services = services.slice(0, 1); // ns/hook deleted
  assert.deepEqual(
    await lookup.lookup('10.96.7.7', 443),
    { namespace: 'ns', name: 'hook', port: 443 },
    'an expired hit is answered at once from the cache',
  );
  assert.equal(api.lists, 3, '…while one list refreshes the cache');
  await settle();
  tick(1);
  assert.equal(await lookup.lookup('10.96.7.7', 443), undefined, 'the refreshed cache no longer has it');
  assert.equal(api.lists, 4, 'a miss after the refresh lists again (the Service may be new)');
});

test('a saturated apiserver sees one list at a time: expired hits share one refresh, misses one follow-up', async () => {
  let now = 1000;
  let release: (() => void)[] = [];
  let lists = 0;
  let current = services.slice(0, 1);
  const lookup = new ClusterIPLookup(
    () => {
      lists++;
      const answer = current;
      return new Promise((resolve) => release.push(() => resolve(answer)));
    },
    { ttlMs: 2000, now: () => now },
  );
  const first = lookup.lookup('10.96.0.1', 443);
  release.shift()!();
  assert.deepEqual(await first, { namespace: 'default', name: 'kubernetes', port: 443 });

  now += 5000; // expired; the apiserver now answers slowly
  const hits = await Promise.race([
    Promise.all([1, 2, 3].map(() => lookup.lookup('10.96.0.1', 443))),
    settle().then(() => 'still waiting for the apiserver'),
  ]);
  assert.deepEqual(hits, Array(3).fill({ namespace: 'default', name: 'kubernetes', port: 443 }));
  assert.equal(lists, 2, 'three expired hits: answered from the cache, one background list');

  current = services; // ns/hook created after that list started
  now += 1;
  const misses = [lookup.lookup('10.96.7.7', 443), lookup.lookup('10.96.7.7', 443)];
  await settle();
  assert.equal(lists, 2, 'the misses wait for the running list to finish before one more starts');
  release.shift()!();
  await settle();
  assert.equal(lists, 3, 'both misses share one follow-up list');
  release.shift()!();
  assert.deepEqual(await Promise.all(misses), Array(2).fill({ namespace: 'ns', name: 'hook', port: 443 }));
  release = [];
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('concurrent misses share one list; apiserver errors reach the caller', async () => {
  const { api, lookup } = fakeApiserver(services);
  const results = await Promise.all([lookup.lookup('10.96.7.7', 443), lookup.lookup('10.96.9.9', 1)]);
  assert.deepEqual(results, [{ namespace: 'ns', name: 'hook', port: 443 }, undefined]);
  assert.equal(api.lists, 1);

  const broken = fakeApiserver(services);
  broken.api.fail = true;
  await assert.rejects(broken.lookup.lookup('10.96.7.7', 443), /connection refused/);
  broken.api.fail = false;
  broken.tick(1);
  assert.deepEqual(await broken.lookup.lookup('10.96.7.7', 443), { namespace: 'ns', name: 'hook', port: 443 });
});
