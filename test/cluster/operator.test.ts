// The seed's operator flows end to end on a private cluster, as a step list:
// install the operator (dist/operator.yaml) → it installs its CRD → wrong instances are rejected → create the
// instance → operand objects and Available → the seed's my-lws runs, served by the real controller acting under
// the ServiceAccount and RBAC the operator installed (a TokenRequest token; the webhooks reached through the
// cluster's network proxy) → logLevel / nodePlacement follow → drift is corrected → Unmanaged leaves things →
// Removed removes the operand but not the LWS CRD or my-lws → Managed again (an old Deployment selector is
// recreated) → delete the instance → uninstall → delete the CRDs and the namespace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { CRD_NAME } from '../../src/lws/api/crd.ts';
import { addRoute, parseTarget } from '../../src/tooling/cluster/routes.ts';
import { applyObject } from '../../src/k8s/client/apply.ts';
import type { KubeObject } from '../../src/k8s/client/objects.ts';
import {
  CONFIGMAPS,
  CRDS,
  DEPLOYMENTS,
  MUTATING_WEBHOOK_CONFIGURATIONS,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
} from '../../src/k8s/client/resources.ts';
import { LEADERWORKERSET_OPERATORS } from '../../src/operator/api/resources.ts';
import { OPERAND_NAMES as N, OPERATOR_CRD_NAME, SINGLETON_MESSAGE } from '../../src/operator/api/types.ts';
import { ManagerProcess } from '../../src/tooling/testing/manager-process.ts';
import { OperatorProcess, serviceAccountKubeconfig } from '../../src/tooling/testing/operator-process.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import { consistently, eventually } from '../../src/tooling/testing/wait.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NS = 'openshift-lws-operator';
const OPERAND_IMAGE = 'registry.example.com/lws-ts:v0.1.0';
let cluster: PrivateCluster;
let operator: OperatorProcess | undefined;
let controller: ManagerProcess | undefined;

before(async () => {
  cluster = await startPrivateCluster('operator', { lwsCRD: false });
});
after(async () => {
  await controller?.stop();
  await operator?.stop();
  await cluster?.down();
});

type Condition = { type: string; status: string; reason?: string; message?: string };
interface Instance extends KubeObject {
  spec: Record<string, unknown>;
  status?: { conditions?: Condition[]; readyReplicas?: number; observedGeneration?: number };
}
const kubectl = Object.assign((...args: string[]) => cluster.kubectl(...args), {
  json: <T>(...args: string[]) => cluster.kubectl.json<T>(...args),
});
const instance = () => cluster.client.get<Instance>(LEADERWORKERSET_OPERATORS, { name: 'cluster' });
const condition = async (type: string) => (await instance()).status?.conditions?.find((c) => c.type === type);
const waitCondition = (type: string, status: string, reason?: string, timeoutMs = 60_000) =>
  eventually(
    async () => {
      operator?.assertRunning();
      const c = await condition(type);
      assert.equal(c?.status, status, `${type}: ${JSON.stringify(c)}`);
      if (reason) assert.equal(c?.reason, reason, `${type}: ${JSON.stringify(c)}`);
      return c!;
    },
    { timeoutMs, intervalMs: 250, message: `condition ${type}=${status}${reason ? '/' + reason : ''}` },
  );
const patchInstance = (spec: Record<string, unknown>) =>
  kubectl('patch', 'leaderworkersetoperator', 'cluster', '--type=merge', '-p', JSON.stringify({ spec }));
const exists = (...args: string[]) => cluster.kubectl.exists(...args);
const deployment = () => cluster.client.get<any>(DEPLOYMENTS, { namespace: NS, name: N.deployment });
const createInstance = (body: Record<string, unknown>) =>
  cluster.kubectl.withInput(JSON.stringify(body), 'create', '-f', '-');
const sample = (name = 'cluster', spec: Record<string, unknown> = {}) => ({
  apiVersion: 'operator.openshift.io/v1',
  kind: 'LeaderWorkerSetOperator',
  metadata: { name },
  spec: { managementState: 'Managed', logLevel: 'Normal', operatorLogLevel: 'Normal', ...spec },
});

/** Every operand object (but the CRD) the operator creates in the default (internal certificates) mode. */
const OPERAND_OBJECTS: Array<[string, string, boolean]> = [
  ['serviceaccount', N.serviceAccount, true],
  ['clusterrole', N.managerClusterRole, false],
  ['clusterrole', N.metricsReaderClusterRole, false],
  ['clusterrole', N.proxyClusterRole, false],
  ['clusterrolebinding', N.managerClusterRoleBinding, false],
  ['clusterrolebinding', N.metricsReaderClusterRoleBinding, false],
  ['clusterrolebinding', N.proxyClusterRoleBinding, false],
  ['role', N.leaderElectionRole, true],
  ['rolebinding', N.leaderElectionRoleBinding, true],
  ['configmap', N.configMap, true],
  ['service', N.webhookService, true],
  ['service', N.metricsService, true],
  ['mutatingwebhookconfiguration', N.mutatingWebhookConfiguration, false],
  ['validatingwebhookconfiguration', N.validatingWebhookConfiguration, false],
  ['deployment', N.deployment, true],
];
const operandPresence = async () => {
  const out: Record<string, boolean> = {};
  for (const [kind, name, namespaced] of OPERAND_OBJECTS) {
    out[`${kind}/${name}`] = await exists(kind, name, ...(namespaced ? ['-n', NS] : []));
  }
  return out;
};
const all = (value: boolean) => Object.fromEntries(OPERAND_OBJECTS.map(([k, n]) => [`${k}/${n}`, value]));
const lwsListed = async () => (await kubectl('get', 'lws', '-A', '-o', 'name')).trim().split('\n').filter(Boolean);

describe('the Leader Worker Set Operator, as the seed uses it', { timeout: 600_000 }, () => {
  test('install: dist/operator.yaml, then the operator runs with its own ServiceAccount and installs its CRD', async () => {
    const docs = parseAllDocuments(readFileSync(join(ROOT, 'dist', 'operator.yaml'), 'utf8')).map(
      (d) => d.toJS() as KubeObject,
    );
    for (const doc of docs) await applyObject(cluster.client, doc);
    // The operator CRD is part of the install; delete it to show the operator installs it when missing (as OLM).
    await cluster.client.delete(CRDS, { name: OPERATOR_CRD_NAME });
    await eventually(async () => assert.equal(await exists('crd', OPERATOR_CRD_NAME), false));
    const kubeconfig = await serviceAccountKubeconfig(cluster.client, cluster.kubeconfig, NS, 'openshift-lws-operator');
    operator = await OperatorProcess.start({
      cluster,
      kubeconfig,
      id: 'a',
      args: ['--resync-period=3s', `--namespace=${NS}`],
      env: { RELATED_IMAGE_OPERAND_IMAGE: OPERAND_IMAGE, POD_NAMESPACE: NS },
    });
    await operator.waitForLog('Caches synced');
    assert.equal(await exists('crd', OPERATOR_CRD_NAME), true);
    assert.equal(await exists('crd', CRD_NAME), false, 'nothing of the operand before the instance exists');
  });

  test('wrong instances are rejected with clear messages', async () => {
    await assert.rejects(createInstance(sample('my-operator')), (e: Error) => e.message.includes(SINGLETON_MESSAGE));
    await assert.rejects(createInstance(sample('cluster', { logLevel: 'Loud' })), (e: Error) =>
      /spec\.logLevel: Unsupported value: "Loud": supported values: "", "Normal", "Debug", "Trace", "TraceAll"/.test(
        e.message,
      ),
    );
    await assert.rejects(createInstance(sample('cluster', { managementState: 'Sometimes' })), (e: Error) =>
      e.message.includes(
        'spec.managementState: Unsupported value: "Sometimes": supported values: "Managed", "Unmanaged", "Removed", "Force"',
      ),
    );
    assert.equal(await exists('leaderworkersetoperator', 'cluster'), false);
  });

  test('create the instance: every operand object appears and the status says Available', async () => {
    await createInstance(sample());
    await waitCondition('Available', 'True', 'AsExpected');
    await waitCondition('Degraded', 'False', 'AsExpected');
    const mode = await waitCondition('CertificateManagement', 'True', 'Internal');
    assert.match(mode.message ?? '', /controller issues and rotates its own webhook certificate/);
    assert.deepEqual(await operandPresence(), all(true));
    assert.equal(await exists('crd', CRD_NAME), true);
    const cr = await instance();
    assert.equal(cr.status?.readyReplicas, 2);
    assert.ok(cr.metadata.finalizers?.includes('operator.openshift.io/lws-operand-cleanup'));
    const d = await deployment();
    assert.deepEqual(d.metadata.ownerReferences, [
      {
        apiVersion: 'operator.openshift.io/v1',
        kind: 'LeaderWorkerSetOperator',
        name: 'cluster',
        uid: cr.metadata.uid,
      },
    ]);
    const crd = await cluster.client.get<KubeObject>(CRDS, { name: CRD_NAME });
    assert.equal(crd.metadata.ownerReferences, undefined, 'the LWS CRD is never owned by the instance');
    // What was written is recorded on the instance (events of a cluster-scoped object live in "default").
    await eventually(async () => {
      const events = await kubectl.json<{ items: any[] }>('get', 'events.events.k8s.io', '-n', 'default');
      const ours = events.items.filter(
        (e) => e.regarding?.kind === 'LeaderWorkerSetOperator' && e.reportingController === 'openshift-lws-operator',
      );
      const reasons = new Set(ours.map((e) => e.reason));
      for (const reason of ['CustomResourceDefinitionCreated', 'DeploymentCreated', 'ServiceCreated']) {
        assert.ok(reasons.has(reason), `${reason} in ${[...reasons].join(', ')}`);
      }
    });
    const c = d.spec.template.spec.containers[0];
    assert.equal(c.image, OPERAND_IMAGE);
    assert.deepEqual(c.args, ['--config=/controller_manager_config.yaml', '--zap-log-level=2']);
    assert.equal(d.spec.template.spec.serviceAccountName, N.serviceAccount);
  });

  test("deploy the seed's my-lws, served by the controller under the operand's ServiceAccount", async () => {
    // The controller process gets exactly the operand's RBAC: a token of lws-controller-manager.
    const kubeconfig = await serviceAccountKubeconfig(cluster.client, cluster.kubeconfig, NS, N.serviceAccount);
    const cm = await cluster.client.get<{ data: Record<string, string> }>(CONFIGMAPS, {
      namespace: NS,
      name: N.configMap,
    });
    const config = parse(cm.data[N.configMapKey]!) as Record<string, unknown>;
    delete config.webhook; // the fixture listens on a free local port instead of 9443
    delete config.metrics;
    delete config.health;
    delete config.apiVersion;
    delete config.kind;
    controller = await ManagerProcess.start({
      cluster: { name: cluster.name, kubeconfig, dir: cluster.dir },
      id: 'operand',
      config: stringify(config),
      args: [`--namespace=${NS}`],
    });
    // The apiserver calls Service lws-webhook-service; the cluster's network proxy hands it to the process.
    await addRoute(
      cluster.name,
      { namespace: NS, name: N.webhookService, port: 443 },
      parseTarget(`127.0.0.1:${controller.ports.webhook}`),
    );
    await controller.waitForLog('Certs ready');
    await kubectl('create', 'namespace', 'my-namespace');
    await eventually(() => kubectl('apply', '-f', join(ROOT, 'examples', 'leader-worker-set.yaml')), {
      timeoutMs: 60_000,
      message: 'my-lws admitted through the operator-installed webhooks',
    });
    const pods = await eventually(
      async () => {
        const list = await kubectl.json<{ items: any[] }>('get', 'pods', '-n', 'my-namespace');
        const running = list.items
          .filter((p) => p.status.phase === 'Running')
          .map((p) => p.metadata.name)
          .sort();
        assert.deepEqual(running, ['my-lws-0', 'my-lws-0-1', 'my-lws-0-2', 'my-lws-1', 'my-lws-1-1', 'my-lws-1-2']);
        return list.items;
      },
      { timeoutMs: 120_000, message: "the seed's six pods Running" },
    );
    // The webhooks ran: the pods carry the LWS labels and the TPU-less env the pod webhook adds.
    const leader = pods.find((p) => p.metadata.name === 'my-lws-0');
    assert.equal(leader.metadata.labels['leaderworkerset.sigs.k8s.io/name'], 'my-lws');
    assert.ok(leader.spec.containers[0].env.some((e: { name: string }) => e.name === 'LWS_LEADER_ADDRESS'));
    const sts = await kubectl.json<{ items: any[] }>('get', 'statefulsets', '-n', 'my-namespace');
    assert.deepEqual(sts.items.map((s) => s.metadata.name).sort(), ['my-lws', 'my-lws-0', 'my-lws-1']);
    // Nothing was refused by RBAC on the way.
    const forbidden = controller.lines().filter((l) => /forbidden/i.test(JSON.stringify(l)));
    assert.deepEqual(forbidden, []);
    // The controller injected its CA into the operator-managed webhooks, and the operator keeps it (next test).
    const hooks = await cluster.client.get<any>(VALIDATING_WEBHOOK_CONFIGURATIONS, {
      name: N.validatingWebhookConfiguration,
    });
    assert.ok(hooks.webhooks.every((w: any) => w.clientConfig.caBundle));
  });

  test('logLevel and nodePlacement: the Deployment follows; caBundles survive the re-apply', async () => {
    await patchInstance({
      logLevel: 'Debug',
      nodePlacement: {
        nodeSelector: { 'cloud.google.com/gke-nodepool': 'pool-1' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }],
      },
    });
    await eventually(async () => {
      const spec = (await deployment()).spec.template.spec;
      assert.deepEqual(spec.containers[0].args, ['--config=/controller_manager_config.yaml', '--zap-log-level=4']);
      assert.deepEqual(spec.nodeSelector, { 'cloud.google.com/gke-nodepool': 'pool-1' });
      assert.deepEqual(spec.tolerations, [
        { key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' },
      ]);
    });
    await waitCondition('Available', 'True');
    // The scheduler honoured it: every operand pod runs on a pool-1 node.
    const poolNodes = (await kubectl('get', 'nodes', '-l', 'cloud.google.com/gke-nodepool=pool-1', '-o', 'name'))
      .trim()
      .split('\n')
      .map((n) => n.replace('node/', ''));
    await eventually(async () => {
      const pods = await kubectl.json<{ items: any[] }>(
        'get',
        'pods',
        '-n',
        NS,
        '-l',
        'control-plane=controller-manager',
      );
      const running = pods.items.filter((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp);
      assert.equal(running.length, 2);
      for (const p of running)
        assert.ok(poolNodes.includes(p.spec.nodeName), `${p.metadata.name} on ${p.spec.nodeName}`);
    });
    for (const ref of [MUTATING_WEBHOOK_CONFIGURATIONS, VALIDATING_WEBHOOK_CONFIGURATIONS]) {
      const name =
        ref === MUTATING_WEBHOOK_CONFIGURATIONS ? N.mutatingWebhookConfiguration : N.validatingWebhookConfiguration;
      const hooks = await cluster.client.get<any>(ref, { name });
      assert.ok(
        hooks.webhooks.every((w: any) => w.clientConfig.caBundle),
        `${name} keeps its caBundle`,
      );
    }
  });

  test('drift is corrected: a deleted Deployment and webhook configuration, a scaled Deployment, an edited Service', async () => {
    const oldUid = (await deployment()).metadata.uid;
    await kubectl('delete', 'deployment', N.deployment, '-n', NS);
    await eventually(async () => assert.notEqual((await deployment()).metadata.uid, oldUid));
    await kubectl('scale', 'deployment', N.deployment, '-n', NS, '--replicas=5');
    await kubectl('delete', 'validatingwebhookconfiguration', N.validatingWebhookConfiguration);
    await kubectl(
      'patch',
      'service',
      N.webhookService,
      '-n',
      NS,
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/ports/0/targetPort', value: 9999 }]),
    );
    await eventually(async () => {
      assert.equal((await deployment()).spec.replicas, 2);
      assert.equal(await exists('validatingwebhookconfiguration', N.validatingWebhookConfiguration), true);
      const svc = await kubectl.json<any>('get', 'service', N.webhookService, '-n', NS);
      assert.equal(svc.spec.ports[0].targetPort, 9443);
    });
    await waitCondition('Available', 'True');
  });

  test('Unmanaged: nothing is reconciled, everything keeps running', async () => {
    await patchInstance({ managementState: 'Unmanaged' });
    await eventually(async () =>
      assert.equal((await instance()).status?.observedGeneration, (await instance()).metadata.generation),
    );
    await kubectl('scale', 'deployment', N.deployment, '-n', NS, '--replicas=1');
    await kubectl('delete', 'configmap', N.configMap, '-n', NS);
    await consistently(
      async () => {
        assert.equal((await deployment()).spec.replicas, 1);
        assert.equal(await exists('configmap', N.configMap, '-n', NS), false);
      },
      { durationMs: 5_000 },
    );
    await patchInstance({ managementState: 'Managed' });
    await eventually(async () => {
      assert.equal((await deployment()).spec.replicas, 2);
      assert.equal(await exists('configmap', N.configMap, '-n', NS), true);
    });
  });

  test('Removed: the operand goes; the LWS CRD and my-lws stay', async () => {
    await controller?.stop(); // the operand is going away; so does its stand-in process
    await patchInstance({ managementState: 'Removed' });
    await waitCondition('Available', 'False', 'Removed');
    assert.deepEqual(await operandPresence(), all(false));
    assert.equal(await exists('secret', N.internalCertSecret, '-n', NS), false, 'the certificate Secret is removed');
    assert.equal(await exists('crd', CRD_NAME), true);
    assert.deepEqual(await lwsListed(), ['leaderworkerset.leaderworkerset.x-k8s.io/my-lws']);
    const sts = await kubectl.json<{ items: any[] }>('get', 'statefulsets', '-n', 'my-namespace');
    assert.equal(sts.items.length, 3, 'the groups keep running');
  });

  test('Managed again: everything returns; a Deployment with an old (immutable) selector is recreated', async () => {
    // An operator 1.0-style Deployment: selector control-plane=controller-manager only.
    await applyObject(
      cluster.client,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: N.deployment, namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'lws-operator' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { 'control-plane': 'controller-manager' } },
          template: {
            metadata: { labels: { 'control-plane': 'controller-manager' } },
            spec: { containers: [{ name: 'manager', image: 'old:1.0' }] },
          },
        },
      } as KubeObject,
      'old-operator',
    );
    const oldUid = (await deployment()).metadata.uid;
    await patchInstance({ managementState: 'Managed' });
    await eventually(async () => {
      const d = await deployment();
      assert.notEqual(d.metadata.uid, oldUid);
      assert.deepEqual(d.spec.selector.matchLabels, {
        'app.kubernetes.io/name': 'lws',
        'app.kubernetes.io/instance': 'lws',
        'control-plane': 'controller-manager',
      });
    });
    await waitCondition('Available', 'True', 'AsExpected');
    assert.deepEqual(await operandPresence(), all(true));
  });

  test('delete the instance: the finalizer removes the operand; LWS CRD and my-lws stay', async () => {
    await kubectl('delete', 'leaderworkersetoperator', 'cluster', '--wait=true', '--timeout=60s');
    assert.equal(await exists('leaderworkersetoperator', 'cluster'), false);
    assert.deepEqual(await operandPresence(), all(false));
    assert.equal(await exists('crd', CRD_NAME), true);
    assert.deepEqual(await lwsListed(), ['leaderworkerset.leaderworkerset.x-k8s.io/my-lws']);
  });

  test('uninstall: the operator goes, CRDs only with --delete-crds --yes, then the namespace', async () => {
    await operator?.stop();
    const lwsctl = async (...args: string[]) => {
      const { execFile } = await import('node:child_process');
      return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [join(ROOT, 'bin', 'lwsctl.js'), ...args], (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    };
    const plain = await lwsctl('uninstall', `--kubeconfig=${cluster.kubeconfig}`);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /deleted Deployment\/openshift-lws-operator\/openshift-lws-operator/);
    assert.match(
      plain.stdout,
      /kept {4}CustomResourceDefinition\/leaderworkersets\.leaderworkerset\.x-k8s\.io \(1 LeaderWorkerSets kept\)/,
    );
    assert.equal(await exists('deployment', 'openshift-lws-operator', '-n', NS), false);
    assert.equal(await exists('clusterrole', 'openshift-lws-operator'), false);
    assert.deepEqual(await lwsListed(), ['leaderworkerset.leaderworkerset.x-k8s.io/my-lws']);

    const refused = await lwsctl('uninstall', `--kubeconfig=${cluster.kubeconfig}`, '--delete-crds');
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /refusing to delete the CRDs without --yes: .* deletes every LeaderWorkerSet \(1 in 1 namespace now\)/,
    );
    assert.equal(await exists('crd', CRD_NAME), true);

    const full = await lwsctl(
      'uninstall',
      `--kubeconfig=${cluster.kubeconfig}`,
      '--delete-crds',
      '--yes',
      '--delete-namespace',
    );
    assert.equal(full.code, 0, full.stderr);
    await eventually(async () => {
      assert.equal(await exists('crd', CRD_NAME), false);
      assert.equal(await exists('crd', OPERATOR_CRD_NAME), false);
      const ns = await kubectl.json<any>('get', 'namespace', NS).catch(() => undefined);
      assert.ok(!ns || ns.status.phase === 'Terminating');
    });
  });
});
