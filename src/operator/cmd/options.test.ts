import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../k8s/go/errors.ts';
import { parseOperatorOptions } from './options.ts';

// A kubeconfig is resolved but never used here; point KUBECONFIG at nothing so the machine's file is not read.
const env = (extra: Record<string, string> = {}) => ({ KUBECONFIG: '/dev/null', ...extra });

describe('parseOperatorOptions', () => {
  test('defaults: namespace openshift-lws-operator, auto certificates, 5m resync, leader election, :8443/:8081', () => {
    const o = parseOperatorOptions([], env());
    assert.equal(o.namespace, 'openshift-lws-operator');
    assert.equal(o.certificates, 'auto');
    assert.equal(o.resyncPeriodMs, 300_000);
    assert.equal(o.leaderElection, true);
    assert.deepEqual(o.metrics.address, { port: 8443 });
    assert.equal(o.metrics.secure, true);
    assert.deepEqual(o.health.address, { port: 8081 });
    assert.equal(o.operandImage, undefined);
  });
  test('environment: POD_NAMESPACE and RELATED_IMAGE_OPERAND_IMAGE; flags win', () => {
    const fromEnv = parseOperatorOptions([], env({ POD_NAMESPACE: 'ops', RELATED_IMAGE_OPERAND_IMAGE: ' img:1 ' }));
    assert.equal(fromEnv.namespace, 'ops');
    assert.equal(fromEnv.operandImage, 'img:1');
    const fromFlags = parseOperatorOptions(
      ['--namespace=other', '--operand-image=img:2'],
      env({ POD_NAMESPACE: 'ops', RELATED_IMAGE_OPERAND_IMAGE: 'img:1' }),
    );
    assert.equal(fromFlags.namespace, 'other');
    assert.equal(fromFlags.operandImage, 'img:2');
  });
  test('switches', () => {
    const o = parseOperatorOptions(
      [
        '--no-leader-elect',
        '--no-metrics-secure',
        '--metrics-bind-address=0',
        '--health-probe-bind-address=127.0.0.1:9',
      ],
      env(),
    );
    assert.equal(o.leaderElection, false);
    assert.equal(o.metrics.address, undefined);
    assert.deepEqual(o.health.address, { host: '127.0.0.1', port: 9 });
  });
  const bad: Array<[string[], RegExp]> = [
    [['--certificates=vault'], /--certificates: must be one of auto, cert-manager, internal, not "vault"/],
    [['--namespace=Not_A_Name'], /--namespace: "Not_A_Name" is not a valid namespace name/],
    [['--resync-period=10ms'], /--resync-period: must be at least 1s/],
    [['--resync-period=soon'], /--resync-period: time: invalid duration "soon"/],
    [['--metrics-bind-address=nowhere'], /--metrics-bind-address: Invalid value: "nowhere"/],
    [['--log-level=loud'], /--log-level: must be one of trace, debug, info, warn, error/],
    [['extra'], /unexpected argument "extra"/],
  ];
  for (const [argv, message] of bad) {
    test(`rejects ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseOperatorOptions(argv, env()),
        (e: Error) => e instanceof UsageError && message.test(e.message),
      );
    });
  }
});
