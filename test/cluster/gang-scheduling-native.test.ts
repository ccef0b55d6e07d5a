// Gang scheduling with our kubernetes provider (KEP-666's name): Kubernetes 1.36's own Workload/PodGroup API
// (scheduling.k8s.io/v1alpha2) and the real kube-scheduler with GenericWorkload + GangScheduling
// (`cluster up --scheduler native`), on a private one-node cluster (32 CPU): the same all-or-nothing
// scenario as Volcano's, the per-group Workload/PodGroup lifecycle, and the start-up refusal without the API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import { startController, stopController } from '../../src/tooling/testing/controller-process.ts';
import { adoptProcess, clusterDir, readState } from '../../src/tooling/cluster/state.ts';
import { allOrNothingScenario, gangLws, podGroupsOf } from '../../src/tooling/testing/gang-scenarios.ts';
import { queries } from '../../src/tooling/testing/cluster-queries.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';
import { ManagerProcess } from '../../src/tooling/testing/manager-process.ts';
import { TEST_CLUSTER_NAME } from '../../src/tooling/testing/cluster-fixture.ts';
import type { KubeObject } from '../../src/k8s/client/objects.ts';
import * as keys from '../../src/lws/api/keys.ts';

let cluster: PrivateCluster;

before(async () => {
  cluster = await startPrivateCluster('native', { nodes: 1, scheduler: 'native' });
  const log = join(cluster.dir, 'logs', 'lwsctl-run.log');
  const pid = await startController(cluster.kubeconfig, log, 120_000, ['--scheduler-provider', 'kubernetes']);
  await adoptProcess(cluster.name, { component: 'lwsctl-run', pid, binary: process.execPath, log });
});

after(async () => {
  await stopController();
  await cluster?.down();
});

describe('native gang scheduling (scheduling.k8s.io/v1alpha2, kube-scheduler)', { timeout: 15 * 60_000 }, () => {
  test('all-or-nothing: a group that does not fit binds no pod, fits after a node is added; others are not blocked', async () => {
    await allOrNothingScenario(cluster, { provider: 'kubernetes' });
  });

  test('each group has its Workload and PodGroup (gang minCount), pods point at it, all go with the LWS', async () => {
    const ns = 'native-follow';
    await cluster.kubectl('create', 'namespace', ns);
    const q = queries(cluster.kubectl, ns);
    await q.create(gangLws(ns, 'nf', { replicas: 2, size: 3, cpu: '1' }));
    const workloads = async () =>
      (await cluster.kubectl.json<{ items: KubeObject[] }>('get', 'workloads.scheduling.k8s.io', '-n', ns)).items;
    await eventually(
      async () => {
        const l = await q.lws('nf');
        assert.equal(l.status?.readyReplicas, 2);
        const leaders = await q.pods('leaderworkerset.sigs.k8s.io/worker-index=0');
        const rev = leaders[0]!.metadata.labels![keys.REVISION_KEY_LABEL]!;
        const expected = [`nf-0-${rev}`, `nf-1-${rev}`];
        const groups = await podGroupsOf(cluster.kubectl, ns, 'kubernetes');
        assert.deepEqual(groups.map((g) => g.metadata.name).sort(), expected);
        assert.deepEqual((await workloads()).map((w) => w.metadata.name).sort(), expected);
        for (const g of groups) {
          const spec = (g as unknown as { spec: { schedulingPolicy: { gang: { minCount: number } } } }).spec;
          assert.equal(spec.schedulingPolicy.gang.minCount, 3);
          const leader = leaders.find((p) => g.metadata.name!.startsWith(`${p.metadata.name}-`))!;
          assert.equal(g.metadata.ownerReferences?.[0]?.uid, leader.metadata.uid);
        }
        for (const p of await q.pods()) {
          const group = (p.spec as unknown as { schedulingGroup?: { podGroupName?: string } }).schedulingGroup;
          assert.equal(group?.podGroupName, `nf-${p.metadata.labels![keys.GROUP_INDEX_LABEL]}-${rev}`);
        }
      },
      { timeoutMs: 180_000, message: 'two ready groups with their Workloads and PodGroups' },
    );
    await cluster.kubectl('delete', 'leaderworkerset', 'nf', '-n', ns, '--cascade=foreground', '--wait=false');
    await eventually(
      async () => {
        assert.deepEqual(await podGroupsOf(cluster.kubectl, ns, 'kubernetes'), []);
        assert.deepEqual(await workloads(), []);
      },
      { timeoutMs: 120_000, message: 'no Workload or PodGroup left' },
    );
  });
});

describe('kubernetes provider configured without the API', () => {
  test(
    'lwsctl controller stops at start-up naming the missing API and the flags that serve it',
    { timeout: 120_000 },
    async () => {
      // The run's shared cluster serves no scheduling.k8s.io/v1alpha2.
      const state = await readState(TEST_CLUSTER_NAME);
      assert.ok(state, 'the shared test cluster is up');
      const manager = await ManagerProcess.start({
        cluster: { name: TEST_CLUSTER_NAME, kubeconfig: state.kubeconfig, dir: clusterDir(TEST_CLUSTER_NAME) },
        id: 'gang-native-missing',
        config: 'leaderElection:\n  leaderElect: false\ngangSchedulingManagement:\n  schedulerProvider: kubernetes\n',
      });
      try {
        assert.notEqual(await manager.exited, 0);
        assert.match(
          manager.tail(20),
          /gangSchedulingManagement\.schedulerProvider \\?"kubernetes\\?": the cluster does not serve workloads\.scheduling\.k8s\.io\/v1alpha2; enable it on kube-apiserver: --runtime-config=scheduling\.k8s\.io\/v1alpha2=true/,
        );
      } finally {
        await manager.stop();
      }
    },
  );
});
