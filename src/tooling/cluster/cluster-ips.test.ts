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
  assert.equal(await lookup.lookup('10.96.7.7', 443), undefined, 'after the TTL a hit is confirmed by a new list');
  assert.equal(api.lists, 3);
});

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
