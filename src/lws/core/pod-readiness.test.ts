import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';
import {
  containerRestarted,
  isLeaderPod,
  isPodReady,
  leaderPodStatusInputChanged,
  podDeleted,
  podRunningAndReady,
  statefulSetReady,
} from './pod-readiness.ts';

const pod = (status: Pod['status'], extra: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name: 'p', ...extra },
  status,
});
const ready = [{ type: 'Ready', status: 'True' }];
const notReady = [{ type: 'Ready', status: 'False' }];

// [name, pod, isPodReady, podRunningAndReady]
const readiness: [string, Pod, boolean, boolean][] = [
  ['running and ready', pod({ phase: 'Running', conditions: ready }), true, true],
  ['running, ready False', pod({ phase: 'Running', conditions: notReady }), false, false],
  ['running, no conditions', pod({ phase: 'Running' }), false, false],
  [
    'pending but Ready True (LeaderReady only looks at the condition)',
    pod({ phase: 'Pending', conditions: ready }),
    true,
    false,
  ],
  ['no status', pod(undefined), false, false],
];
for (const [name, p, wantReady, wantRunningReady] of readiness) {
  test(`readiness: ${name}`, () => {
    assert.equal(isPodReady(p), wantReady);
    assert.equal(podRunningAndReady(p), wantRunningReady);
  });
}

// Upstream TestContainerRestarted.
const restarts: [string, Pod, boolean][] = [
  ['running, init container restarted', pod({ phase: 'Running', initContainerStatuses: [cs(1)] }), true],
  ['pending, init container restarted', pod({ phase: 'Pending', initContainerStatuses: [cs(1)] }), true],
  ['running, container restarted', pod({ phase: 'Running', containerStatuses: [cs(2)] }), true],
  ['failed pod does not count', pod({ phase: 'Failed', containerStatuses: [cs(1)] }), false],
  [
    'running, no restarts',
    pod({ phase: 'Running', initContainerStatuses: [cs(0)], containerStatuses: [cs(0)] }),
    false,
  ],
];
function cs(restartCount: number) {
  return { name: 'c', image: 'i', imageID: '', ready: true, restartCount };
}
for (const [name, p, want] of restarts) {
  test(`containerRestarted: ${name}`, () => assert.equal(containerRestarted(p), want));
}

test('podDeleted and isLeaderPod', () => {
  assert.equal(podDeleted(pod({}, { deletionTimestamp: '2026-01-01T00:00:00Z' })), true);
  assert.equal(podDeleted(pod({})), false);
  assert.equal(isLeaderPod(pod({}, { labels: { 'leaderworkerset.sigs.k8s.io/worker-index': '0' } })), true);
  assert.equal(isLeaderPod(pod({}, { labels: { 'leaderworkerset.sigs.k8s.io/worker-index': '1' } })), false);
  assert.equal(isLeaderPod(pod({})), false);
});

// Upstream TestStatefulsetReady.
const sts = (replicas: number | undefined, status: StatefulSet['status']): StatefulSet => ({
  metadata: { name: 's' },
  spec: { replicas, selector: {}, serviceName: 's', template: {} },
  status,
});
const stsRows: [string, StatefulSet, boolean][] = [
  [
    'available equals replicas, revisions match',
    sts(3, { availableReplicas: 3, currentRevision: 'rev-1', updateRevision: 'rev-1' }),
    true,
  ],
  [
    'available below replicas',
    sts(3, { availableReplicas: 2, currentRevision: 'rev-1', updateRevision: 'rev-1' }),
    false,
  ],
  ['revisions differ', sts(3, { availableReplicas: 3, currentRevision: 'rev-1', updateRevision: 'rev-2' }), false],
  ['both fail', sts(3, { availableReplicas: 2, currentRevision: 'rev-1', updateRevision: 'rev-2' }), false],
  ['what SetPodGroupToReady writes (empty revisions)', sts(1, { availableReplicas: 1 }), true],
  [
    'what SetStatefulsetToUnReady writes',
    sts(1, { availableReplicas: 1, currentRevision: 'fuz', updateRevision: 'bar' }),
    false,
  ],
  ['fresh StatefulSet without status', sts(1, undefined), false],
  ['zero replicas, no status', sts(0, undefined), true],
];
for (const [name, s, want] of stsRows) {
  test(`statefulSetReady: ${name}`, () => assert.equal(statefulSetReady(s), want));
}

// [name, before, after, wake the LWS reconciler]
const leader = (status: Pod['status'], labels: Record<string, string> = {}, uid = 'u1'): Pod => ({
  metadata: {
    name: 'lws-0',
    uid,
    labels: { 'leaderworkerset.sigs.k8s.io/worker-index': '0', ...labels },
  },
  status,
});
const runningReady = { phase: 'Running', conditions: ready };
const runningNotReady = { phase: 'Running', conditions: notReady };
const rev = (hash: string) => ({ 'leaderworkerset.sigs.k8s.io/template-revision-hash': hash });
const wakes: [string, Pod, Pod, boolean][] = [
  ['leader became ready', leader(runningNotReady), leader(runningReady), true],
  ['leader lost readiness', leader(runningReady), leader(runningNotReady), true],
  ['leader ready, only other fields changed', leader(runningReady), leader({ ...runningReady, podIP: '1' }), false],
  ['leader pending → running, still not ready', leader({ phase: 'Pending' }), leader(runningNotReady), false],
  ['leader revision label changed', leader(runningReady, rev('a')), leader(runningReady, rev('b')), true],
  ['leader recreated under the same name', leader(runningReady, {}, 'u1'), leader(runningReady, {}, 'u2'), true],
  [
    'worker became ready (its StatefulSet reports it)',
    {
      ...leader(runningNotReady),
      metadata: { name: 'lws-0-1', labels: { 'leaderworkerset.sigs.k8s.io/worker-index': '1' } },
    },
    {
      ...leader(runningReady),
      metadata: { name: 'lws-0-1', labels: { 'leaderworkerset.sigs.k8s.io/worker-index': '1' } },
    },
    false,
  ],
];
for (const [name, before, after, want] of wakes) {
  test(`leaderPodStatusInputChanged: ${name}`, () => assert.equal(leaderPodStatusInputChanged(before, after), want));
}
