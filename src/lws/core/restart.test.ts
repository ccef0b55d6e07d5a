import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaderWorkerSet, RestartPolicy } from '../api/types.ts';
import type { OwnerReference, Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { decideGroupRestart, groupPending, type GroupRestartInput } from './restart.ts';
import { makeLeaderPod, makeLws } from '../../tooling/testing/lws-core-fixtures.ts';

const DELETED = '2026-01-01T00:00:00Z';

function lwsWith(policy: RestartPolicy, options: { afterStartAnnotation?: boolean; size?: number } = {}) {
  const lws = makeLws({ replicas: 1, size: options.size ?? 4 });
  lws.spec.leaderWorkerTemplate.restartPolicy = policy;
  if (options.afterStartAnnotation) {
    lws.metadata.annotations = { 'leaderworkerset.sigs.k8s.io/experimental-recreate-group-after-start': '' };
  }
  return lws;
}

const podRef = (pod: Pod): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'Pod',
  name: pod.metadata.name!,
  uid: pod.metadata.uid!,
  controller: true,
  blockOwnerDeletion: true,
});
const stsRef = (sts: StatefulSet): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  name: sts.metadata.name!,
  uid: sts.metadata.uid!,
  controller: true,
  blockOwnerDeletion: true,
});

function workerSts(leader: Pod, uid: string): StatefulSet {
  return {
    metadata: { name: leader.metadata.name!, namespace: 'default', uid, ownerReferences: [podRef(leader)] },
  };
}

/** Worker `<leader>-<i>` as upstream's CreateWorkerPodsForLeaderPod makes it (owned by the leader directly). */
function worker(lws: LeaderWorkerSet, leader: Pod, i: number, owner: OwnerReference, phase = 'Pending'): Pod {
  return {
    metadata: {
      name: `${leader.metadata.name}-${i}`,
      namespace: 'default',
      uid: `${leader.metadata.name}-${i}-uid`,
      labels: {
        'leaderworkerset.sigs.k8s.io/name': lws.metadata.name!,
        'leaderworkerset.sigs.k8s.io/worker-index': String(i),
        'leaderworkerset.sigs.k8s.io/group-index': leader.metadata.labels!['leaderworkerset.sigs.k8s.io/group-index']!,
        'leaderworkerset.sigs.k8s.io/template-revision-hash':
          leader.metadata.labels!['leaderworkerset.sigs.k8s.io/template-revision-hash']!,
      },
      ownerReferences: [owner],
    },
    status: { phase },
  };
}

const deleting = (pod: Pod): Pod => ({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: DELETED } });
const restarted = (pod: Pod, phase = 'Running'): Pod => ({
  ...pod,
  status: { phase, containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount: 1 }] },
});
const running = (pod: Pod): Pod => ({ ...pod, status: { ...pod.status, phase: 'Running' } });

interface Row {
  name: string;
  input: () => GroupRestartInput;
  want: string; // 'recreate' or the no-restart reason
}

function group(lws: LeaderWorkerSet, phase = 'Pending', leaderUid = 'leader-current') {
  const leader = makeLeaderPod(lws, 0, { revision: 'rev', uid: leaderUid });
  leader.status = { phase };
  const sts = workerSts(leader, 'sts-current');
  const workers = [1, 2, 3].map((i) => worker(lws, leader, i, podRef(leader), phase));
  return { leader, sts, workers, pods: [leader, ...workers] };
}
const lookup = (pods: Pod[]) => (name: string) => pods.find((p) => p.metadata.name === name);

const rows: Row[] = [
  {
    name: 'restart policy None: nothing',
    input: () => {
      const lws = lwsWith('None');
      const g = group(lws);
      return { pod: deleting(g.workers[0]!), lws, groupPods: g.pods, leaderPod: g.leader };
    },
    want: 'policy-does-not-recreate',
  },
  {
    name: 'RecreateGroupOnPodRestart, worker deleted, group pending: recreate (upstream integration)',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws);
      return {
        pod: g.workers[0]!,
        podDeleted: true,
        lws,
        groupPods: g.pods.slice(0, 1).concat(g.workers.slice(1)),
        leaderPod: lookup(g.pods),
      };
    },
    want: 'recreate',
  },
  {
    name: 'a healthy running worker update: nothing',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws, 'Running');
      return { pod: g.workers[0]!, lws, groupPods: g.pods, leaderPod: g.leader };
    },
    want: 'pod-not-restarted-or-deleted',
  },
  {
    name: 'worker container restarted while Running: recreate',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws, 'Running');
      return { pod: restarted(g.workers[1]!), lws, groupPods: g.pods, leaderPod: g.leader };
    },
    want: 'recreate',
  },
  {
    name: 'a Failed pod with restarts is not a trigger by itself',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws, 'Running');
      return { pod: restarted(g.workers[1]!, 'Failed'), lws, groupPods: g.pods, leaderPod: g.leader };
    },
    want: 'pod-not-restarted-or-deleted',
  },
  {
    name: 'experimental after-start annotation and a pending pod: nothing',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart', { afterStartAnnotation: true });
      const g = group(lws, 'Running');
      g.workers[1] = { ...g.workers[1]!, status: { phase: 'Pending' } };
      return { pod: deleting(g.workers[0]!), lws, groupPods: [g.leader, ...g.workers], leaderPod: g.leader };
    },
    want: 'group-pending',
  },
  {
    name: 'RecreateGroupAfterStart and a pending pod: nothing',
    input: () => {
      const lws = lwsWith('RecreateGroupAfterStart');
      const g = group(lws, 'Running');
      g.workers[1] = { ...g.workers[1]!, status: { phase: 'Pending' } };
      return {
        pod: g.workers[0]!,
        podDeleted: true,
        lws,
        groupPods: [g.leader, ...g.workers.slice(1)],
        leaderPod: g.leader,
      };
    },
    want: 'group-pending',
  },
  {
    name: 'RecreateGroupAfterStart, all Running, worker deleted and gone from the cache: recreate',
    input: () => {
      const lws = lwsWith('RecreateGroupAfterStart');
      const g = group(lws, 'Running');
      return {
        pod: g.workers[0]!,
        podDeleted: true,
        lws,
        groupPods: [g.leader, ...g.workers.slice(1)],
        leaderPod: lookup(g.pods),
      };
    },
    want: 'recreate',
  },
  {
    name: 'RecreateGroupAfterStart, deleted worker already replaced by a Pending pod: nothing',
    input: () => {
      const lws = lwsWith('RecreateGroupAfterStart');
      const g = group(lws, 'Running');
      const replacement = {
        ...g.workers[0]!,
        metadata: { ...g.workers[0]!.metadata, uid: 'new' },
        status: { phase: 'Pending' },
      };
      return {
        pod: g.workers[0]!,
        podDeleted: true,
        lws,
        groupPods: [g.leader, replacement, ...g.workers.slice(1)],
        leaderPod: g.leader,
      };
    },
    want: 'group-pending',
  },
  {
    name: 'RecreateGroupAfterStart, a group member missing: nothing',
    input: () => {
      const lws = lwsWith('RecreateGroupAfterStart');
      const g = group(lws, 'Running');
      return {
        pod: restarted(g.workers[0]!),
        lws,
        groupPods: [g.leader, restarted(g.workers[0]!), g.workers[1]!],
        leaderPod: g.leader,
      };
    },
    want: 'group-pending',
  },
  {
    name: 'leader not found: nothing',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws);
      return { pod: deleting(g.workers[0]!), lws, groupPods: g.workers, leaderPod: () => undefined };
    },
    want: 'leader-not-found',
  },
  {
    name: 'worker of another revision: nothing (the rollout replaces it)',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws);
      const w = deleting(g.workers[0]!);
      w.metadata.labels = { ...w.metadata.labels, 'leaderworkerset.sigs.k8s.io/template-revision-hash': 'old' };
      return { pod: w, lws, groupPods: g.pods, leaderPod: g.leader };
    },
    want: 'revision-mismatch',
  },
  {
    name: 'worker directly owned by an older leader incarnation: nothing (#805)',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws);
      const oldLeader = makeLeaderPod(lws, 0, { revision: 'rev', uid: 'leader-old' });
      return {
        pod: deleting(worker(lws, oldLeader, 1, podRef(oldLeader))),
        lws,
        groupPods: g.pods,
        leaderPod: g.leader,
      };
    },
    want: 'worker-of-another-group',
  },
  // Upstream TestHandleRestartPolicyUsesCurrentWorkerOwnership.
  {
    name: 'current worker StatefulSet owner triggers group recreation',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart', { size: 2 });
      const leader = makeLeaderPod(lws, 0, { revision: 'rev', uid: 'leader-current' });
      const sts = workerSts(leader, 'sts-current');
      const w = worker(lws, leader, 1, stsRef(sts));
      return {
        pod: deleting(w),
        lws,
        groupPods: [leader, w],
        leaderPod: leader,
        statefulSet: (n) => (n === sts.metadata.name ? sts : undefined),
      };
    },
    want: 'recreate',
  },
  {
    name: 'stale worker StatefulSet owner is ignored',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart', { size: 2 });
      const leader = makeLeaderPod(lws, 0, { revision: 'rev', uid: 'leader-current' });
      const current = workerSts(leader, 'sts-current');
      const stale = workerSts(leader, 'sts-stale');
      const w = worker(lws, leader, 1, stsRef(stale));
      return {
        pod: deleting(w),
        lws,
        groupPods: [leader, w],
        leaderPod: leader,
        statefulSet: (n) => (n === current.metadata.name ? current : undefined),
      };
    },
    want: 'worker-of-another-group',
  },
  {
    name: 'worker StatefulSet owned by another leader incarnation is ignored',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart', { size: 2 });
      const leader = makeLeaderPod(lws, 0, { revision: 'rev', uid: 'leader-current' });
      const oldLeader = makeLeaderPod(lws, 0, { revision: 'rev', uid: 'leader-old' });
      const sts = workerSts(oldLeader, 'sts-old');
      const w = worker(lws, leader, 1, stsRef(sts));
      return { pod: deleting(w), lws, groupPods: [leader, w], leaderPod: leader, statefulSet: () => sts };
    },
    want: 'worker-of-another-group',
  },
  {
    name: 'worker without a controller owner is ignored',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart', { size: 2 });
      const leader = makeLeaderPod(lws, 0, { revision: 'rev' });
      const w = worker(lws, leader, 1, { ...podRef(leader), controller: false });
      return { pod: deleting(w), lws, groupPods: [leader, w], leaderPod: leader };
    },
    want: 'worker-of-another-group',
  },
  {
    name: 'leader already being deleted: nothing more to do',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws);
      return { pod: deleting(g.workers[0]!), lws, groupPods: g.pods, leaderPod: deleting(g.leader) };
    },
    want: 'leader-already-deleting',
  },
  {
    name: 'the leader itself deleted: nothing (its StatefulSet brings it back, GC takes the workers)',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws);
      return { pod: deleting(g.leader), lws, groupPods: g.pods, leaderPod: undefined };
    },
    want: 'leader-already-deleting',
  },
  {
    name: 'the leader container restarted: the leader deletes itself',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws, 'Running');
      return { pod: restarted(g.leader), lws, groupPods: g.pods, leaderPod: undefined };
    },
    want: 'recreate',
  },
  {
    name: 'unparseable worker name',
    input: () => {
      const lws = lwsWith('RecreateGroupOnPodRestart');
      const g = group(lws);
      const w = deleting(g.workers[0]!);
      w.metadata.name = 'noordinal';
      return { pod: w, lws, groupPods: g.pods, leaderPod: g.leader };
    },
    want: 'unparseable-pod-name',
  },
];

for (const row of rows) {
  test(`decideGroupRestart: ${row.name}`, () => {
    const decision = decideGroupRestart(row.input());
    assert.equal(decision.action === 'recreate-group' ? 'recreate' : decision.reason, row.want);
  });
}

test('decideGroupRestart: the recreation carries leader identity and the upstream event', () => {
  const lws = lwsWith('RecreateGroupOnPodRestart');
  const g = group(lws);
  const decision = decideGroupRestart({
    pod: g.workers[0]!,
    podDeleted: true,
    lws,
    groupPods: g.pods,
    leaderPod: lookup(g.pods),
  });
  assert.equal(decision.action, 'recreate-group');
  if (decision.action !== 'recreate-group') return;
  assert.equal(decision.leaderName, 'test-sample-0');
  assert.equal(decision.leaderUid, 'leader-current');
  assert.equal(decision.groupIndex, '0');
  assert.equal(decision.triggerPod, 'test-sample-0-1');
  assert.equal(decision.lws, lws);
  assert.deepStrictEqual(decision.leaderRef, {
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: 'default',
    name: 'test-sample-0',
    uid: 'leader-current',
  });
  assert.deepStrictEqual(
    { ...decision.event, related: undefined },
    {
      type: 'Normal',
      reason: 'RecreateGroup',
      action: 'Delete',
      note: 'Worker pod test-sample-0-1 failed, deleted leader pod test-sample-0 to recreate group 0',
      related: undefined,
    },
  );
  assert.equal(decision.event.related, g.leader);
});

test('decideGroupRestart: leader deletion in progress is reported so the pod reconciler can stop', () => {
  const lws = lwsWith('RecreateGroupOnPodRestart');
  const g = group(lws);
  const decision = decideGroupRestart({
    pod: deleting(g.workers[0]!),
    lws,
    groupPods: g.pods,
    leaderPod: deleting(g.leader),
  });
  assert.deepStrictEqual(decision, { action: 'none', reason: 'leader-already-deleting', leaderDeleting: true });
});

// [name, group phases (leader first), trigger index, trigger in cache, size, pending]
const pendingRows: [string, string[], number, boolean, number, boolean][] = [
  ['all running', ['Running', 'Running', 'Running'], 1, true, 3, false],
  ['one pending', ['Running', 'Pending', 'Running'], 2, true, 3, true],
  ['trigger gone from the cache still counts', ['Running', 'Running', 'Running'], 1, false, 3, false],
  ['fewer pods than the size', ['Running', 'Running'], 1, true, 3, true],
  ['more pods than the size', ['Running', 'Running', 'Running'], 1, true, 2, true],
];
for (const [name, phases, triggerIndex, inCache, size, want] of pendingRows) {
  test(`groupPending: ${name}`, () => {
    const lws = lwsWith('RecreateGroupAfterStart', { size });
    const leader = running(makeLeaderPod(lws, 0, { revision: 'rev' }));
    const pods = phases.map((phase, i) =>
      i === 0 ? { ...leader, status: { phase } } : worker(lws, leader, i, podRef(leader), phase),
    );
    const trigger = pods[triggerIndex]!;
    const cached = inCache ? pods : pods.filter((_, i) => i !== triggerIndex);
    assert.equal(groupPending(trigger, cached, size), want);
  });
}
