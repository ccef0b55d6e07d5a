import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CRD_NAME } from '../../lws/api/crd.ts';
import { sampleOperator, type LeaderWorkerSetOperator } from '../api/types.ts';
import { objectKey, type OperandObject } from './operand.ts';
import {
  CERT_MANAGER_MISSING_MESSAGE,
  certificateModeFor,
  isOperatorOwned,
  managementStateOf,
  MANAGED_BY_LABEL,
  planOperand,
  type OperatorFacts,
} from './plan.ts';

const facts = (extra: Partial<OperatorFacts> = {}): OperatorFacts => ({
  namespace: 'openshift-lws-operator',
  operandImage: 'example.com/lws:v1',
  certificates: 'auto',
  certManagerInstalled: false,
  serviceMonitorInstalled: false,
  ...extra,
});
const instance = (change: (cr: LeaderWorkerSetOperator) => void = () => {}) => {
  const cr = sampleOperator();
  cr.metadata.uid = 'uid-1';
  change(cr);
  return cr;
};
const applied = (cr: LeaderWorkerSetOperator, f = facts()) => {
  const plan = planOperand(cr, f);
  assert.equal(plan.action, 'apply', JSON.stringify(plan));
  return plan as Extract<typeof plan, { action: 'apply' }>;
};
const DS_CRDS = [
  'disaggregatedsets.disaggregatedset.x-k8s.io',
  'disaggregatedsetrolescalers.disaggregatedset.x-k8s.io',
];
const find = (objects: OperandObject[], kind: string): any => objects.find((o) => o.kind === kind);

describe('planOperand: management states', () => {
  const cases: Array<[string, (cr: LeaderWorkerSetOperator) => void, string]> = [
    ['Managed', (cr) => (cr.spec.managementState = 'Managed'), 'apply'],
    ['empty means Managed', (cr) => ((cr.spec as any).managementState = ''), 'apply'],
    ['Force is Managed (upstream silently did nothing)', (cr) => (cr.spec.managementState = 'Force'), 'apply'],
    ['Unmanaged leaves everything', (cr) => (cr.spec.managementState = 'Unmanaged'), 'unmanaged'],
    ['Removed removes the operand', (cr) => (cr.spec.managementState = 'Removed'), 'remove'],
    [
      'being deleted removes, whatever the state',
      (cr) => {
        cr.spec.managementState = 'Unmanaged';
        cr.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
      },
      'remove',
    ],
    ['another name is ignored', (cr) => (cr.metadata.name = 'other'), 'ignore'],
  ];
  for (const [name, change, action] of cases) {
    test(name, () => assert.equal(planOperand(instance(change), facts()).action, action));
  }

  test('why a removal happens', () => {
    const deleted = planOperand(
      instance((cr) => (cr.metadata.deletionTimestamp = 'x')),
      facts(),
    );
    assert.deepEqual(deleted, { action: 'remove', why: 'Deleted' });
    assert.deepEqual(
      planOperand(
        instance((cr) => (cr.spec.managementState = 'Removed')),
        facts(),
      ),
      {
        action: 'remove',
        why: 'Removed',
      },
    );
  });
  test('managementStateOf', () => {
    assert.equal(managementStateOf(instance((cr) => (cr.spec.managementState = 'Force'))), 'Managed');
    assert.equal(managementStateOf(instance((cr) => (cr.spec.managementState = 'Removed'))), 'Removed');
  });
});

describe('planOperand: degraded instead of a broken operand', () => {
  test('no operand image: MissingOperandImage naming the variable', () => {
    for (const operandImage of [undefined, '', '  ']) {
      const plan = planOperand(instance(), facts({ operandImage }));
      assert.equal(plan.action, 'degraded');
      assert.equal((plan as any).reason, 'MissingOperandImage');
      assert.match((plan as any).message, /RELATED_IMAGE_OPERAND_IMAGE/);
    }
  });
  test('cert-manager required but not installed: MissingDependency with upstream message', () => {
    const plan = planOperand(instance(), facts({ certificates: 'cert-manager' }));
    assert.deepEqual(plan, { action: 'degraded', reason: 'MissingDependency', message: CERT_MANAGER_MISSING_MESSAGE });
  });
  test('a bad spec names the field (an old CRD without validation could let it through)', () => {
    const plan = planOperand(
      instance((cr) => (cr.spec.nodePlacement = { tolerations: [{ operator: 'Exists', value: 'x' }] })),
      facts(),
    );
    assert.equal(plan.action, 'degraded');
    assert.equal((plan as any).reason, 'InvalidSpec');
    assert.match((plan as any).message, /^spec\.nodePlacement\.tolerations\[0\]\.value: Invalid value/);
    const level = planOperand(
      instance((cr) => ((cr.spec as any).logLevel = 'Loud')),
      facts(),
    );
    assert.match((level as any).message, /^spec\.logLevel: Unsupported value: "Loud"/);
  });
});

describe('planOperand: certificate mode', () => {
  const table: Array<[OperatorFacts['certificates'], boolean, string]> = [
    ['auto', false, 'internal'],
    ['auto', true, 'cert-manager'],
    ['internal', true, 'internal'],
    ['cert-manager', true, 'cert-manager'],
    ['cert-manager', false, 'missing'],
  ];
  for (const [certificates, installed, mode] of table) {
    test(`${certificates} with cert-manager ${installed ? 'installed' : 'absent'} → ${mode}`, () => {
      assert.equal(certificateModeFor({ certificates, certManagerInstalled: installed }), mode);
    });
  }
  test('cert-manager mode renders Issuer + Certificate and gates on the Secret', () => {
    const plan = applied(instance(), facts({ certManagerInstalled: true }));
    assert.equal(plan.mode, 'cert-manager');
    assert.deepEqual(plan.waitForSecrets, ['webhook-server-cert', 'metrics-server-cert']);
    assert.ok(find(plan.objects, 'Issuer'));
    assert.equal(find(plan.objects, 'Certificate').spec.secretName, 'webhook-server-cert');
  });
  test('internal mode has no gate and no cert-manager objects', () => {
    const plan = applied(instance());
    assert.equal(plan.waitForSecrets, undefined);
    assert.equal(find(plan.objects, 'Issuer'), undefined);
  });
  test('a ServiceMonitor only when the Prometheus Operator API is served', () => {
    assert.equal(find(applied(instance()).objects, 'ServiceMonitor'), undefined);
    assert.ok(find(applied(instance(), facts({ serviceMonitorInstalled: true })).objects, 'ServiceMonitor'));
  });
});

describe('planOperand: the objects', () => {
  const plan = applied(
    instance((cr) => {
      cr.spec.logLevel = 'TraceAll';
      cr.spec.nodePlacement = {
        nodeSelector: { 'node-role.kubernetes.io/infra': '' },
        tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }],
      };
    }),
  );
  test('every object but the CRDs is owned by the instance; the LWS and DisaggregatedSet CRDs never are', () => {
    for (const o of plan.objects) {
      const refs = (o.metadata as any).ownerReferences;
      if (o.kind === 'CustomResourceDefinition') {
        assert.ok([CRD_NAME, ...DS_CRDS].includes(o.metadata.name), o.metadata.name);
        assert.equal(refs, undefined);
      } else {
        assert.deepEqual(
          refs,
          [{ apiVersion: 'operator.openshift.io/v1', kind: 'LeaderWorkerSetOperator', name: 'cluster', uid: 'uid-1' }],
          objectKey(o),
        );
      }
      assert.equal(o.metadata.labels?.[MANAGED_BY_LABEL], 'lws-operator', objectKey(o));
    }
  });
  test('logLevel and nodePlacement reach the Deployment', () => {
    const d = find(plan.objects, 'Deployment');
    assert.ok(d.spec.template.spec.containers[0].args.includes('--zap-log-level=9'));
    assert.deepEqual(d.spec.template.spec.nodeSelector, { 'node-role.kubernetes.io/infra': '' });
    assert.deepEqual(d.spec.template.spec.tolerations, [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }]);
    assert.equal(d.spec.template.spec.containers[0].image, 'example.com/lws:v1');
  });
  test('the configured namespace is used everywhere', () => {
    const other = applied(instance(), facts({ namespace: 'lws-ops' }));
    for (const o of other.objects) if (o.metadata.namespace) assert.equal(o.metadata.namespace, 'lws-ops');
  });
});

describe('isOperatorOwned', () => {
  test('our label or an owner reference to a LeaderWorkerSetOperator', () => {
    assert.equal(isOperatorOwned({ metadata: { labels: { [MANAGED_BY_LABEL]: 'lws-operator' } } }), true);
    assert.equal(
      isOperatorOwned({
        metadata: { ownerReferences: [{ apiVersion: 'operator.openshift.io/v1', kind: 'LeaderWorkerSetOperator' }] },
      }),
      true,
    );
    assert.equal(isOperatorOwned({ metadata: { labels: { [MANAGED_BY_LABEL]: 'Helm' } } }), false);
    assert.equal(isOperatorOwned({ metadata: {} }), false);
  });
});
