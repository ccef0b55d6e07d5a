// Webhook certificates of `lwsctl controller` on a private cluster. Internal management: the CA and a
// short-lived serving certificate live in the Secret lws-webhook-server-cert, the CA is injected into the
// webhook configurations (and restored when someone changes it), the serving certificate is rotated before
// it expires and served without a restart, and pods keep being admitted throughout. cert-manager mode:
// a new tls.crt/tls.key in the cert directory is served within seconds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import {
  MUTATING_WEBHOOK_CONFIGURATIONS,
  SECRETS,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
} from '../../src/k8s/client/resources.ts';
import { LEADERWORKERSETS } from '../../src/lws/api/resources.ts';
import { MUTATING_WEBHOOK_CONFIGURATION, VALIDATING_WEBHOOK_CONFIGURATION } from '../../src/lws/manifests/webhooks.ts';
import { createCA } from '../../src/k8s/pki/pki.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { ManagerProcess } from '../../src/tooling/testing/manager-process.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import {
  registerWebhooks,
  servedCertificate,
  waitAvailable,
  writeServingCertificate,
} from '../../src/tooling/testing/runtime-fixtures.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';

let cluster: PrivateCluster;
const processes: ManagerProcess[] = [];
const NS = 'apps';

before(async () => {
  cluster = await startPrivateCluster('cert');
  await cluster.kubectl('create', 'namespace', 'lws-system');
  await cluster.kubectl('create', 'namespace', NS);
});
after(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await cluster?.down();
});

const small = (name: string) =>
  withChange(defaultLws(NS, name), (l) => {
    l.spec.replicas = 1;
  });

interface Secret {
  data: Record<string, string>;
}
const secretPem = async (key: string) => {
  const s = await cluster.client.get<Secret>(SECRETS, { namespace: 'lws-system', name: 'lws-webhook-server-cert' });
  return Buffer.from(s.data[key] ?? '', 'base64').toString('utf8');
};
const caBundles = async (name: string, ref = MUTATING_WEBHOOK_CONFIGURATIONS) => {
  const config = await cluster.client.get<{ webhooks: Array<{ clientConfig: { caBundle?: string } }> }>(ref, { name });
  return config.webhooks.map((w) => Buffer.from(w.clientConfig.caBundle ?? '', 'base64').toString('utf8'));
};

describe('webhook certificates', { timeout: 400_000 }, () => {
  test('internal management: a 30 s certificate is rotated and served without restart; pods keep being admitted', async (t) => {
    const a = await ManagerProcess.start({
      cluster,
      id: 'internal',
      args: ['--webhook-cert-validity=30s', '--webhook-cert-extra-sans=127.0.0.1'],
    });
    processes.push(a);
    // The configurations exist without a caBundle; the rotator injects its CA (it watches them).
    await registerWebhooks(cluster.client, `https://127.0.0.1:${a.ports.webhook}`);
    await a.waitForLog('CA certs are injected to webhooks', 90_000);
    await a.waitForLog('Successfully acquired lease', 90_000);
    const ca = await secretPem('ca.crt');
    assert.match(ca, /BEGIN CERTIFICATE/);
    await eventually(async () => {
      for (const bundle of [
        ...(await caBundles(MUTATING_WEBHOOK_CONFIGURATION)),
        ...(await caBundles(VALIDATING_WEBHOOK_CONFIGURATION, VALIDATING_WEBHOOK_CONFIGURATIONS)),
      ]) {
        assert.equal(bundle, ca);
      }
    });

    // Keep admitting pods (each LWS creates a leader and a worker pod) across at least two rotations.
    const served = new Map<string, string>();
    const started = Date.now();
    let created = 0;
    while (Date.now() - started < 65_000 || served.size < 3) {
      assert.ok(Date.now() - started < 180_000, `only ${served.size} certificates served in 3 minutes`);
      const cert = await servedCertificate(a.ports.webhook);
      assert.ok(Date.parse(cert.valid_to) > Date.now(), 'the served certificate is valid');
      assert.equal(new X509Certificate(cert.raw).checkIssued(new X509Certificate(ca)), true, 'signed by the Secret CA');
      served.set(cert.serialNumber, cert.valid_to);
      const name = `rot-${created++}`;
      await cluster.client.create(LEADERWORKERSETS, small(name) as never);
      await waitAvailable(cluster.client, NS, name, 1, 90_000);
      await new Promise((r) => setTimeout(r, 2000)); // a steady trickle, not a flood, on a small machine
    }
    t.diagnostic(
      `${served.size} serving certificates in ${Math.round((Date.now() - started) / 1000)} s, ${created} LWS admitted`,
    );
    assert.equal(await secretPem('ca.crt'), ca, 'the CA stays: the apiserver keeps trusting new certificates');
    assert.ok(a.lines().filter((l) => l.msg === 'Server certs refreshed').length >= 3);
    assert.ok(
      a.lines().some((l) => l.msg === 'Serving a new certificate'),
      'hot swap, no restart',
    );
    assert.equal(a.running, true);

    // Someone resets a caBundle: it is restored at once (the configurations are watched).
    const other = await createCA('someone-else');
    await cluster.kubectl(
      'patch',
      'mutatingwebhookconfiguration',
      MUTATING_WEBHOOK_CONFIGURATION,
      '--type=json',
      `-p=[{"op":"replace","path":"/webhooks/0/clientConfig/caBundle","value":"${Buffer.from(other.certPem).toString('base64')}"}]`,
    );
    await eventually(async () => assert.deepEqual(await caBundles(MUTATING_WEBHOOK_CONFIGURATION), [ca, ca]), {
      timeoutMs: 30_000,
    });
    await a.stop();
  });

  test('cert-manager mode: new files in the cert directory are served without restart', async (t) => {
    const certDir = join(cluster.dir, 'cert-manager-certs');
    const first = await writeServingCertificate(certDir);
    const b = await ManagerProcess.start({
      cluster,
      id: 'external',
      certDir,
      config: 'internalCertManagement:\n  enable: false\n',
    });
    processes.push(b);
    await registerWebhooks(cluster.client, `https://127.0.0.1:${b.ports.webhook}`, first.ca.certPem);
    await b.waitForLog('Successfully acquired lease', 90_000);
    await eventually(async () => assert.equal((await b.readyz()).status, 200), { timeoutMs: 60_000 });
    await cluster.client.create(LEADERWORKERSETS, small('cm-before') as never);
    await waitAvailable(cluster.client, NS, 'cm-before', 1);

    const pid = b.pid;
    const second = await writeServingCertificate(certDir, first.ca);
    const expected = new X509Certificate(second.serving.certPem).serialNumber;
    const writtenAt = Date.now();
    await eventually(async () => assert.equal((await servedCertificate(b.ports.webhook)).serialNumber, expected), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    t.diagnostic(`new certificate served ${Date.now() - writtenAt} ms after the files changed`);
    await cluster.client.create(LEADERWORKERSETS, small('cm-after') as never);
    await waitAvailable(cluster.client, NS, 'cm-after', 1);
    assert.equal(b.pid, pid);
    assert.equal(b.running, true);
  });
});
