// What `lwsctl controller` logs (docs/security.md): a full run at the most verbose level — internal certificate
// management (CA and serving keys in a Secret), webhooks serving pod and LWS admissions, an LWS whose pods read a
// user Secret, metrics scraped with good and bad bearer tokens, scale and delete — and then its whole log is
// searched for every secret it could have seen: private keys (PEM and base64), the Secrets' data values (raw
// and base64), the bearer tokens, and the kubeconfig's credentials. None may appear.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse } from 'yaml';
import { SECRETS } from '../../src/k8s/client/resources.ts';
import { LEADERWORKERSETS } from '../../src/lws/api/resources.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { ManagerProcess } from '../../src/tooling/testing/manager-process.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import { registerWebhooks, waitAvailable } from '../../src/tooling/testing/runtime-fixtures.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';

let cluster: PrivateCluster;
let controller: ManagerProcess | undefined;
const NS = 'apps';

before(async () => {
  cluster = await startPrivateCluster('seclog');
  await cluster.kubectl('create', 'namespace', 'lws-system');
  await cluster.kubectl('create', 'namespace', NS);
});
after(async () => {
  await controller?.stop();
  await cluster?.down();
});

function scrape(port: number, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/metrics',
        rejectUnauthorized: false,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Every string a leak would show: the value, its base64, and each line of a PEM body. */
function leakForms(value: string): string[] {
  const forms = [value, Buffer.from(value).toString('base64')];
  for (const line of value.split('\n')) if (line.length >= 32 && !line.startsWith('-----')) forms.push(line);
  return forms.filter((f) => f.length >= 16);
}

describe('logs of a full run', { timeout: 400_000 }, () => {
  test('contain no private key, Secret data, bearer token or kubeconfig credential', async () => {
    controller = await ManagerProcess.start({
      cluster,
      id: 'seclog',
      args: ['--zap-log-level=debug', '--webhook-cert-extra-sans=127.0.0.1'],
    });
    await registerWebhooks(cluster.client, `https://127.0.0.1:${controller.ports.webhook}`);
    await controller.waitForLog('CA certs are injected to webhooks', 90_000);
    await controller.waitForLog('Successfully acquired lease', 90_000);

    const password = `pw-${randomBytes(16).toString('hex')}`;
    await cluster.kubectl(
      'create',
      'secret',
      'generic',
      'user-secret',
      '-n',
      NS,
      `--from-literal=password=${password}`,
    );
    const lws = withChange(defaultLws(NS, 'sec'), (l) => {
      l.spec.replicas = 1;
      for (const t of [l.spec.leaderWorkerTemplate.workerTemplate]) {
        for (const c of t.spec!.containers) {
          c.env = [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'user-secret', key: 'password' } } }];
        }
      }
    });
    await eventually(() => cluster.client.create(LEADERWORKERSETS, lws as never), { timeoutMs: 60_000 });
    await waitAvailable(cluster.client, NS, 'sec', 1);

    await cluster.kubectl('create', 'serviceaccount', 'scraper', '-n', 'lws-system');
    await cluster.kubectl('create', 'clusterrole', 'lws-metrics-reader', '--verb=get', '--non-resource-url=/metrics');
    await cluster.kubectl(
      'create',
      'clusterrolebinding',
      'scraper-metrics',
      '--clusterrole=lws-metrics-reader',
      '--serviceaccount=lws-system:scraper',
    );
    const token = (await cluster.kubectl('create', 'token', 'scraper', '-n', 'lws-system')).trim();
    const bogus = `bogus-${randomBytes(24).toString('hex')}`;
    await eventually(async () => assert.equal(await scrape(controller!.ports.metrics, token), 200));
    assert.equal(await scrape(controller.ports.metrics, bogus), 401);

    await cluster.kubectl('scale', 'leaderworkerset', 'sec', '-n', NS, '--replicas=2');
    await waitAvailable(cluster.client, NS, 'sec', 2);
    await cluster.kubectl('delete', 'leaderworkerset', 'sec', '-n', NS);
    await controller.stop();

    const log = readFileSync(controller.logFile, 'utf8');
    assert.ok(
      log.split('\n').some((l) => l.includes('"level":"debug"')),
      'the run logged at debug level',
    );

    const secrets: Array<[string, string]> = [
      ['user Secret password', password],
      ['metrics bearer token', token],
    ];
    secrets.push(['rejected bearer token', bogus]);
    const certSecret = await cluster.client.get<{ data: Record<string, string> }>(SECRETS, {
      namespace: 'lws-system',
      name: 'lws-webhook-server-cert',
    });
    for (const [key, value] of Object.entries(certSecret.data)) {
      if (key.endsWith('.key')) secrets.push([`webhook Secret ${key}`, Buffer.from(value, 'base64').toString('utf8')]);
    }
    const kubeconfig = parse(readFileSync(cluster.kubeconfig, 'utf8')) as {
      users: Array<{ user: Record<string, string> }>;
    };
    for (const { user } of kubeconfig.users) {
      if (user['client-key-data']) {
        secrets.push(['kubeconfig client key', Buffer.from(user['client-key-data'], 'base64').toString('utf8')]);
      }
      if (user.token) secrets.push(['kubeconfig token', user.token]);
    }
    assert.ok(secrets.length >= 5, `collected ${secrets.length} secrets to look for`);
    for (const [what, value] of secrets) {
      for (const form of leakForms(value)) assert.ok(!log.includes(form), `the log contains the ${what}`);
    }
    assert.doesNotMatch(log, /PRIVATE KEY/, 'no PEM private key in the log');
  });
});
