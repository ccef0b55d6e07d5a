// The operator's modes on a private cluster, as a step list: no operand image → Degraded/MissingOperandImage;
// cert-manager required but absent → Degraded/MissingDependency with upstream's message; cert-manager (stand-in
// CRDs, the test issuing the Secret as cert-manager would) → Issuer + Certificate, the webhooks and Deployment
// wait for the Secret, then CA injection by annotation and the Secret mounted; a ServiceMonitor once the
// Prometheus Operator's API exists; switching to internal certificates prunes the cert-manager objects.
// Also: two operators, one Lease holder; /metrics with the build info and reconcile counters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { freePorts } from '../../src/tooling/cluster/ports.ts';
import { httpGet } from '../../src/tooling/cluster/health.ts';
import type { KubeObject } from '../../src/k8s/client/objects.ts';
import { CONFIGMAPS, DEPLOYMENTS, LEASES, SECRETS } from '../../src/k8s/client/resources.ts';
import { LEADERWORKERSET_OPERATORS } from '../../src/operator/api/resources.ts';
import { OPERAND_NAMES as N, OPERATOR_LEASE_NAME, sampleOperator } from '../../src/operator/api/types.ts';
import { createCA, issueCertificate } from '../../src/k8s/pki/pki.ts';
import { OperatorProcess } from '../../src/tooling/testing/operator-process.ts';
import { registerWebhooks } from '../../src/tooling/testing/runtime-fixtures.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import {
  CERT_MANAGER_STAND_INS,
  installStandIns,
  PROMETHEUS_OPERATOR_STAND_INS,
} from '../../src/tooling/testing/stand-in-crds.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';

const NS = 'openshift-lws-operator';
const IMAGE = 'registry.example.com/lws-ts:v0.1.0';
let cluster: PrivateCluster;
const operators: OperatorProcess[] = [];

before(async () => {
  cluster = await startPrivateCluster('opmodes', { lwsCRD: false });
  await cluster.kubectl('create', 'namespace', NS);
});
after(async () => {
  await Promise.all(operators.map((o) => o.stop()));
  await cluster?.down();
});

type Condition = { type: string; status: string; reason?: string; message?: string };
const conditions = async () => {
  const cr = await cluster.client.get<{ status?: { conditions?: Condition[] } }>(LEADERWORKERSET_OPERATORS, {
    name: 'cluster',
  });
  return Object.fromEntries((cr.status?.conditions ?? []).map((c) => [c.type, c]));
};
const waitFor = (type: string, status: string, reason: string, timeoutMs = 60_000) =>
  eventually(
    async () => {
      for (const o of operators) if (o.running === false && operators.at(-1) === o) o.assertRunning();
      const c = (await conditions())[type];
      assert.equal(`${c?.status}/${c?.reason}`, `${status}/${reason}`, JSON.stringify(c));
      return c!;
    },
    { timeoutMs, intervalMs: 250, message: `${type}=${status}/${reason}` },
  );
const start = async (id: string, args: string[], env: Record<string, string | undefined> = {}) => {
  const operator = await OperatorProcess.start({
    cluster,
    kubeconfig: cluster.kubeconfig,
    id,
    args: ['--resync-period=2s', `--namespace=${NS}`, ...args],
    env: { RELATED_IMAGE_OPERAND_IMAGE: IMAGE, ...env },
  });
  operators.push(operator);
  await operator.waitForLog('Caches synced');
  return operator;
};
const exists = (...args: string[]) => cluster.kubectl.exists(...args);

describe('operator modes', { timeout: 400_000 }, () => {
  test('no operand image: Degraded/MissingOperandImage, and no Deployment that could never pull', async () => {
    const operator = await start('no-image', ['--no-leader-elect'], { RELATED_IMAGE_OPERAND_IMAGE: undefined });
    await cluster.kubectl.withInput(JSON.stringify(sampleOperator()), 'create', '-f', '-');
    const degraded = await waitFor('Degraded', 'True', 'MissingOperandImage');
    assert.match(degraded.message ?? '', /RELATED_IMAGE_OPERAND_IMAGE/);
    assert.equal(await exists('deployment', N.deployment, '-n', NS), false);
    await operator.stop();
  });

  test('cert-manager required but not installed: Degraded/MissingDependency with upstream message', async () => {
    const operator = await start('cm-required', ['--no-leader-elect', '--certificates=cert-manager']);
    const degraded = await waitFor('Degraded', 'True', 'MissingDependency');
    assert.equal(degraded.message, 'please make sure that cert-manager is installed on your cluster');
    assert.equal(await exists('deployment', N.deployment, '-n', NS), false);
    await operator.stop();
  });

  test('cert-manager installed: Issuer and Certificate first; webhooks and Deployment wait for the Secret', async () => {
    await installStandIns(cluster.client, [
      ...CERT_MANAGER_STAND_INS('test/cluster/operator-modes.test.ts'),
      ...PROMETHEUS_OPERATOR_STAND_INS('test/cluster/operator-modes.test.ts'),
    ]);
    // A previous `lwsctl run`-style install left URL webhook configurations under the same names.
    await registerWebhooks(cluster.client, 'https://127.0.0.1:9443', (await createCA('old install')).certPem);
    await start('auto', ['--no-leader-elect']);
    await waitFor('Progressing', 'True', 'WaitingForCertificate');
    await waitFor('CertificateManagement', 'True', 'CertManager');
    const cert = await cluster.kubectl.json<any>('get', 'certificates.cert-manager.io', N.servingCertificate, '-n', NS);
    assert.deepEqual(cert.spec.dnsNames, [
      `${N.webhookService}.${NS}.svc`,
      `${N.webhookService}.${NS}.svc.cluster.local`,
    ]);
    assert.deepEqual(cert.spec.issuerRef, { kind: 'Issuer', name: N.issuer });
    assert.equal(cert.spec.secretName, N.servingCertSecret);
    assert.equal(await exists('issuers.cert-manager.io', N.issuer, '-n', NS), true);
    assert.equal(await exists('deployment', N.deployment, '-n', NS), false);
    // Before the gate nothing touches admission: the old install's URL webhooks are still as they were.
    const old = await cluster.kubectl.json<any>(
      'get',
      'validatingwebhookconfiguration',
      N.validatingWebhookConfiguration,
    );
    assert.ok(old.webhooks.every((w: any) => w.clientConfig.url?.startsWith('https://127.0.0.1:9443')));
    const config = await cluster.client.get<{ data: Record<string, string> }>(CONFIGMAPS, {
      namespace: NS,
      name: N.configMap,
    });
    assert.deepEqual((parse(config.data[N.configMapKey]!) as any).internalCertManagement, { enable: false });
  });

  test('the Secret is issued (the test plays cert-manager): CA injection by annotation, Secret mounted, Available', async () => {
    const ca = await createCA('stand-in cert-manager');
    const serving = await issueCertificate(ca, {
      commonName: `${N.webhookService}.${NS}.svc`,
      hosts: [`${N.webhookService}.${NS}.svc`],
      usage: 'server',
    });
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const issue = (name: string, pair: { certPem: string; keyPem: string }) =>
      cluster.client.create(SECRETS, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: { name, namespace: NS },
        data: { 'tls.crt': b64(pair.certPem), 'tls.key': b64(pair.keyPem), 'ca.crt': b64(ca.certPem) },
      } as KubeObject);
    await issue(N.servingCertSecret, serving);
    // The metrics certificate is still missing: the gate names it.
    await eventually(async () => {
      const c = (await conditions()).Progressing;
      assert.equal(c?.message, `waiting for cert-manager to issue Secret ${N.metricsCertSecret}`);
    });
    assert.equal(await exists('deployment', N.deployment, '-n', NS), false);
    const metricsHost = `${N.metricsService}.${NS}.svc`;
    await issue(
      N.metricsCertSecret,
      await issueCertificate(ca, { commonName: 'lws-metrics', hosts: [metricsHost], usage: 'server' }),
    );
    await waitFor('Available', 'True', 'AsExpected');
    await waitFor('Progressing', 'False', 'AsExpected');
    for (const kind of ['mutatingwebhookconfiguration', 'validatingwebhookconfiguration']) {
      const name = kind.startsWith('mutating') ? N.mutatingWebhookConfiguration : N.validatingWebhookConfiguration;
      const hooks = await cluster.kubectl.json<any>('get', kind, name);
      assert.equal(hooks.metadata.annotations['cert-manager.io/inject-ca-from'], `${NS}/${N.servingCertificate}`);
      for (const w of hooks.webhooks) {
        assert.equal(w.clientConfig.url, undefined, `${name}/${w.name} taken over from the URL install`);
        assert.equal(w.clientConfig.service.name, N.webhookService);
      }
    }
    const d = await cluster.client.get<any>(DEPLOYMENTS, { namespace: NS, name: N.deployment });
    const volume = d.spec.template.spec.volumes.find((v: any) => v.name === 'cert');
    assert.deepEqual(volume.secret, { secretName: N.servingCertSecret, defaultMode: 420 });
    const monitor = await cluster.kubectl.json<any>(
      'get',
      'servicemonitors.monitoring.coreos.com',
      N.serviceMonitor,
      '-n',
      NS,
    );
    assert.equal(monitor.spec.endpoints[0].port, 'https');
    assert.equal(monitor.spec.endpoints[0].honorLabels, true);
    // The alerts come with it (lws/manifests/monitoring, docs/observability.md).
    const rule = await cluster.kubectl.json<any>(
      'get',
      'prometheusrules.monitoring.coreos.com',
      'lws-controller-manager-rules',
      '-n',
      NS,
    );
    assert.ok(rule.spec.groups.some((g: any) => g.rules.some((r: any) => r.alert === 'LWSControllerDown')));
    // OpenShift's platform Prometheus may discover the endpoints (the operator holds and grants these rules).
    const binding = await cluster.kubectl.json<any>('get', 'rolebinding', N.prometheusRole, '-n', NS);
    assert.deepEqual(
      binding.subjects.map((s: any) => `${s.namespace}/${s.name}`),
      ['openshift-monitoring/prometheus-k8s', 'openshift-monitoring/prometheus-operator'],
    );
    assert.deepEqual(monitor.spec.endpoints[0].tlsConfig, {
      serverName: `${N.metricsService}.${NS}.svc`,
      ca: { secret: { name: N.metricsCertSecret, key: 'ca.crt' } },
    });
    assert.ok(d.spec.template.spec.volumes.some((v: any) => v.secret?.secretName === N.metricsCertSecret));
  });

  test('switching to internal certificates prunes the Issuer and Certificate and unmounts the Secret', async () => {
    await operators.at(-1)!.stop();
    await start('internal', ['--no-leader-elect', '--certificates=internal']);
    await waitFor('CertificateManagement', 'True', 'Internal');
    await eventually(async () => {
      assert.equal(await exists('certificates.cert-manager.io', N.servingCertificate, '-n', NS), false);
      assert.equal(await exists('issuers.cert-manager.io', N.issuer, '-n', NS), false);
      const d = await cluster.client.get<any>(DEPLOYMENTS, { namespace: NS, name: N.deployment });
      assert.equal(
        d.spec.template.spec.volumes.find((v: any) => v.name === 'cert'),
        undefined,
      );
    });
    await operators.at(-1)!.stop();
  });

  test('an operator upgrade (new RELATED_IMAGE_OPERAND_IMAGE) rolls the operand to the new image', async () => {
    const before = await cluster.client.get<any>(DEPLOYMENTS, { namespace: NS, name: N.deployment });
    const next = 'registry.example.com/lws-ts:v0.2.0';
    const operator = await start('upgrade', ['--no-leader-elect', '--certificates=internal'], {
      RELATED_IMAGE_OPERAND_IMAGE: next,
    });
    await eventually(async () => {
      const d = await cluster.client.get<any>(DEPLOYMENTS, { namespace: NS, name: N.deployment });
      assert.equal(d.spec.template.spec.containers[0].image, next);
      assert.equal(d.metadata.uid, before.metadata.uid, 'updated in place, not recreated');
    });
    await waitFor('Available', 'True', 'AsExpected');
    await waitFor('Progressing', 'False', 'AsExpected');
    await operator.stop();
  });

  test('two operators: one holds openshift-lws-operator-lock; /metrics has the build info and reconciles', async () => {
    const [port] = (await freePorts(1)) as [number];
    const a = await start('le-a', [`--metrics-bind-address=127.0.0.1:${port}`, '--no-metrics-secure']);
    const b = await start('le-b', []);
    const lease = await eventually(async () => {
      const l = await cluster.client.get<any>(LEASES, { namespace: NS, name: OPERATOR_LEASE_NAME });
      assert.ok(l.spec.holderIdentity);
      return l;
    });
    const leaders = [a, b].filter((o) => o.lines().some((l) => l.msg === 'Successfully acquired lease'));
    assert.equal(leaders.length, 1, `exactly one leader (holder ${lease.spec.holderIdentity})`);
    const metrics = await eventually(async () => {
      const { status, body } = await httpGet(`http://127.0.0.1:${port}/metrics`);
      assert.equal(status, 200);
      assert.match(
        body,
        /openshift_lws_operator_build_info\{major="\d*",minor="\d*",gitCommit="[^"]*",gitVersion="[^"]*"\} 1/,
      );
      return body;
    });
    assert.match(metrics, /leader_election_master_status\{name="openshift-lws-operator-lock"\} [01]/);
    // operatorLogLevel: Debug turns on the leader's debug lines.
    const leader = leaders[0]!;
    const debugLines = () =>
      leader.lines().filter((l) => l.level === 'debug' && l.msg.startsWith('reconciling')).length;
    assert.equal(debugLines(), 0);
    await cluster.kubectl(
      'patch',
      'leaderworkersetoperator',
      'cluster',
      '--type=merge',
      '-p',
      '{"spec":{"operatorLogLevel":"Debug"}}',
    );
    await eventually(() => assert.ok(debugLines() > 0, 'debug lines after operatorLogLevel: Debug'));
  });
});
