import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OPERATOR_LEASE_NAME } from '../api/types.ts';
import {
  CERTIFICATE_MODES,
  compileOperandOptions,
  managerRules,
  objectKey,
  OperandOptionsError,
  renderOperand,
} from './operand.ts';
import {
  compileOperatorInstallOptions,
  mergeRules,
  operatorClusterRules,
  operatorNamespaceRules,
  renderOperatorInstall,
  rulesCover,
  type PolicyRule,
} from './operator-install.ts';

const options = compileOperatorInstallOptions({ image: 'op:1', operandImage: 'lws:1' });
const objects = renderOperatorInstall(options);
const byKind = (kind: string) => objects.find((o) => o.kind === kind) as any;

const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const allows = (rules: readonly PolicyRule[], group: string, resource: string, verbs: readonly string[]) =>
  rulesCover(rules, { apiGroups: [group], resources: [resource], verbs: [...verbs] });

describe('operator footprint', () => {
  test('names and namespaces: ServiceAccount, ClusterRole(Binding), Role(Binding), Deployment openshift-lws-operator', () => {
    assert.deepEqual(objects.map(objectKey), [
      'ServiceAccount/openshift-lws-operator/openshift-lws-operator',
      'ClusterRole/openshift-lws-operator',
      'ClusterRoleBinding/openshift-lws-operator',
      'Role/openshift-lws-operator/openshift-lws-operator',
      'RoleBinding/openshift-lws-operator/openshift-lws-operator',
      'Deployment/openshift-lws-operator/openshift-lws-operator',
    ]);
    const subject = [{ kind: 'ServiceAccount', name: 'openshift-lws-operator', namespace: 'openshift-lws-operator' }];
    assert.deepEqual(byKind('ClusterRoleBinding').subjects, subject);
    assert.deepEqual(byKind('RoleBinding').subjects, subject);
    assert.equal(byKind('ClusterRoleBinding').roleRef.name, 'openshift-lws-operator');
    assert.equal(byKind('RoleBinding').roleRef.kind, 'Role');
    const other = renderOperatorInstall(
      compileOperatorInstallOptions({ image: 'a', operandImage: 'b', namespace: 'ops' }),
    );
    for (const o of other) if (o.metadata.namespace !== undefined) assert.equal(o.metadata.namespace, 'ops');
    assert.equal((other[2] as any).subjects[0].namespace, 'ops');
  });

  test('the Deployment: one replica, lwsctl operator, env, ports, probes, hardening, requests', () => {
    const d = byKind('Deployment');
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.selector.matchLabels, { name: 'openshift-lws-operator' });
    assert.equal(d.spec.template.metadata.labels.name, 'openshift-lws-operator');
    const pod = d.spec.template.spec;
    assert.equal(pod.serviceAccountName, 'openshift-lws-operator');
    assert.deepEqual(pod.securityContext, { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const [c] = pod.containers;
    assert.equal(pod.containers.length, 1);
    assert.equal(c.name, 'openshift-lws-operator');
    assert.equal(c.image, 'op:1');
    assert.deepEqual(c.command, ['lwsctl', 'operator']);
    assert.deepEqual(c.env, [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'OPERATOR_NAME', value: 'openshift-lws-operator' },
      { name: 'RELATED_IMAGE_OPERAND_IMAGE', value: 'lws:1' },
    ]);
    assert.deepEqual(
      c.ports.map((p: any) => [p.name, p.containerPort]),
      [
        ['metrics', 8443],
        ['health', 8081],
      ],
    );
    assert.deepEqual(c.livenessProbe.httpGet, { path: '/healthz', port: 8081 });
    assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 8081 });
    assert.deepEqual(c.securityContext, {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    });
    assert.deepEqual(c.resources, { requests: { cpu: '10m', memory: '64Mi' } });
    assert.deepEqual(c.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
    assert.deepEqual(pod.volumes, [{ name: 'tmp', emptyDir: {} }]);
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
  });

  test('the ClusterRole and Role carry exactly operatorClusterRules() and operatorNamespaceRules()', () => {
    assert.deepEqual(byKind('ClusterRole').rules, operatorClusterRules());
    assert.deepEqual(byKind('Role').rules, operatorNamespaceRules());
  });

  test('escalation prevention: the operator holds every rule of every operand ClusterRole and Role, both modes', () => {
    for (const certificates of CERTIFICATE_MODES) {
      const operand = renderOperand(compileOperandOptions({ image: 'x', certificates, serviceMonitor: true }));
      for (const role of operand.filter((o) => o.kind === 'ClusterRole')) {
        for (const r of role.rules as PolicyRule[]) {
          assert.ok(rulesCover(operatorClusterRules(), r), `${certificates} ${objectKey(role)}: ${JSON.stringify(r)}`);
        }
      }
      for (const role of operand.filter((o) => o.kind === 'Role')) {
        for (const r of role.rules as PolicyRule[]) {
          assert.ok(
            rulesCover(operatorNamespaceRules(), r),
            `${certificates} ${objectKey(role)}: ${JSON.stringify(r)}`,
          );
        }
      }
      for (const r of managerRules(certificates)) assert.ok(rulesCover(operatorClusterRules(), r));
    }
  });

  test('its own needs: the instance, CRDs, webhooks, RBAC, events, metrics auth (cluster); operand objects (namespace)', () => {
    const cluster = operatorClusterRules();
    const all = [...CRUD, 'deletecollection'];
    for (const r of [
      'leaderworkersetoperators',
      'leaderworkersetoperators/status',
      'leaderworkersetoperators/finalizers',
    ]) {
      assert.ok(allows(cluster, 'operator.openshift.io', r, all), r);
    }
    assert.ok(allows(cluster, 'apiextensions.k8s.io', 'customresourcedefinitions', CRUD));
    for (const r of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']) {
      assert.ok(allows(cluster, 'admissionregistration.k8s.io', r, CRUD), r);
    }
    for (const r of ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings']) {
      assert.ok(allows(cluster, 'rbac.authorization.k8s.io', r, CRUD), r);
    }
    assert.ok(allows(cluster, 'events.k8s.io', 'events', ['create', 'patch']));
    assert.ok(allows(cluster, 'authentication.k8s.io', 'tokenreviews', ['create']));
    assert.ok(allows(cluster, 'authorization.k8s.io', 'subjectaccessreviews', ['create']));

    const ns = operatorNamespaceRules();
    // Informers list and watch everything the operator reconciles; CRUD includes both.
    for (const [group, resource] of [
      ['coordination.k8s.io', 'leases'],
      ['', 'serviceaccounts'],
      ['', 'secrets'],
      ['', 'configmaps'],
      ['', 'services'],
      ['', 'events'],
      ['apps', 'deployments'],
      ['monitoring.coreos.com', 'servicemonitors'],
      ['cert-manager.io', 'issuers'],
      ['cert-manager.io', 'certificates'],
    ] as const) {
      assert.ok(allows(ns, group, resource, CRUD), `${group}/${resource}`);
    }
    // Nothing namespaced is granted cluster-wide beyond what the operand's ClusterRoles need.
    assert.ok(!allows(cluster, 'apps', 'deployments', ['get']));
    assert.ok(!allows(cluster, '', 'configmaps', ['get']));
    assert.ok(!allows(cluster, 'coordination.k8s.io', 'leases', ['get']), `Lease ${OPERATOR_LEASE_NAME} is namespaced`);
  });

  test('mergeRules unions the verbs of identical targets and keeps the rest; rulesCover is per verb and resource', () => {
    const merged = mergeRules([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['watch', 'get'] },
    ]);
    assert.deepEqual(merged, [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    assert.ok(rulesCover(merged, { apiGroups: [''], resources: ['pods'], verbs: ['list'] }));
    assert.ok(!rulesCover(merged, { apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['list'] }));
    assert.ok(!rulesCover(merged, { apiGroups: [''], resources: ['pods'], verbs: ['delete'] }));
    assert.ok(rulesCover(merged, { nonResourceURLs: ['/metrics'], verbs: ['get'] }));
    assert.ok(!rulesCover(merged, { nonResourceURLs: ['/healthz'], verbs: ['get'] }));
    assert.ok(
      rulesCover([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], {
        apiGroups: ['x'],
        resources: ['y'],
        verbs: ['z'],
      }),
    );
    assert.ok(
      !rulesCover([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['a'], verbs: ['get'] }], {
        apiGroups: [''],
        resources: ['secrets'],
        verbs: ['get'],
      }),
    );
  });

  test('options: images required, namespace a DNS label, pull policy an enum; every problem named', () => {
    assert.throws(
      () =>
        compileOperatorInstallOptions({
          image: ' ',
          operandImage: '',
          namespace: 'Bad_NS',
          imagePullPolicy: 'Sometimes' as any,
        }),
      (e: unknown) => {
        assert.ok(e instanceof OperandOptionsError);
        assert.deepEqual(
          e.problems.map((p) => p.split(':')[0]),
          ['image', 'operandImage', 'namespace', 'imagePullPolicy'],
        );
        return true;
      },
    );
    const o = compileOperatorInstallOptions({ image: ' op ', operandImage: 'lws', imagePullPolicy: 'Always' });
    assert.deepEqual(
      { ...o },
      {
        compiled: true,
        image: 'op',
        operandImage: 'lws',
        namespace: 'openshift-lws-operator',
        imagePullPolicy: 'Always',
      },
    );
    assert.ok(Object.isFrozen(o));
  });
});
