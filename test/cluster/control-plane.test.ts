// The local control plane itself: nodes, scheduling, kwok pod lifecycle, StatefulSets and garbage collection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../src/tooling/testing/wait.ts';
import { testKubeconfig, withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import { kubectlFor } from '../../src/tooling/testing/kubectl.ts';

interface List<T> {
  items: T[];
}
interface NodeJson {
  metadata: { name: string; labels: Record<string, string> };
  status: { conditions: Array<{ type: string; status: string }>; allocatable: Record<string, string> };
  spec: { taints?: unknown[] };
}
interface PodJson {
  metadata: { name: string; uid: string };
  status: { phase?: string; conditions?: Array<{ type: string; status: string }> };
  spec: { nodeName?: string };
}

test('four fake nodes are Ready, untainted, in two zones, half with TPUs', async () => {
  const nodes = await kubectlFor(testKubeconfig()).json<List<NodeJson>>('get', 'nodes');
  assert.equal(nodes.items.length, 4);
  for (const n of nodes.items) {
    assert.equal(n.status.conditions.find((c) => c.type === 'Ready')?.status, 'True', `${n.metadata.name} Ready`);
    assert.deepEqual(n.spec.taints ?? [], []);
    assert.equal(n.metadata.labels['kubernetes.io/hostname'], n.metadata.name);
  }
  const zones = new Set(nodes.items.map((n) => n.metadata.labels['topology.kubernetes.io/zone']));
  assert.deepEqual([...zones].sort(), ['zone-a', 'zone-b']);
  const tpuNodes = nodes.items.filter((n) => n.status.allocatable['google.com/tpu'] === '4');
  assert.equal(tpuNodes.length, 2);
});

test('a StatefulSet gets Running/Ready pods, and deleting it garbage-collects them', async () => {
  await withNamespace('cp', async (ns, kubectl) => {
    await kubectl.withInput(
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 3,
          serviceName: 'web',
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        },
      }),
      'apply',
      '-f',
      '-',
    );
    const pods = await eventually(
      async () => {
        const list = await kubectl.json<List<PodJson>>('get', 'pods', '-n', ns);
        assert.equal(list.items.length, 3);
        for (const p of list.items) {
          assert.equal(p.status.phase, 'Running', `${p.metadata.name} phase`);
          assert.equal(p.status.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
          assert.ok(p.spec.nodeName?.startsWith('kwok-node-'), 'scheduled onto a fake node');
        }
        return list.items;
      },
      { timeoutMs: 60_000, message: 'StatefulSet pods Running/Ready' },
    );
    assert.deepEqual(pods.map((p) => p.metadata.name).sort(), ['web-0', 'web-1', 'web-2']);

    await kubectl('delete', 'statefulset', 'web', '-n', ns, '--wait=false');
    await eventually(
      async () => assert.equal((await kubectl.json<List<PodJson>>('get', 'pods', '-n', ns)).items.length, 0),
      { timeoutMs: 60_000, message: 'pods garbage-collected' },
    );
  });
});

test('a deleted pod is replaced by its StatefulSet with a new UID (kwok honours deletion)', async () => {
  await withNamespace('cp', async (ns, kubectl) => {
    await kubectl.withInput(
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'one', namespace: ns },
        spec: {
          replicas: 1,
          serviceName: 'one',
          selector: { matchLabels: { app: 'one' } },
          template: { metadata: { labels: { app: 'one' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        },
      }),
      'apply',
      '-f',
      '-',
    );
    const first = await eventually(async () => {
      const p = await kubectl.json<PodJson>('get', 'pod', 'one-0', '-n', ns);
      assert.equal(p.status.phase, 'Running');
      return p;
    });
    await kubectl('delete', 'pod', 'one-0', '-n', ns, '--wait=false');
    await eventually(async () => {
      const p = await kubectl.json<PodJson>('get', 'pod', 'one-0', '-n', ns);
      assert.notEqual(p.metadata.uid, first.metadata.uid);
      assert.equal(p.status.phase, 'Running');
    });
  });
});
