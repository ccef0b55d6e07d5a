// The controller's metrics and alerts on a REAL Prometheus (Debian's package, hack/prometheus.sh): Prometheus scrapes
// `lwsctl controller`'s /metrics over HTTPS with a ServiceAccount bearer token, as the ServiceMonitor does; promtool
// unit-tests the shipped rules; a rolling update is seen in the new histograms, and a group that never turns Ready
// and a rollout that stops moving fire their alerts (the shipped expressions, with test-sized durations).
// LWS_PROMETHEUS_SCREENSHOT=docs/img/prometheus-rollout.png also takes a screenshot of the rollout graph with
// headless Chromium (Debian's package) for docs/observability.md.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { stringify } from 'yaml';
import { LEADERWORKERSETS } from '../../src/lws/api/resources.ts';
import type { LeaderWorkerSet } from '../../src/lws/api/types.ts';
import { alertRules, METRICS_JOB } from '../../src/lws/manifests/monitoring.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { ManagerProcess } from '../../src/tooling/testing/manager-process.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import {
  prometheusBinaries,
  PrometheusProcess,
  promtool,
  type PrometheusAlert,
} from '../../src/tooling/testing/prometheus.ts';
import {
  registerWebhooks,
  waitAvailable,
  writeServingCertificate,
} from '../../src/tooling/testing/runtime-fixtures.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const READY_DELAY = 'pod-ready.stage.kwok.x-k8s.io/delay';
const NS = 'apps';
/** The shipped alert expressions with durations a test can wait for. */
const TEST_ALERTS = { groupNotReadyFor: '20s', rolloutStuckFor: '20s', controllerDownFor: '20s', rateWindow: '30s' };

let bin: string;
let cluster: PrivateCluster;
let controller: ManagerProcess | undefined;
let prometheus: PrometheusProcess | undefined;
let dir: string;
let certPem: string;

before(async () => {
  bin = await prometheusBinaries();
  dir = mkdtempSync(join(tmpdir(), 'lws-prometheus-'));
  cluster = await startPrivateCluster('prom');
  await cluster.kubectl('create', 'namespace', 'lws-system');
  await cluster.kubectl('create', 'namespace', NS);
  const certDir = join(cluster.dir, 'webhook-certs');
  const { ca, serving } = await writeServingCertificate(certDir);
  certPem = serving.certPem;
  controller = await ManagerProcess.start({
    cluster,
    id: 'prom',
    certDir,
    config: 'internalCertManagement:\n  enable: false\n',
  });
  await controller.waitForLog('Successfully acquired lease', 120_000);
  await registerWebhooks(cluster.client, `https://127.0.0.1:${controller.ports.webhook}`, ca.certPem);

  // What the ServiceMonitor's Prometheus has: a ServiceAccount allowed to GET /metrics, its token as bearer.
  await cluster.kubectl('create', 'serviceaccount', 'prometheus', '-n', 'lws-system');
  await cluster.kubectl('create', 'clusterrole', 'lws-metrics-reader', '--verb=get', '--non-resource-url=/metrics');
  await cluster.kubectl(
    'create',
    'clusterrolebinding',
    'prometheus-metrics',
    '--clusterrole=lws-metrics-reader',
    '--serviceaccount=lws-system:prometheus',
  );
  const token = (await cluster.kubectl('create', 'token', 'prometheus', '-n', 'lws-system', '--duration=2h')).trim();
  prometheus = await PrometheusProcess.start({
    binDir: bin,
    dir,
    cluster: cluster.name,
    files: { token, 'rules.yaml': stringify({ groups: alertRules(TEST_ALERTS) }) },
    config: {
      global: { scrape_interval: '2s', evaluation_interval: '2s' },
      rule_files: [join(dir, 'rules.yaml')],
      scrape_configs: [
        {
          // The ServiceMonitor's endpoint (operator/core/operand.ts): https, bearer token file, internal-certificate
          // mode (self-signed serving certificate, not verified); the job is the metrics Service's name.
          job_name: METRICS_JOB,
          // honorLabels: the metrics' own namespace label (the LeaderWorkerSet's) wins over the target's.
          honor_labels: true,
          scheme: 'https',
          metrics_path: '/metrics',
          authorization: { type: 'Bearer', credentials_file: join(dir, 'token') },
          tls_config: { insecure_skip_verify: true },
          static_configs: [{ targets: [`127.0.0.1:${controller.ports.metrics}`], labels: { namespace: 'lws-system' } }],
        },
      ],
    },
  });
});

after(async () => {
  await prometheus?.stop();
  await controller?.stop();
  await cluster?.down();
  rmSync(dir, { recursive: true, force: true });
});

const value = async (expr: string): Promise<number> => {
  const r = await prometheus!.query(expr);
  assert.equal(r.length, 1, `${expr}: ${JSON.stringify(r)}`);
  return Number(r[0]!.value[1]);
};

async function firing(alert: string, labels: Record<string, string>, timeoutMs = 240_000): Promise<PrometheusAlert> {
  return eventually(
    async () => {
      const all = await prometheus!.alerts();
      const found = all.find(
        (a) => a.labels.alertname === alert && Object.entries(labels).every(([k, v]) => a.labels[k] === v),
      );
      assert.equal(found?.state, 'firing', `${alert} ${JSON.stringify(labels)}: ${JSON.stringify(all)}`);
      return found!;
    },
    { timeoutMs, intervalMs: 2000, message: `alert ${alert} firing` },
  );
}

function slow(name: string, delay: string, replicas = 3): LeaderWorkerSet {
  return withChange(defaultLws(NS, name), (l) => {
    l.spec.replicas = replicas;
    l.spec.leaderWorkerTemplate.leaderTemplate!.metadata = { annotations: { [READY_DELAY]: delay } };
    l.spec.leaderWorkerTemplate.workerTemplate.metadata = { annotations: { [READY_DELAY]: delay } };
  });
}

const patchImage = (name: string, image: string, delay?: string) =>
  cluster.kubectl(
    'patch',
    'leaderworkerset',
    name,
    '-n',
    NS,
    '--type=json',
    '-p',
    JSON.stringify([
      { op: 'replace', path: '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/image', value: image },
      ...(delay
        ? [
            {
              op: 'replace',
              path: '/spec/leaderWorkerTemplate/workerTemplate/metadata/annotations',
              value: { [READY_DELAY]: delay },
            },
          ]
        : []),
    ]),
  );

describe('metrics and alerts on a real Prometheus', { timeout: 900_000 }, () => {
  test('promtool: the shipped rules load and pass their unit tests', async () => {
    const check = await promtool(bin, 'check', 'rules', 'dist/monitoring/prometheus-rules.yaml');
    assert.equal(check.code, 0, check.output);
    assert.match(check.output, /SUCCESS: 6 rules found/);
    const unit = await promtool(bin, 'test', 'rules', 'test/prometheus/lws-rules.test.yaml');
    assert.equal(unit.code, 0, unit.output);
    assert.match(unit.output, /SUCCESS/);
  });

  test('Prometheus scrapes /metrics over HTTPS with the bearer token; the certificate expiry is exported', async () => {
    const target = await eventually(
      async () => {
        const [t] = await prometheus!.targets();
        assert.equal(t?.health, 'up', JSON.stringify(t));
        return t!;
      },
      { timeoutMs: 60_000, intervalMs: 1000, message: 'target up' },
    );
    assert.equal(target.scrapeUrl, `https://127.0.0.1:${controller!.ports.metrics}/metrics`);
    assert.equal(target.labels.job, METRICS_JOB);
    assert.equal(await value(`up{job="${METRICS_JOB}"}`), 1);
    const notAfter = Math.floor(Date.parse(new X509Certificate(certPem).validTo) / 1000);
    await eventually(
      async () => assert.equal(await value('lws_webhook_certificate_expiry_timestamp_seconds'), notAfter),
      {
        timeoutMs: 30_000,
        intervalMs: 1000,
      },
    );
  });

  test('a rolling update: progress ratio dips and recovers, rollout duration and group time-to-Ready observed', async (t) => {
    const started = Date.now() / 1000;
    await cluster.client.create(LEADERWORKERSETS, slow('roll', '3s') as never);
    await waitAvailable(cluster.client, NS, 'roll', 3);
    await patchImage('roll', 'nginxinc/nginx-unprivileged:1.28');
    await eventually(
      async () => {
        const lws = await cluster.client.get<LeaderWorkerSet>(LEADERWORKERSETS, { namespace: NS, name: 'roll' });
        assert.equal(lws.status?.updatedReplicas, 3);
        assert.ok(!lws.status?.conditions?.some((c) => c.type === 'UpdateInProgress' && c.status === 'True'));
      },
      { timeoutMs: 180_000, intervalMs: 1000, message: 'rollout done' },
    );
    const sel = `namespace="${NS}",leaderworkerset="roll"`;
    const rollouts = await eventually(
      async () => {
        const n = await value(`lws_rollout_duration_seconds_count{${sel}}`);
        assert.equal(n, 1);
        return n;
      },
      { timeoutMs: 60_000, intervalMs: 1000, message: 'rollout observed' },
    );
    const seconds = await value(`lws_rollout_duration_seconds_sum{${sel}}`);
    const groups = await value(`lws_group_ready_seconds_count{${sel}}`);
    t.diagnostic(`rollouts ${rollouts}, rollout duration ${seconds}s, group time-to-Ready samples ${groups}`);
    assert.ok(seconds > 0, 'the rollout took some time');
    assert.ok(groups >= 6, `3 groups at creation + 3 recreated by the rollout: ${groups}`);
    await eventually(async () => assert.equal(await value(`lws_rollout_progress_ratio{${sel}}`), 1), {
      timeoutMs: 30_000,
      intervalMs: 1000,
    });
    const [series] = await prometheus!.queryRange(`lws_rollout_progress_ratio{${sel}}`, started, Date.now() / 1000, 1);
    const values = series!.values.map(([, v]) => Number(v));
    assert.ok(Math.min(...values) < 1, `the ratio went below 1 during the rollout: ${values.join(',')}`);
    assert.equal(values.at(-1), 1);

    const shot = process.env.LWS_PROMETHEUS_SCREENSHOT;
    if (shot) await screenshot(resolve(ROOT, shot), started - 30, t);
  });

  test('a group that never turns Ready fires LWSGroupNotReady; a rollout that stops fires LWSRolloutStuck', async () => {
    await cluster.client.create(LEADERWORKERSETS, slow('stuck', '1h', 1) as never);
    const notReady = await firing('LWSGroupNotReady', { namespace: NS, leaderworkerset: 'stuck' });
    assert.equal(notReady.labels.severity, 'warning');
    assert.equal(
      notReady.annotations.description,
      `1 group(s) of LeaderWorkerSet ${NS}/stuck have not been Ready for 20s.`,
    );

    await cluster.client.create(LEADERWORKERSETS, slow('halts', '1s', 2) as never);
    await waitAvailable(cluster.client, NS, 'halts', 2);
    // The new revision's workers never turn Ready: the rollout stops after its first group.
    await patchImage('halts', 'nginxinc/nginx-unprivileged:1.28', '1h');
    const stuck = await firing('LWSRolloutStuck', { namespace: NS, leaderworkerset: 'halts' });
    assert.match(
      stuck.annotations.description!,
      /^The rolling update of LeaderWorkerSet apps\/halts is at \d+% and has not moved for 20s/,
    );
    const healthy = (await prometheus!.alerts()).filter((a) => a.labels.leaderworkerset === 'roll');
    assert.deepEqual(healthy, [], 'nothing fires for the LeaderWorkerSet that rolled out');
  });

  test('the controller stopped: LWSControllerDown fires', async () => {
    await controller!.stop();
    const down = await firing('LWSControllerDown', {});
    assert.equal(down.labels.severity, 'critical');
  });
});

const run = promisify(execFile);

/** Prometheus's graph of the rollout (progress ratio and groups by state), shot by headless Chromium. */
async function screenshot(file: string, startS: number, t: { diagnostic(s: string): void }): Promise<void> {
  const range = Math.max(60, Math.ceil(Date.now() / 1000 - startS + 10));
  const q = (i: number, expr: string) =>
    `g${i}.expr=${encodeURIComponent(expr)}&g${i}.tab=0&g${i}.range_input=${range}s&g${i}.stacked=0`;
  const url =
    `${prometheus!.url}/classic/graph?` +
    [q(0, `lws_rollout_progress_ratio{leaderworkerset="roll"}`), q(1, `lws_groups{leaderworkerset="roll"}`)].join('&');
  const profile = mkdtempSync(join(tmpdir(), 'lws-chromium-'));
  mkdirSync(resolve(file, '..'), { recursive: true });
  try {
    await run(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--window-size=1280,1700',
        '--virtual-time-budget=8000',
        `--screenshot=${file}`,
        url,
      ],
      { timeout: 120_000 },
    );
    t.diagnostic(`screenshot ${file} of ${url}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
