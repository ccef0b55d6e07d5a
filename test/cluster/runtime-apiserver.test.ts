// Watches that survive: an `lwsctl controller` keeps working through a kube-apiserver restart while
// LeaderWorkerSets are being changed, and after etcd compaction makes its resourceVersions expire (410 Gone)
// it relists without missing a change. The private cluster runs the apiserver without its watch cache,
// so watches go straight to etcd and only the compaction can expire them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startComponent, stopComponent } from '../../src/tooling/cluster/components.ts';
import { compactEtcd } from '../../src/tooling/cluster/etcd.ts';
import { LEADERWORKERSETS } from '../../src/lws/api/resources.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { ManagerProcess } from '../../src/tooling/testing/manager-process.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import {
  registerWebhooks,
  waitAvailable,
  writeServingCertificate,
} from '../../src/tooling/testing/runtime-fixtures.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';

let cluster: PrivateCluster;
let controller: ManagerProcess;
const NS = 'apps';

before(async () => {
  cluster = await startPrivateCluster('api', { apiserverArgs: ['--watch-cache=false'] });
  await cluster.kubectl('create', 'namespace', 'lws-system');
  await cluster.kubectl('create', 'namespace', NS);
  const certDir = join(cluster.dir, 'webhook-certs');
  const { ca } = await writeServingCertificate(certDir);
  controller = await ManagerProcess.start({
    cluster,
    id: 'a',
    certDir,
    config: 'internalCertManagement:\n  enable: false\n',
    args: ['--metrics-secure=false'],
  });
  await controller.waitForLog('Successfully acquired lease', 90_000);
  await registerWebhooks(cluster.client, `https://127.0.0.1:${controller.ports.webhook}`, ca.certPem);
});
after(async () => {
  await controller?.stop();
  await cluster?.down();
});

const create = (name: string, replicas: number) =>
  cluster.client.create(
    LEADERWORKERSETS,
    withChange(defaultLws(NS, name), (l) => (l.spec.replicas = replicas)) as never,
  );
const scale = (name: string, replicas: number) =>
  cluster.kubectl('scale', 'leaderworkerset', name, '-n', NS, `--replicas=${replicas}`);

describe('watches that survive', { timeout: 400_000 }, () => {
  test('a kube-apiserver restart while LWS are being changed: reconverges without restarting', async (t) => {
    const pid = controller.pid;
    await create('steady', 2);
    await waitAvailable(cluster.client, NS, 'steady', 2);
    await scale('steady', 3); // in flight while the apiserver goes away
    await stopComponent(cluster.name, 'kube-apiserver');
    await new Promise((r) => setTimeout(r, 3000));
    await startComponent(cluster.name, 'kube-apiserver');
    const backAt = Date.now();
    await scale('steady', 4);
    await create('after', 2);
    await waitAvailable(cluster.client, NS, 'steady', 4, 180_000);
    await waitAvailable(cluster.client, NS, 'after', 2, 180_000);
    t.diagnostic(`converged ${Date.now() - backAt} ms after the apiserver was back`);
    assert.equal(controller.running, true, 'the controller did not exit');
    assert.equal(controller.pid, pid, 'and was not restarted');
    assert.ok(
      controller.lines().some((l) => l.msg === 'Watch failed' || l.msg === 'List failed'),
      'it did notice the outage',
    );
  });

  test('etcd compaction: the watch gets 410 Gone, the informer relists and no change is missed', async (t) => {
    await create('shrink', 3);
    await create('doomed', 1);
    await waitAvailable(cluster.client, NS, 'shrink', 3);
    await waitAvailable(cluster.client, NS, 'doomed', 1);
    const before = controller.lines().length;

    // Frozen, the controller cannot follow; its connections die with the apiserver restart.
    controller.signal('SIGSTOP');
    try {
      await stopComponent(cluster.name, 'kube-apiserver');
      await startComponent(cluster.name, 'kube-apiserver');
      await scale('shrink', 1); // scale subresource and delete: no webhook call to the frozen controller
      await cluster.kubectl('delete', 'leaderworkerset', 'doomed', '-n', NS, '--wait=false');
      const revision = await compactEtcd(cluster.name);
      t.diagnostic(`etcd compacted at revision ${revision}`);
    } finally {
      controller.signal('SIGCONT');
    }

    const relisted = await eventually(
      () => {
        const line = controller
          .lines()
          .slice(before)
          .find(
            (l) =>
              l.msg === 'Resource version expired; relisting' && String(l.informer).startsWith('leaderworkersets.'),
          );
        assert.ok(line, 'the LeaderWorkerSet informer relisted after 410 Gone');
        return line;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    t.diagnostic(`relisted from resourceVersion ${String(relisted.resourceVersion)}`);
    await waitAvailable(cluster.client, NS, 'shrink', 1, 180_000);
    await eventually(
      async () => {
        const text = await controller.metrics();
        assert.match(text, /lws_groups\{namespace="apps",leaderworkerset="shrink",state="ready"\} 1/);
        assert.doesNotMatch(text, /leaderworkerset="doomed"/, 'the deleted LWS left the cache');
      },
      { timeoutMs: 60_000 },
    );
    const sts = await cluster.kubectl.json<{ spec: { replicas: number } }>('get', 'statefulset', 'shrink', '-n', NS);
    assert.equal(sts.spec.replicas, 1, 'the leader StatefulSet followed the scale-down made while not watching');
  });
});
