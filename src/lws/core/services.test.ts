import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSharedService, buildUniquePerReplicaService, usesSharedService } from './services.ts';
import { makeLeaderPod, makeLws } from '../../tooling/testing/lws-core-fixtures.ts';

test('shared headless Service: named after the LWS, owned by it', () => {
  assert.deepStrictEqual(buildSharedService(makeLws()), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'test-sample',
      namespace: 'default',
      labels: { 'leaderworkerset.sigs.k8s.io/name': 'test-sample' },
      ownerReferences: [
        {
          apiVersion: 'leaderworkerset.x-k8s.io/v1',
          kind: 'LeaderWorkerSet',
          name: 'test-sample',
          uid: 'lws-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      clusterIP: 'None',
      selector: { 'leaderworkerset.sigs.k8s.io/name': 'test-sample' },
      publishNotReadyAddresses: true,
    },
  });
});

test('UniquePerReplica headless Service: named after the leader pod, owned by it', () => {
  const lws = makeLws({ subdomainPolicy: 'UniquePerReplica' });
  const pod = makeLeaderPod(lws, 1, { revision: 'r' });
  assert.deepStrictEqual(buildUniquePerReplicaService(lws, pod), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'test-sample-1',
      namespace: 'default',
      labels: { 'leaderworkerset.sigs.k8s.io/name': 'test-sample' },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          name: 'test-sample-1',
          uid: 'test-sample-1-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      clusterIP: 'None',
      selector: { 'leaderworkerset.sigs.k8s.io/name': 'test-sample', 'leaderworkerset.sigs.k8s.io/group-index': '1' },
      publishNotReadyAddresses: true,
    },
  });
});

// [networkConfig, shared service]
const policies: [ReturnType<typeof makeLws>['spec']['networkConfig'], boolean][] = [
  [undefined, true],
  [{}, true],
  [{ subdomainPolicy: 'Shared' }, true],
  [{ subdomainPolicy: 'UniquePerReplica' }, false],
];
for (const [networkConfig, want] of policies) {
  test(`usesSharedService(${JSON.stringify(networkConfig)})`, () => {
    const lws = makeLws();
    if (networkConfig === undefined) delete lws.spec.networkConfig;
    else lws.spec.networkConfig = networkConfig;
    assert.equal(usesSharedService(lws), want);
  });
}
