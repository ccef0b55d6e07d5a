// Group semantics against the real control plane: startup ordering, group restarts, exclusive
// placement, subgroups and TPU environment.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consistently, eventually } from '../../src/tooling/testing/wait.ts';
import { withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { queries, names, isRunningReady } from '../../src/tooling/testing/cluster-queries.ts';
import type { Pod } from '../../src/k8s/client/objects.ts';
import * as keys from '../../src/lws/api/keys.ts';

const uids = (pods: Pod[]) => Object.fromEntries(pods.map((p) => [p.metadata.name, p.metadata.uid]));
const READY_DELAY = 'pod-ready.stage.kwok.x-k8s.io/delay';

describe('group semantics', () => {
  test('LeaderReady: no worker StatefulSet until the leader pod is Ready', async () => {
    await withNamespace('grp', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(
        withChange(defaultLws(ns), (l) => {
          l.spec.replicas = 1;
          l.spec.startupPolicy = 'LeaderReady';
          l.spec.leaderWorkerTemplate.leaderTemplate!.metadata = { annotations: { [READY_DELAY]: '4s' } };
        }),
      );
      const leader = await eventually(async () => {
        const p = (await q.pods()).find((p) => p.metadata.name === 'test-sample-0');
        assert.ok(p, 'leader created');
        return p;
      });
      if (!isRunningReady(leader)) {
        assert.deepEqual(names(await q.statefulSets()), ['test-sample'], 'no worker STS while the leader is not Ready');
      }
      await eventually(async () => {
        const pods = await q.pods();
        assert.ok(isRunningReady(pods.find((p) => p.metadata.name === 'test-sample-0')!));
        assert.deepEqual(names(await q.statefulSets()), ['test-sample', 'test-sample-0']);
      });
      const sts = (await q.statefulSets()).find((s) => s.metadata.name === 'test-sample-0')!;
      const leaderNow = (await q.pods()).find((p) => p.metadata.name === 'test-sample-0')!;
      const readyAt = Date.parse(leaderNow.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime!);
      assert.ok(
        Date.parse(sts.metadata.creationTimestamp!) >= readyAt - 1000,
        'worker STS created after the leader became Ready',
      );
    });
  });

  test('deleting one worker pod replaces the whole group exactly once', async () => {
    await withNamespace('grp', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(
        withChange(defaultLws(ns), (l) => ((l.spec.leaderWorkerTemplate.size = 3), (l.spec.replicas = 1))),
      );
      const before = await eventually(async () => {
        const pods = await q.pods();
        assert.equal(pods.filter(isRunningReady).length, 3);
        return uids(pods);
      });
      await kubectl('delete', 'pod', 'test-sample-0-1', '-n', ns, '--wait=false');
      const leaderUids = new Set<string>();
      await eventually(async () => {
        const pods = await q.pods();
        for (const p of pods) if (p.metadata.name === 'test-sample-0') leaderUids.add(p.metadata.uid!);
        assert.equal(pods.filter(isRunningReady).length, 3);
        const now = uids(pods);
        for (const name of Object.keys(before)) assert.notEqual(now[name], before[name], `${name} replaced`);
      });
      // No second recreation afterwards.
      const settled = uids(await q.pods());
      await consistently(async () => assert.deepEqual(uids(await q.pods()), settled), {
        durationMs: 3000,
        intervalMs: 500,
      });
      const recreations = (await q.events()).filter((e) => e.reason === 'RecreateGroup');
      assert.equal(recreations.length, 1, 'one RecreateGroup event');
      assert.equal(
        recreations[0]!.note,
        'Worker pod test-sample-0-1 failed, deleted leader pod test-sample-0 to recreate group 0',
      );
    });
  });

  test('a container restart (restartCount > 0) recreates the group', async () => {
    await withNamespace('grp', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(withChange(defaultLws(ns), (l) => (l.spec.replicas = 1)));
      const before = await eventually(async () => {
        const pods = await q.pods();
        assert.equal(pods.filter(isRunningReady).length, 2);
        return uids(pods);
      });
      const worker = await kubectl.json<Pod>('get', 'pod', 'test-sample-0-1', '-n', ns);
      const statuses = worker.status!.containerStatuses!.map((s) => ({ ...s, restartCount: 1 }));
      await kubectl(
        'patch',
        'pod',
        'test-sample-0-1',
        '-n',
        ns,
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status: { containerStatuses: statuses } }),
      );
      await eventually(async () => {
        const now = uids(await q.pods());
        assert.notEqual(now['test-sample-0'], before['test-sample-0'], 'leader replaced');
        assert.notEqual(now['test-sample-0-1'], before['test-sample-0-1'], 'worker replaced');
      });
    });
  });

  test('restartPolicy None: only the deleted pod is replaced', async () => {
    await withNamespace('grp', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(
        withChange(defaultLws(ns), (l) => {
          l.spec.replicas = 1;
          l.spec.leaderWorkerTemplate.size = 3;
          l.spec.leaderWorkerTemplate.restartPolicy = 'None';
        }),
      );
      const before = await eventually(async () => {
        const pods = await q.pods();
        assert.equal(pods.filter(isRunningReady).length, 3);
        return uids(pods);
      });
      await kubectl('delete', 'pod', 'test-sample-0-1', '-n', ns, '--wait=false');
      await eventually(async () => {
        const pods = await q.pods();
        assert.equal(pods.filter(isRunningReady).length, 3);
        const now = uids(pods);
        assert.notEqual(now['test-sample-0-1'], before['test-sample-0-1']);
      });
      const now = uids(await q.pods());
      assert.equal(now['test-sample-0'], before['test-sample-0'], 'leader kept');
      assert.equal(now['test-sample-0-2'], before['test-sample-0-2'], 'other worker kept');
    });
  });

  test('RecreateGroupAfterStart: a group with a Pending pod is not recreated', async () => {
    await withNamespace('grp', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(
        withChange(defaultLws(ns), (l) => {
          l.spec.replicas = 1;
          l.spec.leaderWorkerTemplate.size = 3;
          l.spec.leaderWorkerTemplate.restartPolicy = 'RecreateGroupAfterStart';
          // Workers stay Pending (kwok makes them Ready only after an hour).
          l.spec.leaderWorkerTemplate.workerTemplate.metadata = { annotations: { [READY_DELAY]: '1h' } };
        }),
      );
      const before = await eventually(async () => {
        const pods = await q.pods();
        assert.equal(pods.length, 3);
        assert.ok(isRunningReady(pods[0]!), 'leader Ready');
        assert.ok(
          pods.slice(1).every((p) => p.status?.phase === 'Pending' && p.spec?.nodeName),
          'workers scheduled, Pending',
        );
        return uids(pods);
      });
      await kubectl('delete', 'pod', 'test-sample-0-1', '-n', ns, '--wait=false');
      await eventually(async () => {
        const now = uids(await q.pods());
        assert.ok(now['test-sample-0-1'] && now['test-sample-0-1'] !== before['test-sample-0-1'], 'worker replaced');
      });
      await consistently(async () => assert.equal(uids(await q.pods())['test-sample-0'], before['test-sample-0']), {
        durationMs: 2000,
      });
    });
  });

  test('exclusive placement: a group shares one node pool and two groups never share one', async () => {
    await withNamespace('grp', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      const poolKey = 'cloud.google.com/gke-nodepool';
      await q.create(
        withChange(defaultLws(ns), (l) => {
          l.metadata.annotations = { [keys.EXCLUSIVE_KEY_ANNOTATION]: poolKey };
        }),
      );
      const nodes = await kubectl.json<{
        items: Array<{ metadata: { name: string; labels: Record<string, string> } }>;
      }>('get', 'nodes');
      const poolOf = Object.fromEntries(nodes.items.map((n) => [n.metadata.name, n.metadata.labels[poolKey]]));
      await eventually(async () => {
        const pods = await q.pods();
        assert.equal(pods.filter(isRunningReady).length, 4);
        const pools = (g: string) =>
          new Set(
            pods.filter((p) => p.metadata.labels?.[keys.GROUP_INDEX_LABEL] === g).map((p) => poolOf[p.spec!.nodeName!]),
          );
        const [a, b] = [pools('0'), pools('1')];
        assert.equal(a.size, 1, 'group 0 in one pool');
        assert.equal(b.size, 1, 'group 1 in one pool');
        assert.notDeepEqual([...a], [...b], 'different pools');
      });
      const worker = (await q.statefulSets()).find((s) => s.metadata.name === 'test-sample-0')!;
      assert.deepEqual(Object.keys(worker.spec!.template.spec!.nodeSelector ?? {}), [poolKey]);
    });
  });

  test('subgroups with TPUs: subgroup labels and TPU environment', async () => {
    await withNamespace('grp', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      const tpu = { limits: { 'google.com/tpu': '4' }, requests: { 'google.com/tpu': '4' } };
      await q.create(
        withChange(defaultLws(ns), (l) => {
          l.spec.replicas = 1;
          l.spec.leaderWorkerTemplate.size = 5;
          l.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupSize: 2, subGroupPolicyType: 'LeaderExcluded' };
          l.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.resources = tpu;
        }),
      );
      const pods = await eventually(async () => {
        const pods = await q.pods();
        assert.equal(pods.length, 5);
        return pods;
      });
      const label = (name: string, key: string) => pods.find((p) => p.metadata.name === name)?.metadata.labels?.[key];
      const env = (name: string, key: string) =>
        pods.find((p) => p.metadata.name === name)?.spec?.containers[0]?.env?.find((e) => e.name === key)?.value;
      // LeaderExcluded: the leader (no TPUs) has no subgroup; workers 1-2 form subgroup 0, workers 3-4 subgroup 1.
      assert.equal(label('test-sample-0', keys.SUBGROUP_INDEX_LABEL), undefined);
      assert.equal(label('test-sample-0-1', keys.SUBGROUP_INDEX_LABEL), '0');
      assert.equal(label('test-sample-0-2', keys.SUBGROUP_INDEX_LABEL), '0');
      assert.equal(label('test-sample-0-3', keys.SUBGROUP_INDEX_LABEL), '1');
      assert.equal(label('test-sample-0-4', keys.SUBGROUP_INDEX_LABEL), '1');
      assert.equal(
        env('test-sample-0-3', 'TPU_WORKER_HOSTNAMES'),
        'test-sample-0-3.test-sample,test-sample-0-4.test-sample',
      );
      assert.equal(env('test-sample-0-3', 'TPU_WORKER_ID'), '0');
      assert.equal(env('test-sample-0-4', 'TPU_WORKER_ID'), '1');
      assert.equal(
        env('test-sample-0-1', 'TPU_WORKER_HOSTNAMES'),
        'test-sample-0-1.test-sample,test-sample-0-2.test-sample',
      );
    });
  });
});
