// Gang scheduling with upstream's Volcano provider against a real Volcano (vc-scheduler and
// vc-controller-manager v1.10.0, `cluster up --scheduler volcano`) on a private one-node cluster (32 CPU):
// all-or-nothing placement of a group, PodGroups following their groups (recreation, scale down, rolling
// update, deletion), and the controller refusing to start when Volcano's API is missing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import { startController, stopController } from '../../src/tooling/testing/controller-process.ts';
import { adoptProcess } from '../../src/tooling/cluster/state.ts';
import { allOrNothingScenario, gangLws, podGroupsOf } from '../../src/tooling/testing/gang-scenarios.ts';
import { queries } from '../../src/tooling/testing/cluster-queries.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';
import { ManagerProcess } from '../../src/tooling/testing/manager-process.ts';
import { TEST_CLUSTER_NAME } from '../../src/tooling/testing/cluster-fixture.ts';
import { clusterDir, readState } from '../../src/tooling/cluster/state.ts';
import * as keys from '../../src/lws/api/keys.ts';

let cluster: PrivateCluster;

before(async () => {
  cluster = await startPrivateCluster('volcano', { nodes: 1, scheduler: 'volcano' });
  const log = join(cluster.dir, 'logs', 'lwsctl-run.log');
  const pid = await startController(cluster.kubeconfig, log, 120_000, ['--scheduler-provider', 'volcano']);
  await adoptProcess(cluster.name, { component: 'lwsctl-run', pid, binary: process.execPath, log });
});

after(async () => {
  await stopController();
  await cluster?.down();
});

describe('Volcano gang scheduling', { timeout: 15 * 60_000 }, () => {
  test('all-or-nothing: a group that does not fit binds no pod, fits after a node is added; others are not blocked', async () => {
    await allOrNothingScenario(cluster, { schedulerName: 'volcano', provider: 'volcano' });
  });

  test('PodGroups follow their groups: recreation, scale down, rolling update, deletion; none leak', async () => {
    const ns = 'follow';
    await cluster.kubectl('create', 'namespace', ns);
    const q = queries(cluster.kubectl, ns);
    const lws = withChange(defaultLws(ns, 'pg'), (l) => {
      l.spec.replicas = 3;
      for (const t of [l.spec.leaderWorkerTemplate.leaderTemplate!, l.spec.leaderWorkerTemplate.workerTemplate]) {
        t.spec!.schedulerName = 'volcano';
        t.spec!.containers[0]!.resources = { requests: { cpu: '1' } };
      }
    });
    await q.create(lws);
    const groups = async () => (await podGroupsOf(cluster.kubectl, ns)).map((g) => g.metadata.name).sort();
    const revisionOf = async () =>
      (await q.pods('leaderworkerset.sigs.k8s.io/worker-index=0'))[0]!.metadata.labels![keys.REVISION_KEY_LABEL]!;
    const ready = async (n: number) =>
      eventually(
        async () => {
          const l = await q.lws('pg');
          assert.equal(l.status?.readyReplicas, n);
          assert.equal(l.status?.updatedReplicas, n);
        },
        { timeoutMs: 180_000, message: `${n} groups ready` },
      );
    await ready(3);
    const r1 = await revisionOf();
    await eventually(async () =>
      assert.deepEqual(
        await groups(),
        [0, 1, 2].map((i) => `pg-${i}-${r1}`),
      ),
    );

    // Group recreation: a worker pod deleted → the group is recreated with a new leader; its PodGroup (same
    // name) is the new leader's, the old one is collected with the old leader.
    const oldLeader = (await q.pods()).find((p) => p.metadata.name === 'pg-1')!;
    await cluster.kubectl('delete', 'pod', 'pg-1-1', '-n', ns, '--wait=false');
    await eventually(
      async () => {
        const pg = (await podGroupsOf(cluster.kubectl, ns)).find((g) => g.metadata.name === `pg-1-${r1}`);
        const leader = (await q.pods()).find((p) => p.metadata.name === 'pg-1');
        assert.ok(leader && leader.metadata.uid !== oldLeader.metadata.uid, 'a new leader');
        assert.equal(pg?.metadata.ownerReferences?.[0]?.uid, leader.metadata.uid, 'owned by the new leader');
      },
      { timeoutMs: 180_000, message: 'the recreated group has its own PodGroup' },
    );
    await ready(3);

    // Scale down: the removed group's PodGroup goes with its leader.
    await cluster.kubectl('scale', 'leaderworkerset', 'pg', '-n', ns, '--replicas=2');
    await eventually(
      async () =>
        assert.deepEqual(
          await groups(),
          [0, 1].map((i) => `pg-${i}-${r1}`),
        ),
      {
        timeoutMs: 120_000,
      },
    );

    // Rolling update: every group gets a PodGroup of the new revision, the old ones are gone.
    await cluster.kubectl(
      'patch',
      'leaderworkerset',
      'pg',
      '-n',
      ns,
      '--type=json',
      '-p',
      JSON.stringify([
        { op: 'replace', path: '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/image', value: 'nginx:2' },
      ]),
    );
    await eventually(
      async () => {
        const r2 = await revisionOf();
        assert.notEqual(r2, r1);
        const l = await q.lws('pg');
        assert.equal(l.status?.updatedReplicas, 2);
        assert.equal(l.status?.readyReplicas, 2);
        assert.deepEqual(
          await groups(),
          [0, 1].map((i) => `pg-${i}-${r2}`),
        );
      },
      { timeoutMs: 240_000, message: 'rolling update with new PodGroups' },
    );

    // Deletion: nothing left behind.
    await cluster.kubectl('delete', 'leaderworkerset', 'pg', '-n', ns, '--cascade=foreground', '--wait=false');
    await eventually(async () => assert.deepEqual(await groups(), []), {
      timeoutMs: 120_000,
      message: 'no PodGroup left',
    });
  });
});

describe('Volcano API removed while the controller runs', { timeout: 10 * 60_000 }, () => {
  test('the LWS gets a FailedCreate warning naming the PodGroup API; no pod is bound', async () => {
    const ns = 'gone';
    await cluster.kubectl('create', 'namespace', ns);
    await cluster.kubectl('delete', 'crd', 'podgroups.scheduling.volcano.sh');
    const q = queries(cluster.kubectl, ns);
    await q.create(gangLws(ns, 'orphan', { replicas: 1, size: 2, cpu: '1', schedulerName: 'volcano' }));
    await eventually(
      async () => {
        const notes = (await q.events())
          .filter((e) => e.reason === 'FailedCreate' && e.regarding?.name === 'orphan')
          .map((e) => e.note ?? '');
        assert.ok(
          notes.some((n) =>
            n.startsWith(
              'Failed to create podgroups (scheduling.volcano.sh/v1beta1, gang scheduling provider volcano) for leader pod orphan-0:',
            ),
          ),
          `events: ${JSON.stringify(notes)}`,
        );
      },
      { timeoutMs: 120_000, message: 'a FailedCreate event names the missing PodGroup API' },
    );
    assert.deepEqual(
      (await q.pods()).filter((p) => p.spec?.nodeName).map((p) => p.metadata.name),
      [],
      'no pod bound without its PodGroup',
    );
  });
});

describe('Volcano provider configured without Volcano', () => {
  test('lwsctl controller stops at start-up naming the missing API', async () => {
    // The run's shared cluster has no Volcano CRDs.
    const state = await readState(TEST_CLUSTER_NAME);
    assert.ok(state, 'the shared test cluster is up');
    const manager = await ManagerProcess.start({
      cluster: { name: TEST_CLUSTER_NAME, kubeconfig: state.kubeconfig, dir: clusterDir(TEST_CLUSTER_NAME) },
      id: 'gang-missing',
      config: 'leaderElection:\n  leaderElect: false\ngangSchedulingManagement:\n  schedulerProvider: volcano\n',
    });
    try {
      const code = await manager.exited;
      assert.notEqual(code, 0);
      assert.match(
        manager.tail(20),
        /gangSchedulingManagement\.schedulerProvider \\?"volcano\\?": the cluster does not serve podgroups\.scheduling\.volcano\.sh\/v1beta1/,
      );
    } finally {
      await manager.stop();
    }
  });
});
