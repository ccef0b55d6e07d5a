import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { containerRestarted, isPodReady, podRunningAndReady, statefulSetReady } from '../core/pod-readiness.ts';
import { readyGroup } from '../core/observations.ts';
import { podRequestsTPUs } from '../webhooks/tpu.ts';
import { statefulSetPartition, statefulSetReplicas } from '../core/rollout.ts';
import { slimPod, slimStatefulSet } from './cache-transforms.ts';

const fullPod = (overrides: { tpu?: boolean; restarts?: number; phase?: string } = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'lws-0',
    namespace: 'ns',
    uid: 'u-1',
    resourceVersion: '7',
    creationTimestamp: '2026-12-06T06:00:00Z',
    labels: { 'leaderworkerset.sigs.k8s.io/name': 'lws', 'leaderworkerset.sigs.k8s.io/worker-index': '0' },
    annotations: { 'leaderworkerset.sigs.k8s.io/size': '4' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'lws', uid: 's-1', controller: true }],
  },
  spec: {
    nodeName: 'node-3',
    containers: [
      {
        name: 'main',
        image: 'nginx:1.27',
        env: [{ name: 'A', value: 'x'.repeat(500) }],
        ports: [{ containerPort: 8080 }],
        resources: overrides.tpu ? { limits: { 'google.com/tpu': '4' } } : { requests: { cpu: '1' } },
      },
    ],
    initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
    volumes: [{ name: 'v', emptyDir: {} }],
    tolerations: [{ key: 'k', operator: 'Exists' }],
  },
  status: {
    phase: overrides.phase ?? 'Running',
    podIP: '10.0.0.1',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-06T06:00:05Z' }],
    containerStatuses: [
      {
        name: 'main',
        ready: true,
        restartCount: overrides.restarts ?? 0,
        image: 'nginx:1.27',
        imageID: 'sha256:…',
        state: { running: { startedAt: new Date('2026-12-06T06:00:04Z') } },
      },
    ],
  },
});

describe('slimPod', () => {
  test('every predicate the controllers apply to a cached pod answers the same on the slim copy', () => {
    for (const pod of [
      fullPod(),
      fullPod({ tpu: true }),
      fullPod({ restarts: 2 }),
      fullPod({ phase: 'Pending' }),
      fullPod({ phase: 'Failed', restarts: 1 }),
    ]) {
      const slim = slimPod(structuredClone(pod));
      assert.equal(isPodReady(slim), isPodReady(pod));
      assert.equal(podRunningAndReady(slim), podRunningAndReady(pod));
      assert.equal(containerRestarted(slim), containerRestarted(pod));
      assert.equal(podRequestsTPUs(slim.spec), podRequestsTPUs(pod.spec));
      assert.deepEqual(readyGroup([slim], 1), readyGroup([pod], 1));
      assert.equal(slim.spec?.nodeName, 'node-3');
      assert.equal(slim.status?.phase, pod.status?.phase);
      assert.deepEqual(slim.metadata, pod.metadata);
    }
    assert.equal(podRequestsTPUs(slimPod(fullPod({ tpu: true })).spec), true);
    assert.equal(containerRestarted(slimPod(fullPod({ restarts: 2 }))), true);
  });

  test('images, env, volumes and the other spec fields are not kept', () => {
    const slim = slimPod(fullPod());
    assert.deepEqual(slim.spec, {
      nodeName: 'node-3',
      containers: [{ name: 'main', resources: { requests: { cpu: '1' } } }],
      initContainers: [{ name: 'init' }],
    });
    assert.deepEqual(slim.status?.containerStatuses, [{ name: 'main', ready: true, restartCount: 0 }]);
    assert.equal(slim.status?.podIP, undefined);
    assert.ok(JSON.stringify(slim).length < JSON.stringify(fullPod()).length / 2);
  });

  test('a pod without spec or status stays without them', () => {
    const bare: Pod = { metadata: { name: 'p', namespace: 'ns' } };
    assert.deepEqual(slimPod(bare), { apiVersion: undefined, kind: undefined, metadata: bare.metadata });
  });
});

describe('slimStatefulSet', () => {
  test('replicas, partition and status are kept; the pod template is not', () => {
    const sts: StatefulSet = {
      metadata: { name: 'lws', namespace: 'ns', labels: { a: 'b' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { a: 'b' } },
        serviceName: 'lws',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' } }],
      },
      status: { replicas: 3, availableReplicas: 3, currentRevision: 'r1', updateRevision: 'r1' },
    };
    const slim = slimStatefulSet(structuredClone(sts));
    assert.equal(statefulSetPartition(slim), 2);
    assert.equal(statefulSetReplicas(slim), 3);
    assert.equal(statefulSetReady(slim), statefulSetReady(sts));
    assert.deepEqual(slim.status, sts.status);
    assert.deepEqual(slim.metadata, sts.metadata);
    assert.equal(slim.spec?.template, undefined);
    assert.equal(slim.spec?.volumeClaimTemplates, undefined);
    assert.equal(slim.spec?.serviceName, 'lws');
  });
});
