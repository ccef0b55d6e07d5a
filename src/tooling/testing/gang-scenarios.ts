/**
 * @module testing/gang-scenarios
 * The all-or-nothing scenario shared by the gang-scheduling cluster tests (Volcano and native), on a
 * private cluster that starts with one kwok node (32 CPU): a group that needs 40 CPU binds no pod although
 * its leader alone would fit; a small group created after it binds at once; a second node makes the big
 * group bind whole.
 */
import assert from 'node:assert/strict';
import type { KubeObject, Pod } from '../../k8s/client/objects.ts';
import type { GangSchedulerProvider } from '../../lws/core/gang-scheduling.ts';
import { fakeNode } from '../cluster/nodes.ts';
import { queries } from './cluster-queries.ts';
import type { Kubectl } from './kubectl.ts';
import { defaultLws, withChange } from './lws-builder.ts';
import type { PrivateCluster } from './private-cluster.ts';
import { consistently, eventually } from './wait.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';

const PODGROUP_RESOURCE: Record<GangSchedulerProvider, string> = {
  volcano: 'podgroups.scheduling.volcano.sh',
  kubernetes: 'podgroups.scheduling.k8s.io',
};

export async function podGroupsOf(kubectl: Kubectl, ns: string, provider: GangSchedulerProvider = 'volcano') {
  return (await kubectl.json<{ items: KubeObject[] }>('get', PODGROUP_RESOURCE[provider], '-n', ns)).items;
}

/** An LWS of `replicas` groups of `size` pods requesting `cpu` each, placed by `schedulerName`. */
export function gangLws(
  ns: string,
  name: string,
  o: { replicas: number; size: number; cpu: string; schedulerName?: string },
): LeaderWorkerSet {
  return withChange(defaultLws(ns, name), (l) => {
    l.spec.replicas = o.replicas;
    l.spec.leaderWorkerTemplate.size = o.size;
    for (const t of [l.spec.leaderWorkerTemplate.leaderTemplate!, l.spec.leaderWorkerTemplate.workerTemplate]) {
      if (o.schedulerName) t.spec!.schedulerName = o.schedulerName;
      t.spec!.containers[0]!.resources = { requests: { cpu: o.cpu } };
    }
  });
}

const unschedulable = (p: Pod) =>
  p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False') === true;

export interface AllOrNothingTimings {
  /** From creating the big LWS until every pod of it was seen refused by the scheduler. */
  refusedMs: number;
  /** From adding the second node until every pod of the big group was bound. */
  boundAfterNodeMs: number;
}

export async function allOrNothingScenario(
  cluster: PrivateCluster,
  o: { schedulerName?: string; provider: GangSchedulerProvider; log?: (line: string) => void },
): Promise<AllOrNothingTimings> {
  const ns = `gang-${o.provider}`;
  const log = o.log ?? ((l: string) => process.stderr.write(`# ${l}\n`));
  await cluster.kubectl('create', 'namespace', ns);
  const q = queries(cluster.kubectl, ns);
  const podsOf = async (lws: string) => q.pods(`leaderworkerset.sigs.k8s.io/name=${lws}`);

  // 4 × 10 CPU = 40 > 32 on the only node, yet the leader (or three pods) alone would fit.
  const t0 = Date.now();
  await q.create(gangLws(ns, 'big', { replicas: 1, size: 4, cpu: '10', schedulerName: o.schedulerName }));
  await eventually(
    async () => {
      const pods = await podsOf('big');
      assert.equal(pods.length, 4, 'all four pods of the group exist');
      for (const p of pods) assert.ok(unschedulable(p), `${p.metadata.name} was considered and refused`);
    },
    { timeoutMs: 120_000, message: 'the scheduler refuses every pod of the big group' },
  );
  const refusedMs = Date.now() - t0;
  assert.deepEqual(
    (await podsOf('big')).filter((p) => p.spec?.nodeName).map((p) => p.metadata.name),
    [],
    'no pod of the big group is bound',
  );

  // A group that fits is not blocked by the waiting one.
  await q.create(gangLws(ns, 'small', { replicas: 1, size: 2, cpu: '4', schedulerName: o.schedulerName }));
  await eventually(
    async () => {
      const pods = await podsOf('small');
      assert.equal(pods.length, 2);
      for (const p of pods) assert.ok(p.spec?.nodeName, `${p.metadata.name} bound`);
    },
    { timeoutMs: 120_000, message: 'the small group binds' },
  );
  await consistently(
    async () => {
      const bound = (await podsOf('big')).filter((p) => p.spec?.nodeName).map((p) => p.metadata.name);
      assert.deepEqual(bound, [], 'still no pod of the big group bound');
    },
    { durationMs: 5000, intervalMs: 500 },
  );

  // Capacity appears: the whole group binds.
  const t1 = Date.now();
  await cluster.kubectl.withInput(JSON.stringify(fakeNode(1, 2)), 'apply', '-f', '-');
  await eventually(
    async () => {
      const pods = await podsOf('big');
      assert.equal(pods.length, 4);
      for (const p of pods) assert.ok(p.spec?.nodeName, `${p.metadata.name} bound`);
    },
    { timeoutMs: 180_000, message: 'the big group binds whole once a node is added' },
  );
  const boundAfterNodeMs = Date.now() - t1;
  log(
    `all-or-nothing (${o.provider}): refused in ${refusedMs} ms, bound ${boundAfterNodeMs} ms after the node was added`,
  );
  return { refusedMs, boundAfterNodeMs };
}
