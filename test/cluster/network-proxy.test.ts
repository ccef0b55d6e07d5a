// Service traffic from the control plane to processes on this machine, on a private cluster: the
// apiserver's egress selector sends Service-based webhook calls through the cluster's network proxy,
// which splices a routed Service port to a webhook server in this test process. Without the route the
// call fails (failurePolicy Fail); URL-based webhooks to 127.0.0.1 never touch the proxy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebhookServer } from '../../src/k8s/admission/server.ts';
import { deny } from '../../src/k8s/admission/review.ts';
import { clusterStatus } from '../../src/tooling/cluster/cluster.ts';
import { applyObject } from '../../src/k8s/client/apply.ts';
import { createCA, issueCertificate } from '../../src/k8s/pki/pki.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import { routeService } from '../../src/tooling/testing/service-routes.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';

const NS = 'hooks';
const SERVICE_MESSAGE = 'denied by the test webhook behind the network proxy';
const URL_MESSAGE = 'denied by the test webhook at a URL';

let cluster: PrivateCluster;
let server: WebhookServer;
let port: number;
let caBundle: string;
const calls: string[] = [];

before(async () => {
  cluster = await startPrivateCluster('netproxy');
  await cluster.kubectl('create', 'namespace', NS);
  const ca = await createCA('netproxy-test-ca');
  caBundle = Buffer.from(ca.certPem).toString('base64');
  const serving = await issueCertificate(ca, {
    commonName: `hook.${NS}.svc`,
    hosts: [`hook.${NS}.svc`, '127.0.0.1'],
    usage: 'server',
  });
  server = new WebhookServer({
    host: '127.0.0.1',
    port: 0,
    certificate: serving,
    handlers: {
      '/service': () => deny({ code: 403, message: SERVICE_MESSAGE }),
      '/url': () => deny({ code: 403, message: URL_MESSAGE }),
    },
    onRequest: ({ path }) => calls.push(path),
  });
  port = await server.listen();
});
after(async () => {
  await server?.close();
  await cluster?.down();
});

/** A ValidatingWebhookConfiguration for labelled ConfigMaps only (the cluster's own ConfigMaps pass). */
const webhookConfiguration = (kind: 'service' | 'url', clientConfig: object) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingWebhookConfiguration',
  metadata: { name: `netproxy-${kind}` },
  webhooks: [
    {
      name: `deny.${kind}.netproxy.test`,
      clientConfig: { ...clientConfig, caBundle },
      rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
      objectSelector: { matchLabels: { 'netproxy-test': kind } },
      failurePolicy: 'Fail',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      timeoutSeconds: 5,
    },
  ],
});

let configMaps = 0;
/** Creates a labelled ConfigMap; resolves with the apiserver's error, or "created". */
async function createConfigMap(kind: 'service' | 'url'): Promise<string> {
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${++configMaps}`, namespace: NS, labels: { 'netproxy-test': kind } },
  };
  try {
    await cluster.kubectl.withInput(JSON.stringify(object), 'create', '-f', '-');
    return 'created';
  } catch (e) {
    return (e as Error).message;
  }
}

function lwsctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/lwsctl.js', ...args], { timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const proxyLog = () => readFile(join(cluster.dir, 'logs', 'network-proxy.log'), 'utf8');

describe('cluster network: Service traffic from the control plane', { timeout: 300_000 }, () => {
  test('the network proxy is a component of the cluster', async () => {
    const status = await clusterStatus(cluster.name);
    assert.deepEqual(status?.components.map((c) => [c.component, c.running]).slice(0, 3), [
      ['etcd', true],
      ['network-proxy', true],
      ['kube-apiserver', true],
    ]);
    const egress = await readFile(join(cluster.dir, 'egress-selector.yaml'), 'utf8');
    assert.match(egress, /name: cluster/);
    assert.ok(egress.includes(join(cluster.dir, 'network-proxy.sock')));
  });

  test('a Service-based webhook reaches this process through a route added before the Service exists', async () => {
    await routeService(cluster.name, NS, 'hook', 443, port);
    await cluster.kubectl.withInput(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'hook', namespace: NS },
        spec: { type: 'ClusterIP', selector: { app: 'hook' }, ports: [{ port: 443, targetPort: 9443 }] },
      }),
      'create',
      '-f',
      '-',
    );
    const clusterIP = (
      await cluster.kubectl('get', 'service', 'hook', '-n', NS, '-o', 'jsonpath={.spec.clusterIP}')
    ).trim();
    await applyObject(
      cluster.client,
      webhookConfiguration('service', { service: { namespace: NS, name: 'hook', port: 443, path: '/service' } }),
    );
    const denial = await eventually(
      async () => {
        const result = await createConfigMap('service');
        assert.ok(result.includes(SERVICE_MESSAGE), result);
        return result;
      },
      { timeoutMs: 30_000, intervalMs: 500, message: 'the Service-based webhook denies' },
    );
    assert.match(denial, /admission webhook "deny\.service\.netproxy\.test" denied the request/);
    assert.ok(calls.includes('/service'));
    const log = await proxyLog();
    assert.ok(
      log.includes(`CONNECT ${clusterIP}:443 → 127.0.0.1:${port} (route of Service ${NS}/hook:443)`),
      `the proxy log shows the routed tunnel:\n${log}`,
    );

    const list = await lwsctl('cluster', 'route', 'list', '--name', cluster.name);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^${NS}/hook:443\\s+127\\.0\\.0\\.1:${port}$`, 'm'));
  });

  test('without the route the call fails, naming the webhook (failurePolicy Fail)', async (t) => {
    const removed = await lwsctl('cluster', 'route', 'remove', '--name', cluster.name, `${NS}/hook:443`);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /route removed: hooks\/hook:443/);
    const served = calls.length;
    const failure = await eventually(
      async () => {
        const result = await createConfigMap('service');
        assert.ok(!result.includes(SERVICE_MESSAGE) && result !== 'created', result);
        return result;
      },
      { timeoutMs: 30_000, intervalMs: 500, message: 'the Service-based webhook call fails' },
    );
    t.diagnostic(failure);
    assert.match(failure, /failed calling webhook "deny\.service\.netproxy\.test"/);
    assert.equal(calls.length, served, 'the webhook server got no more calls');
  });

  test('a URL-based webhook to 127.0.0.1 is dialed directly, not through the proxy', async () => {
    await applyObject(cluster.client, webhookConfiguration('url', { url: `https://127.0.0.1:${port}/url` }));
    const denial = await eventually(
      async () => {
        const result = await createConfigMap('url');
        assert.ok(result.includes(URL_MESSAGE), result);
        return result;
      },
      { timeoutMs: 30_000, intervalMs: 500, message: 'the URL-based webhook denies' },
    );
    assert.match(denial, /admission webhook "deny\.url\.netproxy\.test" denied the request/);
    assert.ok(!(await proxyLog()).includes(`CONNECT 127.0.0.1:${port}`), 'no tunnel to the URL webhook');
  });

  test('route usage errors name the bad argument', async () => {
    const badService = await lwsctl('cluster', 'route', 'add', '--name', cluster.name, 'hook:443', '127.0.0.1:1');
    assert.equal(badService.code, 2);
    assert.match(badService.stderr, /NAMESPACE\/SERVICE:PORT: "hook:443" is not NAMESPACE\/SERVICE:PORT/);
    const badTarget = await lwsctl('cluster', 'route', 'add', '--name', cluster.name, `${NS}/hook:443`, 'nowhere');
    assert.equal(badTarget.code, 2);
    assert.match(badTarget.stderr, /HOST:PORT: "nowhere" is not HOST:PORT/);
    const missing = await lwsctl('cluster', 'route', 'remove', '--name', cluster.name);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cluster route remove takes NAMESPACE\/SERVICE:PORT, got none/);
    const noCluster = await lwsctl('cluster', 'route', 'list', '--name', 'netproxy-absent');
    assert.equal(noCluster.code, 1);
    assert.match(noCluster.stderr, /cluster "netproxy-absent" is not running/);
  });
});
