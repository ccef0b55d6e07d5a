// Leader election between `lwsctl controller` replicas on a private cluster: exactly one reconciles, the
// standby takes over after a kill -9 (within 20 s) or at once after a graceful shutdown (lease released),
// and webhooks are served by every replica.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LEASES } from '../../src/k8s/client/resources.ts';
import type { Lease } from '../../src/k8s/runtime/lease-lock.ts';
import { defaultLws } from '../../src/tooling/testing/lws-builder.ts';
import { ManagerProcess, metricSum } from '../../src/tooling/testing/manager-process.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import {
  registerWebhooks,
  waitAvailable,
  writeServingCertificate,
} from '../../src/tooling/testing/runtime-fixtures.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';
import { LEADERWORKERSETS } from '../../src/lws/api/resources.ts';

const LEASE = 'b8b2488c.x-k8s.io';
let cluster: PrivateCluster;
const processes: ManagerProcess[] = [];

before(async () => {
  cluster = await startPrivateCluster('le');
});
after(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await cluster?.down();
});

async function replica(id: string, namespace: string, extra: Partial<Parameters<typeof ManagerProcess.start>[0]> = {}) {
  const p = await ManagerProcess.start({
    cluster,
    id,
    args: [`--namespace=${namespace}`, '--metrics-secure=false'],
    ...extra,
  });
  processes.push(p);
  return p;
}

const reconciles = async (p: ManagerProcess) =>
  metricSum(await p.metrics(), 'controller_runtime_reconcile_total', { controller: 'leaderworkerset' });

describe('leader election', { timeout: 300_000 }, () => {
  test('two replicas: exactly one reconciles; kill -9 the leader → the other takes over within 20 s', async (t) => {
    await cluster.kubectl('create', 'namespace', 'le-kill');
    await cluster.kubectl('create', 'namespace', 'apps');
    const certDir = join(cluster.dir, 'webhook-certs');
    const { ca } = await writeServingCertificate(certDir);
    const options = { certDir, config: 'internalCertManagement:\n  enable: false\n' };
    const a = await replica('a', 'le-kill', options);
    const aLeads = await a.waitForLog('Successfully acquired lease', 90_000);
    const b = await replica('b', 'le-kill', options);
    await b.waitForLog('Attempting to acquire leader lease', 90_000);
    await eventually(async () => assert.equal((await b.readyz()).status, 200), { timeoutMs: 60_000 });
    // Webhooks run on every replica: the apiserver calls the standby's.
    await registerWebhooks(cluster.client, `https://127.0.0.1:${b.ports.webhook}`, ca.certPem);

    await cluster.client.create(LEADERWORKERSETS, defaultLws('apps', 'before') as never);
    await waitAvailable(cluster.client, 'apps', 'before', 2);
    assert.ok((await reconciles(a)) > 0, 'the leader reconciles');
    assert.equal(await reconciles(b), 0, 'the standby does not');
    assert.ok(!b.lines().some((l) => l.msg === 'Starting workers'), 'the standby started no controller');
    const lease = await cluster.client.get<Lease>(LEASES, { namespace: 'le-kill', name: LEASE });
    assert.equal(lease.spec?.holderIdentity, aLeads.identity);

    a.signal('SIGKILL');
    const killedAt = Date.now();
    await cluster.client.create(LEADERWORKERSETS, defaultLws('apps', 'meanwhile') as never);
    const bLeads = await b.waitForLog('Successfully acquired lease', 60_000);
    const takeoverMs = Date.parse(bLeads.time) - killedAt;
    t.diagnostic(`takeover ${takeoverMs} ms after kill -9`);
    assert.ok(takeoverMs <= 20_000, `the standby took over after ${takeoverMs} ms`);
    await waitAvailable(cluster.client, 'apps', 'meanwhile', 2);
    t.diagnostic(`the LWS created meanwhile was Available ${Date.now() - killedAt} ms after the kill`);
    assert.ok((await reconciles(b)) > 0, 'the new leader reconciles');
    const after = await cluster.client.get<Lease>(LEASES, { namespace: 'le-kill', name: LEASE });
    assert.equal(after.spec?.holderIdentity, bLeads.identity);
    assert.equal(after.spec?.leaseTransitions, (lease.spec?.leaseTransitions ?? 0) + 1);
    assert.match(after.spec?.renewTime ?? '', /\.\d{6}Z$/, 'MicroTime');
    await b.stop();
  });

  test('a graceful shutdown releases the lease and the standby takes over at once', async (t) => {
    await cluster.kubectl('create', 'namespace', 'le-term');
    const env = { ENABLE_WEBHOOKS: 'false' };
    const config = 'internalCertManagement:\n  enable: false\n';
    const c = await replica('c', 'le-term', { env, config });
    await c.waitForLog('Successfully acquired lease', 90_000);
    const d = await replica('d', 'le-term', { env, config });
    await d.waitForLog('Attempting to acquire leader lease', 90_000);
    await eventually(async () => assert.equal((await d.readyz()).status, 200), { timeoutMs: 60_000 });
    const stoppedAt = Date.now();
    assert.equal(await c.stop(), 0, 'clean exit');
    assert.ok(c.lines().some((l) => l.msg === 'Released the lease'));
    const dLeads = await d.waitForLog('Successfully acquired lease', 30_000);
    const takeoverMs = Date.parse(dLeads.time) - stoppedAt;
    t.diagnostic(`takeover ${takeoverMs} ms after SIGTERM`);
    assert.ok(takeoverMs < 10_000, `took over after ${takeoverMs} ms, without waiting for the lease to expire`);
    await d.stop();
  });
});
