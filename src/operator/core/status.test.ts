import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sampleOperator, type LeaderWorkerSetOperator } from '../api/types.ts';
import {
  computeStatus,
  conditionsFor,
  deploymentAvailable,
  deploymentRollingOut,
  mergeConditions,
  statusChanged,
  type DeploymentState,
} from './status.ts';

const deployment = (replicas: number, status: DeploymentState['status'], generation = 3): DeploymentState => ({
  metadata: { generation, namespace: 'openshift-lws-operator', name: 'lws-controller-manager' },
  spec: { replicas },
  status: { observedGeneration: generation, ...status },
});
const ready = deployment(2, { replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 });
const byType = (conditions: Array<{ type: string }>) => Object.fromEntries(conditions.map((c: any) => [c.type, c]));

describe('Deployment health', () => {
  test('available only when every desired replica is available', () => {
    assert.equal(deploymentAvailable(undefined), false);
    assert.equal(deploymentAvailable(ready), true);
    assert.equal(deploymentAvailable(deployment(2, { availableReplicas: 1 })), false);
    assert.equal(deploymentAvailable(deployment(0, { availableReplicas: 0 })), false);
  });
  test('rolling out: unobserved generation, not updated, old pods terminating, not yet available', () => {
    assert.equal(deploymentRollingOut(ready), undefined);
    assert.match(deploymentRollingOut({ ...ready, metadata: { generation: 4 } })!, /not seen/);
    assert.equal(deploymentRollingOut(deployment(2, { updatedReplicas: 1, replicas: 2 })), '1 of 2 replicas updated');
    assert.equal(
      deploymentRollingOut(deployment(2, { updatedReplicas: 2, replicas: 3, availableReplicas: 2 })),
      '1 old replicas terminating',
    );
    assert.equal(
      deploymentRollingOut(deployment(2, { updatedReplicas: 2, replicas: 2, availableReplicas: 1 })),
      '1 of 2 replicas available',
    );
  });
});

describe('conditionsFor: one table row per outcome', () => {
  const rows: Array<
    [string, Parameters<typeof conditionsFor>[0], DeploymentState | undefined, Record<string, string>]
  > = [
    [
      'applied, Deployment ready',
      { kind: 'applied', mode: 'internal' },
      ready,
      {
        Available: 'True/AsExpected',
        Degraded: 'False/AsExpected',
        Progressing: 'False/AsExpected',
        CertificateManagement: 'True/Internal',
        TargetConfigControllerDegraded: 'False/AsExpected',
      },
    ],
    [
      'applied, Deployment rolling out',
      { kind: 'applied', mode: 'cert-manager' },
      deployment(2, { updatedReplicas: 1, replicas: 2, availableReplicas: 2 }),
      {
        Available: 'True/AsExpected',
        Degraded: 'False/AsExpected',
        Progressing: 'True/DeploymentProgressing',
        CertificateManagement: 'True/CertManager',
        TargetConfigControllerDegraded: 'False/AsExpected',
      },
    ],
    [
      'waiting for cert-manager',
      { kind: 'applied', mode: 'cert-manager', waitingForSecret: 'webhook-server-cert' },
      undefined,
      {
        Available: 'False/DeploymentUnavailable',
        Degraded: 'False/AsExpected',
        Progressing: 'True/WaitingForCertificate',
        CertificateManagement: 'True/CertManager',
        TargetConfigControllerDegraded: 'False/AsExpected',
      },
    ],
    [
      'missing dependency',
      { kind: 'degraded', reason: 'MissingDependency', message: 'please make sure…' },
      undefined,
      {
        Available: 'False/DeploymentUnavailable',
        Degraded: 'True/MissingDependency',
        Progressing: 'False/MissingDependency',
        TargetConfigControllerDegraded: 'True/MissingDependency',
      },
    ],
    [
      'sync error keeps Available from the Deployment',
      { kind: 'failed', message: 'boom', mode: 'internal' },
      ready,
      {
        Available: 'True/AsExpected',
        Degraded: 'True/SyncError',
        Progressing: 'False/SyncError',
        CertificateManagement: 'True/Internal',
        TargetConfigControllerDegraded: 'True/SyncError',
      },
    ],
    [
      'removed',
      { kind: 'removed' },
      ready,
      {
        Available: 'False/Removed',
        Degraded: 'False/AsExpected',
        Progressing: 'False/Removed',
        TargetConfigControllerDegraded: 'False/AsExpected',
      },
    ],
  ];
  for (const [name, outcome, d, expected] of rows) {
    test(name, () => {
      const got = Object.fromEntries(conditionsFor(outcome, d).map((c) => [c.type, `${c.status}/${c.reason}`]));
      assert.deepEqual(got, expected);
    });
  }
  test('messages: upstream text for an unavailable Deployment, the error for SyncError', () => {
    const c = byType(conditionsFor({ kind: 'failed', message: 'connection refused' }, undefined));
    assert.equal(c.Available.message, 'Operand Deployment is not available');
    assert.equal(c.Degraded.message, 'connection refused');
  });
});

describe('mergeConditions', () => {
  test('lastTransitionTime moves only when the status changes; foreign conditions are kept', () => {
    const before = [
      { type: 'Available', status: 'True' as const, reason: 'AsExpected', lastTransitionTime: 't0' },
      { type: 'Degraded', status: 'False' as const, reason: 'AsExpected', lastTransitionTime: 't0' },
      { type: 'SomeoneElses', status: 'True' as const, lastTransitionTime: 't0' },
    ];
    const merged = byType(
      mergeConditions(
        before,
        [
          { type: 'Available', status: 'True', reason: 'AsExpected' },
          { type: 'Degraded', status: 'True', reason: 'SyncError' },
        ],
        't1',
      ),
    );
    assert.equal(merged.Available.lastTransitionTime, 't0');
    assert.equal(merged.Degraded.lastTransitionTime, 't1');
    assert.equal(merged.SomeoneElses.lastTransitionTime, 't0');
  });
});

describe('computeStatus', () => {
  const cr = (): LeaderWorkerSetOperator => {
    const o = sampleOperator();
    o.metadata.generation = 7;
    return o;
  };
  test('readyReplicas from availableReplicas, generations from the Deployment, observedGeneration', () => {
    const s = computeStatus(cr(), { kind: 'applied', mode: 'internal' }, ready, 't');
    assert.equal(s.readyReplicas, 2);
    assert.equal(s.observedGeneration, 7);
    assert.deepEqual(s.generations, [
      {
        group: 'apps',
        resource: 'deployments',
        namespace: 'openshift-lws-operator',
        name: 'lws-controller-manager',
        lastGeneration: 3,
      },
    ]);
  });
  test('removed: no replicas, no generation entry', () => {
    const s = computeStatus(cr(), { kind: 'removed' }, ready, 't');
    assert.equal(s.readyReplicas, 0);
    assert.deepEqual(s.generations, []);
  });
  test('statusChanged ignores key order and timestamps kept by the merge', () => {
    const o = cr();
    o.status = computeStatus(o, { kind: 'applied', mode: 'internal' }, ready, 't0');
    const again = computeStatus(o, { kind: 'applied', mode: 'internal' }, ready, 't1');
    assert.equal(statusChanged(o, again), false);
    const changed = computeStatus(o, { kind: 'failed', message: 'x' }, ready, 't1');
    assert.equal(statusChanged(o, changed), true);
  });
});
