// Probes and metrics of `lwsctl controller` on a private cluster: /readyz fails until the caches have
// synced (the apiserver is down at start) and passes after; /metrics is HTTPS behind TokenReview +
// SubjectAccessReview (401 without a token, 403 without RBAC, 200 for a metrics reader) and carries
// controller-runtime's metric names plus our LWS metrics.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { join } from 'node:path';
import { startComponent, stopComponent } from '../../src/tooling/cluster/components.ts';
import { httpGet } from '../../src/tooling/cluster/health.ts';
import { LEADERWORKERSETS } from '../../src/lws/api/resources.ts';
import { defaultLws } from '../../src/tooling/testing/lws-builder.ts';
import { ManagerProcess } from '../../src/tooling/testing/manager-process.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import {
  registerWebhooks,
  waitAvailable,
  writeServingCertificate,
} from '../../src/tooling/testing/runtime-fixtures.ts';
import { consistently, eventually } from '../../src/tooling/testing/wait.ts';

let cluster: PrivateCluster;
let controller: ManagerProcess | undefined;
const NS = 'apps';

before(async () => {
  cluster = await startPrivateCluster('obs');
  await cluster.kubectl('create', 'namespace', 'lws-system');
  await cluster.kubectl('create', 'namespace', NS);
});
after(async () => {
  await controller?.stop();
  await cluster?.down();
});

function scrape(port: number, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/metrics',
        rejectUnauthorized: false, // a self-signed certificate, as controller-runtime generates
        headers: token ? { authorization: `Bearer ${token}` } : {},
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('probes and metrics', { timeout: 300_000 }, () => {
  test('/readyz fails before the caches have synced and passes after; /healthz passes throughout', async (t) => {
    const certDir = join(cluster.dir, 'webhook-certs');
    const { ca } = await writeServingCertificate(certDir);
    await stopComponent(cluster.name, 'kube-apiserver');
    controller = await ManagerProcess.start({
      cluster,
      id: 'obs',
      certDir,
      config: 'internalCertManagement:\n  enable: false\n',
    });
    const probe = controller;
    // Not ready for the caches alone once the certificate is loaded (loading it races the first probes).
    const notReady = await eventually(
      async () => {
        const r = await probe.readyz();
        assert.equal(r.status, 500);
        assert.match(r.body, /\[\+\]webhook-certs ok/);
        return r.body;
      },
      { timeoutMs: 60_000 },
    );
    assert.match(notReady, /\[-\]informer-sync failed: reason withheld/);
    await consistently(async () => assert.equal((await probe.readyz()).status, 500), {
      durationMs: 3000,
      intervalMs: 500,
    });
    assert.equal((await httpGet(`http://127.0.0.1:${probe.ports.health}/healthz`)).status, 200);

    await startComponent(cluster.name, 'kube-apiserver');
    const backAt = Date.now();
    const ready = await eventually(
      async () => {
        const r = await probe.readyz();
        assert.equal(r.status, 200, r.body);
        return r.body;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    t.diagnostic(`ready ${Date.now() - backAt} ms after the apiserver came up`);
    assert.match(ready, /\[\+\]informer-sync ok/);
    await registerWebhooks(cluster.client, `https://127.0.0.1:${probe.ports.webhook}`, ca.certPem);
  });

  test('/metrics: 401 without a token, 403 without RBAC, the metric names for a metrics reader', async () => {
    const c = controller!;
    await c.waitForLog('Successfully acquired lease', 90_000);
    await cluster.client.create(LEADERWORKERSETS, defaultLws(NS, 'm') as never);
    await waitAvailable(cluster.client, NS, 'm', 2);
    // A worker pod deleted: RecreateGroupOnPodRestart recreates its group (counted by reason).
    await cluster.kubectl('delete', 'pod', 'm-0-1', '-n', NS, '--wait=false');

    await cluster.kubectl('create', 'serviceaccount', 'scraper', '-n', 'lws-system');
    await cluster.kubectl('create', 'serviceaccount', 'nobody', '-n', 'lws-system');
    await cluster.kubectl('create', 'clusterrole', 'lws-metrics-reader', '--verb=get', '--non-resource-url=/metrics');
    await cluster.kubectl(
      'create',
      'clusterrolebinding',
      'scraper-metrics',
      '--clusterrole=lws-metrics-reader',
      '--serviceaccount=lws-system:scraper',
    );
    const token = async (sa: string) => (await cluster.kubectl('create', 'token', sa, '-n', 'lws-system')).trim();

    assert.deepEqual(await scrape(c.ports.metrics), { status: 401, body: 'Unauthorized\n' });
    assert.deepEqual(await scrape(c.ports.metrics, 'not-a-token'), { status: 401, body: 'Unauthorized\n' });
    assert.deepEqual(await scrape(c.ports.metrics, await token('nobody')), {
      status: 403,
      body: 'Authorization denied for user system:serviceaccount:lws-system:nobody\n',
    });
    const reader = await token('scraper');
    const body = await eventually(
      async () => {
        const r = await scrape(c.ports.metrics, reader);
        assert.equal(r.status, 200, r.body);
        assert.match(
          r.body,
          /^lws_group_recreations_total\{namespace="apps",leaderworkerset="m",reason="PodDeleted"\} 1$/m,
        );
        return r.body;
      },
      { timeoutMs: 60_000 },
    );
    for (const name of [
      'controller_runtime_reconcile_total{controller="leaderworkerset",result="success"}',
      'controller_runtime_reconcile_errors_total{controller="pod"}',
      'controller_runtime_reconcile_time_seconds_bucket{',
      'controller_runtime_active_workers{',
      'workqueue_depth{name="leaderworkerset",controller="leaderworkerset"}',
      'workqueue_adds_total{',
      'workqueue_queue_duration_seconds_bucket{',
      'workqueue_work_duration_seconds_bucket{',
      'workqueue_retries_total{',
      'workqueue_unfinished_work_seconds{',
      'workqueue_longest_running_processor_seconds{',
      'rest_client_requests_total{code="200",method="GET",host="127.0.0.1:',
      'controller_runtime_webhook_requests_total{webhook="/mutate--v1-pod",code="200"}',
      'controller_runtime_webhook_latency_seconds_count{webhook="/validate-leaderworkerset-x-k8s-io-v1-leaderworkerset"}',
      'controller_runtime_webhook_requests_in_flight{',
      'leader_election_master_status{name="b8b2488c.x-k8s.io"} 1',
      'process_cpu_seconds_total ',
      'process_resident_memory_bytes ',
      'process_start_time_seconds ',
      'lws_groups{namespace="apps",leaderworkerset="m",state="ready"}',
      'lws_groups{namespace="apps",leaderworkerset="m",state="progressing"}',
      'lws_groups{namespace="apps",leaderworkerset="m",state="updating"}',
      'lws_rollout_progress_ratio{namespace="apps",leaderworkerset="m"}',
    ]) {
      assert.ok(body.includes(name), `missing ${name}`);
    }
  });
});
