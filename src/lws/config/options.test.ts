import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigurationError, FlagError } from '../../k8s/go/errors.ts';
import { loadControllerCommand, type ControllerOptions, type Environment } from './options.ts';

function environment(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Environment {
  return {
    env,
    namespaceFile: '/sa/namespace',
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error('no such file or directory');
      return text;
    },
  };
}

async function load(argv: string[], files: Record<string, string> = {}, env?: NodeJS.ProcessEnv) {
  const command = await loadControllerCommand(argv, environment(files, env));
  assert.equal(command.kind, 'run');
  return (command as { options: ControllerOptions }).options;
}

async function problems(argv: string[], files: Record<string, string>): Promise<string> {
  try {
    await load(argv, files);
  } catch (e) {
    assert.ok(e instanceof ConfigurationError, String(e));
    return e.message;
  }
  assert.fail('expected a ConfigurationError');
}

const file = (body: string) => `apiVersion: config.lws.x-k8s.io/v1alpha1\nkind: Configuration\n${body}`;

describe('lwsctl controller options', () => {
  test("upstream's defaults without a config file", async () => {
    const o = await load([]);
    assert.equal(o.namespace, 'lws-system');
    assert.deepEqual(o.leaderElection, {
      enabled: true,
      namespace: 'lws-system',
      name: 'b8b2488c.x-k8s.io',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
    assert.deepEqual(o.metrics.address, { port: 8443 });
    assert.equal(o.metrics.secure, true);
    assert.deepEqual(o.health, { address: { port: 8081 }, readinessPath: '/readyz', livenessPath: '/healthz' });
    assert.equal(o.webhooks.port, 9443);
    assert.equal(o.webhooks.enabled, true);
    assert.deepEqual(o.client.qps, 500);
    assert.deepEqual(o.client.burst, 500);
    assert.match(o.client.userAgent, /^lws-ts\/v\S+ \(linux\/\w+\) \w+$/);
    assert.equal(o.logLevel, 'debug', 'zap development mode is on by default');
    assert.deepEqual(o.certificates, {
      mode: 'internal',
      secretName: 'lws-webhook-server-cert',
      serviceName: 'lws-webhook-service',
      dnsName: 'lws-webhook-service.lws-system.svc',
      serverValidityMs: 365 * 24 * 3_600_000,
      extraSans: [],
    });
  });

  test('the namespace comes from the service-account file', async () => {
    const o = await load([], { '/sa/namespace': 'ops\n' });
    assert.equal(o.namespace, 'ops');
    assert.equal(o.leaderElection.namespace, 'ops');
    assert.equal(o.certificates.mode === 'internal' && o.certificates.dnsName, 'lws-webhook-service.ops.svc');
  });

  test('the file sets values; only explicitly passed flags override it', async () => {
    const files = {
      '/c.yaml': file(`leaderElection:
  leaderElect: false
  leaseDuration: 30s
  renewDeadline: 20s
  retryPeriod: 5s
  resourceName: my-lock
metrics:
  bindAddress: 127.0.0.1:9000
health:
  healthProbeBindAddress: ":9001"
clientConnection:
  qps: 50
  burst: 100
webhook:
  port: 9444
  host: 127.0.0.1
internalCertManagement:
  enable: false
`),
    };
    const fromFile = await load(['--config=/c.yaml'], files);
    assert.equal(fromFile.leaderElection.enabled, false);
    assert.equal(fromFile.leaderElection.leaseDurationMs, 30_000);
    assert.equal(fromFile.leaderElection.name, 'my-lock');
    assert.deepEqual(fromFile.metrics.address, { host: '127.0.0.1', port: 9000 });
    assert.deepEqual(fromFile.health.address, { port: 9001 });
    assert.deepEqual([fromFile.client.qps, fromFile.client.burst], [50, 100]);
    assert.deepEqual([fromFile.webhooks.host, fromFile.webhooks.port], ['127.0.0.1', 9444]);
    assert.deepEqual(fromFile.certificates, { mode: 'external', certDir: '/tmp/k8s-webhook-server/serving-certs' });

    const overridden = await load(
      ['--config', '/c.yaml', '--leader-elect', '--kube-api-qps=7', '--metrics-bind-address=:7000', '--leader-elect-lease-duration=40s'],
      files,
    );
    assert.equal(overridden.leaderElection.enabled, true);
    assert.equal(overridden.leaderElection.leaseDurationMs, 40_000);
    assert.equal(overridden.leaderElection.renewDeadlineMs, 20_000, 'not passed: the file wins');
    assert.equal(overridden.client.qps, 7);
    assert.equal(overridden.client.burst, 100);
    assert.deepEqual(overridden.metrics.address, { port: 7000 });
  });

  test('"0" disables the metrics and probe servers', async () => {
    const o = await load(['--metrics-bind-address=0', '--health-probe-bind-address=0']);
    assert.equal(o.metrics.address, undefined);
    assert.equal(o.health.address, undefined);
  });

  test('ENABLE_WEBHOOKS=false turns the webhooks off', async () => {
    assert.equal((await load([], {}, { ENABLE_WEBHOOKS: 'false' })).webhooks.enabled, false);
    assert.equal((await load([], {}, { ENABLE_WEBHOOKS: 'true' })).webhooks.enabled, true);
  });

  test('--zap-log-level maps onto log levels', async () => {
    assert.equal((await load(['--zap-log-level=2'])).logLevel, 'debug');
    assert.equal((await load(['--zap-log-level=info'])).logLevel, 'info');
    assert.equal((await load(['--zap-devel=false'])).logLevel, 'info');
    assert.equal((await load(['--zap-log-level=10'])).logLevel, 'trace');
    await assert.rejects(load(['--zap-log-level=loud']), {
      name: 'FlagError',
      message: 'invalid value "loud" for flag -zap-log-level: invalid log level "loud"',
    });
  });

  test('gang scheduling: each supported provider is accepted and reaches the options', async () => {
    assert.equal((await load([])).gangScheduling, undefined);
    for (const provider of ['volcano', 'kubernetes'] as const) {
      const o = await load(['--config=/c.yaml'], {
        '/c.yaml': file(`gangSchedulingManagement:\n  schedulerProvider: ${provider}\n`),
      });
      assert.deepEqual(o.gangScheduling, { provider });
      assert.deepEqual(o.effective.gangSchedulingManagement, { schedulerProvider: provider });
    }
  });

  test('--version short-circuits', async () => {
    assert.deepEqual(await loadControllerCommand(['--version'], environment({})), { kind: 'version' });
  });

  test('flag mistakes are FlagErrors', async () => {
    await assert.rejects(load(['--leader-elect-lease-duration=15']), FlagError);
    await assert.rejects(load(['--metrics-addr=:1']), { message: 'flag provided but not defined: -metrics-addr' });
  });

  describe('bad configuration files fail naming the field', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['unknown field', 'webhook:\n  prt: 9443\n', /strict decoding error: unknown field "webhook\.prt"/],
      ['bad port', 'webhook:\n  port: 70000\n', /webhook\.port: Invalid value: 70000: must be between 1 and 65535, inclusive/],
      ['port of the wrong type', 'webhook:\n  port: "x"\n', /webhook\.port: Invalid value: "x": must be an integer/],
      [
        'bad duration',
        'leaderElection:\n  leaseDuration: 15\n',
        /leaderElection\.leaseDuration: Invalid value: 15: must be a duration string/,
      ],
      [
        'unparseable duration',
        'leaderElection:\n  renewDeadline: soon\n',
        /leaderElection\.renewDeadline: Invalid value: "soon": time: invalid duration "soon"/,
      ],
      [
        'renew deadline not below the lease',
        'leaderElection:\n  leaseDuration: 10s\n  renewDeadline: 10s\n',
        /leaderElection\.leaseDuration: Invalid value: "10s": must be greater than leaderElection\.renewDeadline \(10s\)/,
      ],
      [
        'bad service name',
        'internalCertManagement:\n  webhookServiceName: 1-svc\n',
        /internalCertManagement\.webhookServiceName: Invalid value: "1-svc": a DNS-1035 label must consist of/,
      ],
      [
        'bad secret name',
        'internalCertManagement:\n  webhookSecretName: Bad_Name\n',
        /internalCertManagement\.webhookSecretName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
      ],
      ['bad metrics address', 'metrics:\n  bindAddress: nope\n', /metrics\.bindAddress: Invalid value: "nope"/],
      ['unknown lock', 'leaderElection:\n  resourceLock: configmaps\n', /leaderElection\.resourceLock: Unsupported value: "configmaps"/],
      [
        'gang scheduling without provider',
        'gangSchedulingManagement: {}\n',
        /schedulerProvider: Required value: must be set when gang scheduling is enabled/,
      ],
      [
        'unsupported provider',
        'gangSchedulingManagement:\n  schedulerProvider: kai\n',
        /schedulerProvider: Unsupported value: "kai": supported values: "volcano", "kubernetes"/,
      ],
      ['old TLS', 'tls:\n  minVersion: VersionTLS11\n', /tls\.minVersion: .*Please use VersionTLS12 or VersionTLS13/],
      ['unknown cipher', 'tls:\n  cipherSuites: [TLS_NOPE]\n', /tls\.cipherSuites\[0\]: .*TLS_NOPE not supported/],
      ['duplicate key', 'webhook:\n  port: 1\n  port: 2\n', /error converting YAML to JSON/],
    ];
    for (const [name, body, expected] of cases) {
      test(name, async () => {
        const message = await problems(['--config=/c.yaml'], { '/c.yaml': file(body) });
        assert.match(message, expected);
        assert.match(message, /\/c\.yaml|invalid configuration/);
      });
    }

    test('wrong apiVersion and kind', async () => {
      const message = await problems(['--config=/c.yaml'], { '/c.yaml': 'apiVersion: v1\nkind: ConfigMap\n' });
      assert.match(message, /kind: Unsupported value: "ConfigMap"/);
      assert.match(message, /apiVersion: Unsupported value: "v1"/);
    });

    test('a missing file', async () => {
      assert.match(await problems(['--config=/none.yaml'], {}), /open \/none\.yaml/);
    });

    test('flags are named when they break a relation', async () => {
      const message = await problems(['--leader-elect-renew-deadline=20s'], {});
      assert.match(message, /--leader-elect-lease-duration|leaderElection\.leaseDuration/);
      assert.match(message, /--leader-elect-renew-deadline \(20s\)/);
    });
  });

  test("upstream's shipped controller_manager_config.yaml loads", async () => {
    const o = await load(['--config=/c.yaml', '--zap-log-level=2'], {
      '/c.yaml': file('leaderElection:\n  leaderElect: true\ninternalCertManagement:\n  enable: true\n'),
    });
    assert.equal(o.leaderElection.enabled, true);
    assert.equal(o.certificates.mode, 'internal');
  });
});
