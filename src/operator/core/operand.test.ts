import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CRD_NAME } from '../../lws/api/crd.ts';
import { decodeConfiguration } from '../../lws/config/decode.ts';
import { loadControllerCommand } from '../../lws/config/options.ts';
import { OPERAND_NAMES } from '../api/types.ts';
import {
  compileOperandOptions,
  managerRules,
  objectKey,
  OperandOptionsError,
  renderOperand,
  type OperandObject,
  type OperandOptions,
} from './operand.ts';

const IMAGE = 'example.com/lws:v1';
const render = (extra: Partial<OperandOptions> = {}) =>
  renderOperand(compileOperandOptions({ image: IMAGE, ...extra }));
const find = (objects: OperandObject[], kind: string, name?: string): any =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const pod = (objects: OperandObject[]): any => find(objects, 'Deployment').spec.template.spec;
const container = (objects: OperandObject[]): any => pod(objects).containers[0];

describe('renderOperand: the default (openshift-lws-operator, internal certificates)', () => {
  const objects = render();

  test('every object, in apply order', () => {
    assert.deepEqual(objects.map(objectKey), [
      `CustomResourceDefinition/${CRD_NAME}`,
      'CustomResourceDefinition/disaggregatedsets.disaggregatedset.x-k8s.io',
      'CustomResourceDefinition/disaggregatedsetrolescalers.disaggregatedset.x-k8s.io',
      'ServiceAccount/openshift-lws-operator/lws-controller-manager',
      'ClusterRole/lws-manager-role',
      'ClusterRole/lws-metrics-reader',
      'ClusterRole/lws-proxy-role',
      'ClusterRoleBinding/lws-manager-rolebinding',
      'ClusterRoleBinding/lws-metrics-reader-rolebinding',
      'ClusterRoleBinding/lws-proxy-rolebinding',
      'Role/openshift-lws-operator/lws-leader-election-role',
      'RoleBinding/openshift-lws-operator/lws-leader-election-rolebinding',
      'ConfigMap/openshift-lws-operator/lws-manager-config',
      'Service/openshift-lws-operator/lws-webhook-service',
      'Service/openshift-lws-operator/lws-controller-manager-metrics-service',
      'MutatingWebhookConfiguration/lws-mutating-webhook-configuration',
      'ValidatingWebhookConfiguration/lws-validating-webhook-configuration',
      'Deployment/openshift-lws-operator/lws-controller-manager',
    ]);
  });

  test('the LWS CRD is the committed one, unchanged but for labels', () => {
    const crd = find(objects, 'CustomResourceDefinition');
    assert.equal(crd.spec.group, 'leaderworkerset.x-k8s.io');
    assert.ok(crd.spec.versions[0].subresources.scale);
  });

  test('the DisaggregatedSet CRDs and the controller rules upstream v0.10.0 gives its manager', () => {
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o: any) => o.spec.group);
    assert.deepEqual(crds, ['leaderworkerset.x-k8s.io', 'disaggregatedset.x-k8s.io', 'disaggregatedset.x-k8s.io']);
    const rules = (objects.find((o) => o.metadata.name === 'lws-manager-role') as any).rules;
    const ds = rules.filter((r: any) => r.apiGroups.includes('disaggregatedset.x-k8s.io'));
    assert.deepEqual(
      ds.map((r: any) => [r.resources, r.verbs]),
      [
        [
          ['disaggregatedsetrolescalers', 'disaggregatedsets'],
          ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        ],
        [
          ['disaggregatedsetrolescalers/status', 'disaggregatedsets/status'],
          ['get', 'patch', 'update'],
        ],
        [['disaggregatedsets/finalizers'], ['update']],
      ],
    );
  });

  test('Deployment: image, args, hardening, probes, ports, selector', () => {
    const d = find(objects, 'Deployment');
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.selector.matchLabels, {
      'app.kubernetes.io/name': 'lws',
      'app.kubernetes.io/instance': 'lws',
      'control-plane': 'controller-manager',
    });
    for (const [k, v] of Object.entries(d.spec.selector.matchLabels))
      assert.equal(d.spec.template.metadata.labels[k], v);
    const c = container(objects);
    assert.equal(c.name, 'manager');
    assert.equal(c.image, IMAGE);
    assert.deepEqual(c.command, ['/manager']);
    assert.deepEqual(c.args, ['--config=/controller_manager_config.yaml', '--zap-log-level=2']);
    assert.deepEqual(c.securityContext, {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    });
    assert.equal(pod(objects).securityContext.runAsNonRoot, true);
    assert.equal(pod(objects).serviceAccountName, 'lws-controller-manager');
    assert.deepEqual(c.livenessProbe.httpGet, { path: '/healthz', port: 8081 });
    assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 8081 });
    assert.deepEqual(
      c.ports.map((p: any) => [p.name, p.containerPort]),
      [
        ['webhook-server', 9443],
        ['metrics', 8443],
        ['health', 8081],
      ],
    );
    assert.equal(pod(objects).nodeSelector, undefined);
    assert.equal(pod(objects).tolerations, undefined);
  });

  test('Services: webhook 443 → 9443, metrics https 8443, both selecting the controller pods', () => {
    const webhook = find(objects, 'Service', 'lws-webhook-service');
    assert.deepEqual(webhook.spec.ports, [{ port: 443, protocol: 'TCP', targetPort: 9443 }]);
    const metrics = find(objects, 'Service', 'lws-controller-manager-metrics-service');
    assert.deepEqual(metrics.spec.ports, [{ name: 'https', port: 8443, protocol: 'TCP', targetPort: 8443 }]);
    const podLabels = find(objects, 'Deployment').spec.template.metadata.labels;
    for (const svc of [webhook, metrics]) {
      for (const [k, v] of Object.entries(svc.spec.selector)) assert.equal(podLabels[k], v);
    }
  });

  test('webhook configurations target the webhook Service, no caBundle, no cert-manager annotation', () => {
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      const cfg = find(objects, kind);
      assert.equal(cfg.metadata.annotations, undefined);
      for (const w of cfg.webhooks) {
        assert.equal(w.clientConfig.service.name, 'lws-webhook-service');
        assert.equal(w.clientConfig.service.namespace, 'openshift-lws-operator');
        assert.equal(w.clientConfig.caBundle, undefined);
      }
    }
  });

  test('RBAC: bindings name the ServiceAccount in the namespace; leader election on Leases only', () => {
    for (const o of objects.filter((x) => x.kind === 'ClusterRoleBinding' || x.kind === 'RoleBinding')) {
      assert.deepEqual(
        (o as any).subjects,
        [{ kind: 'ServiceAccount', name: 'lws-controller-manager', namespace: 'openshift-lws-operator' }],
        objectKey(o),
      );
      const role = find(objects, (o as any).roleRef.kind, (o as any).roleRef.name);
      assert.ok(role, `${objectKey(o)} refers to a rendered role`);
    }
    assert.deepEqual(find(objects, 'Role').rules, [
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      },
    ]);
    assert.deepEqual(find(objects, 'ClusterRole', 'lws-metrics-reader').rules, [
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    assert.deepEqual(
      find(objects, 'ClusterRole', 'lws-proxy-role').rules.map((r: any) => r.resources[0]),
      ['tokenreviews', 'subjectaccessreviews'],
    );
  });

  test('the ConfigMap Configuration decodes strictly and, with the Deployment args, loads as lwsctl controller does', async () => {
    const text = find(objects, 'ConfigMap').data['controller_manager_config.yaml'];
    const decoded = decodeConfiguration(text);
    assert.deepEqual(decoded.problems, []);
    const command = await loadControllerCommand(container(objects).args, {
      env: {},
      readFile: async (path) => {
        if (path === '/controller_manager_config.yaml') return text;
        if (path === '/ns') return 'openshift-lws-operator';
        throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      },
      namespaceFile: '/ns',
    });
    assert.equal(command.kind, 'run');
    if (command.kind !== 'run') return;
    const o = command.options;
    assert.equal(o.namespace, 'openshift-lws-operator');
    assert.equal(o.leaderElection.enabled, true);
    assert.equal(o.leaderElection.name, 'b8b2488c.x-k8s.io');
    assert.equal(o.webhooks.port, 9443);
    assert.deepEqual(o.certificates.mode, 'internal');
    if (o.certificates.mode === 'internal') {
      assert.equal(o.certificates.secretName, 'lws-webhook-server-cert');
      assert.equal(o.certificates.dnsName, 'lws-webhook-service.openshift-lws-operator.svc');
    }
  });
});

describe('renderOperand: each option', () => {
  const table: Array<{ name: string; options: Partial<OperandOptions>; check: (objects: OperandObject[]) => void }> = [
    {
      name: 'namespace moves every namespaced object, binding subject and webhook target',
      options: { namespace: 'lws-system' },
      check: (objects) => {
        for (const o of objects) if (o.metadata.namespace) assert.equal(o.metadata.namespace, 'lws-system');
        assert.equal(find(objects, 'ClusterRoleBinding').subjects[0].namespace, 'lws-system');
        assert.equal(
          find(objects, 'MutatingWebhookConfiguration').webhooks[0].clientConfig.service.namespace,
          'lws-system',
        );
      },
    },
    ...(
      [
        ['Normal', 2],
        ['', 2],
        ['Debug', 4],
        ['Trace', 6],
        ['TraceAll', 9],
      ] as const
    ).map(([logLevel, n]) => ({
      name: `logLevel ${JSON.stringify(logLevel)} → --zap-log-level=${n}`,
      options: { logLevel },
      check: (objects: OperandObject[]) => assert.equal(container(objects).args[1], `--zap-log-level=${n}`),
    })),
    {
      name: 'nodePlacement.nodeSelector (non-empty) is set on the pod',
      options: { nodePlacement: { nodeSelector: { 'node-role.kubernetes.io/infra': '' } } },
      check: (objects) => assert.deepEqual(pod(objects).nodeSelector, { 'node-role.kubernetes.io/infra': '' }),
    },
    {
      name: 'an empty nodeSelector keeps the default (none)',
      options: { nodePlacement: { nodeSelector: {} } },
      check: (objects) => assert.equal(pod(objects).nodeSelector, undefined),
    },
    {
      name: 'nodePlacement.tolerations replace the pod tolerations',
      options: {
        nodePlacement: {
          tolerations: [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
      check: (objects) =>
        assert.deepEqual(pod(objects).tolerations, [
          { key: 'node-role.kubernetes.io/infra', operator: 'Exists', effect: 'NoSchedule' },
        ]),
    },
    {
      name: 'an empty tolerations list is kept (clears them)',
      options: { nodePlacement: { tolerations: [] } },
      check: (objects) => assert.deepEqual(pod(objects).tolerations, []),
    },
    {
      name: 'cert-manager: Issuer and Certificate, inject-ca-from, cert volume, internal management off',
      options: { certificates: 'cert-manager' },
      check: (objects) => {
        const keys = objects.map(objectKey);
        assert.ok(keys.includes('Issuer/openshift-lws-operator/lws-selfsigned-issuer'));
        assert.ok(keys.includes('Certificate/openshift-lws-operator/lws-serving-cert'));
        assert.ok(
          keys.indexOf('Certificate/openshift-lws-operator/lws-serving-cert') <
            keys.indexOf('MutatingWebhookConfiguration/lws-mutating-webhook-configuration'),
        );
        const metricsCert = find(objects, 'Certificate', 'lws-metrics-cert');
        assert.deepEqual(metricsCert.spec, {
          commonName: 'lws-metrics',
          dnsNames: [
            'lws-controller-manager-metrics-service.openshift-lws-operator.svc',
            'lws-controller-manager-metrics-service.openshift-lws-operator.svc.cluster.local',
          ],
          issuerRef: { kind: 'Issuer', name: 'lws-selfsigned-issuer' },
          secretName: 'metrics-server-cert',
        });
        assert.deepEqual(
          container(objects).volumeMounts.find((m: any) => m.name === 'metrics-cert'),
          { name: 'metrics-cert', mountPath: '/tmp/k8s-metrics-server/serving-certs', readOnly: true },
        );
        assert.deepEqual(pod(objects).volumes.find((v: any) => v.name === 'metrics-cert').secret, {
          secretName: 'metrics-server-cert',
          items: [
            { key: 'ca.crt', path: 'ca.crt' },
            { key: 'tls.crt', path: 'tls.crt' },
            { key: 'tls.key', path: 'tls.key' },
          ],
          optional: false,
        });
        const cert = find(objects, 'Certificate', 'lws-serving-cert');
        assert.deepEqual(cert.spec, {
          dnsNames: [
            'lws-webhook-service.openshift-lws-operator.svc',
            'lws-webhook-service.openshift-lws-operator.svc.cluster.local',
          ],
          issuerRef: { kind: 'Issuer', name: 'lws-selfsigned-issuer' },
          secretName: 'webhook-server-cert',
        });
        for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
          assert.deepEqual(find(objects, kind).metadata.annotations, {
            'cert-manager.io/inject-ca-from': 'openshift-lws-operator/lws-serving-cert',
          });
        }
        assert.deepEqual(
          pod(objects).volumes.find((v: any) => v.name === 'cert'),
          { name: 'cert', secret: { secretName: 'webhook-server-cert', defaultMode: 420 } },
        );
        assert.deepEqual(
          container(objects).volumeMounts.find((m: any) => m.name === 'cert'),
          { name: 'cert', mountPath: '/tmp/k8s-webhook-server/serving-certs', readOnly: true },
        );
        const config = decodeConfiguration(find(objects, 'ConfigMap').data['controller_manager_config.yaml']);
        assert.deepEqual(config.configuration?.internalCertManagement, { enable: false });
        const rules = find(objects, 'ClusterRole', 'lws-manager-role').rules;
        assert.ok(!rules.some((r: any) => r.resources.includes('secrets')), 'no Secret access needed');
        assert.ok(!rules.some((r: any) => r.apiGroups.includes('admissionregistration.k8s.io')));
      },
    },
    {
      name: 'internal: no cert-manager objects; the rotator may create its Secret and patch caBundles',
      options: { certificates: 'internal' },
      check: (objects) => {
        assert.ok(!objects.some((o) => o.apiVersion.startsWith('cert-manager.io/')));
        assert.ok(!pod(objects).volumes.some((v: any) => v.name === 'cert'));
        const rules = find(objects, 'ClusterRole', 'lws-manager-role').rules;
        assert.deepEqual(rules.find((r: any) => r.resources.includes('secrets')).verbs, [
          'create',
          'get',
          'list',
          'update',
          'watch',
        ]);
        assert.ok(rules.find((r: any) => r.apiGroups.includes('admissionregistration.k8s.io')).verbs.includes('patch'));
      },
    },
    {
      name: 'serviceMonitor renders a ServiceMonitor selecting the metrics Service',
      options: { serviceMonitor: true },
      check: (objects) => {
        const sm = find(objects, 'ServiceMonitor');
        assert.equal(sm.metadata.name, 'lws-controller-manager-metrics-monitor');
        assert.equal(sm.spec.endpoints[0].port, 'https');
        const svc = find(objects, 'Service', 'lws-controller-manager-metrics-service');
        for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) assert.equal(svc.metadata.labels[k], v);
        assert.equal(
          sm.spec.endpoints[0].honorLabels,
          true,
          'the LWS namespace label is kept (not exported_namespace)',
        );
      },
    },
    {
      name: 'serviceMonitor also renders the alerts (PrometheusRule) with the operand labels',
      options: { serviceMonitor: true, labels: { 'app.kubernetes.io/managed-by': 'lws-operator' } },
      check: (objects) => {
        const rule = find(objects, 'PrometheusRule');
        assert.equal(rule.metadata.name, 'lws-controller-manager-rules');
        assert.equal(rule.metadata.labels['app.kubernetes.io/managed-by'], 'lws-operator');
        assert.deepEqual(
          rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert)),
          [
            'LWSGroupNotReady',
            'LWSRolloutStuck',
            'LWSControllerDown',
            'LWSWebhookErrors',
            'LWSWebhookLatencyHigh',
            'LWSWebhookCertificateExpiringSoon',
          ],
        );
      },
    },
    {
      name: 'replicas, imagePullPolicy and command',
      options: { replicas: 1, imagePullPolicy: 'Always', command: ['lwsctl', 'controller'] },
      check: (objects) => {
        assert.equal(find(objects, 'Deployment').spec.replicas, 1);
        assert.equal(container(objects).imagePullPolicy, 'Always');
        assert.deepEqual(container(objects).command, ['lwsctl', 'controller']);
      },
    },
    {
      name: 'labels go on every object, never into the selector',
      options: { labels: { 'app.kubernetes.io/managed-by': 'lws-operator' } },
      check: (objects) => {
        for (const o of objects) assert.equal(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'lws-operator');
        assert.equal(find(objects, 'Deployment').spec.selector.matchLabels['app.kubernetes.io/managed-by'], undefined);
      },
    },
  ];
  for (const { name, options, check } of table) test(name, () => check(render(options)));

  test('renderOperand is pure: same options, same objects; no shared mutable state', () => {
    const a = render();
    (a[0] as any).spec.group = 'mutated';
    pod(a).containers[0].args.push('--x');
    assert.deepEqual(render(), render());
    assert.notEqual((render()[0] as any).spec.group, 'mutated');
    assert.equal(container(render()).args.length, 2);
  });
});

describe('compileOperandOptions', () => {
  test('defaults', () => {
    const o = compileOperandOptions({ image: IMAGE });
    assert.equal(o.namespace, 'openshift-lws-operator');
    assert.equal(o.logLevel, 'Normal');
    assert.equal(o.zapLogLevel, 2);
    assert.equal(o.certificates, 'internal');
    assert.equal(o.serviceMonitor, false);
    assert.equal(o.replicas, 2);
    assert.ok(Object.isFrozen(o));
  });

  const bad: Array<[string, Partial<OperandOptions>, RegExp]> = [
    [
      'missing image',
      { image: '' },
      /image: Required value: the operand image must be set \(RELATED_IMAGE_OPERAND_IMAGE\)/,
    ],
    ['bad namespace', { namespace: 'Bad_NS' }, /namespace: Invalid value: "Bad_NS": must be a DNS-1123 label/],
    ['unknown logLevel', { logLevel: 'Loud' as never }, /logLevel: Unsupported value: "Loud"/],
    ['unknown certificates mode', { certificates: 'vault' as never }, /certificates: Unsupported value: "vault"/],
    ['zero replicas', { replicas: 0 }, /replicas: Invalid value: 0/],
    [
      'Exists toleration with a value',
      { nodePlacement: { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] } },
      /nodePlacement\.tolerations\[0\]\.value: Invalid value: "v": value must be empty when operator is Exists/,
    ],
    [
      'empty key without Exists',
      { nodePlacement: { tolerations: [{ value: 'v' }] } },
      /nodePlacement\.tolerations\[0\]\.operator: Invalid value: "Equal": operator must be Exists when key is empty/,
    ],
    [
      'bad effect',
      { nodePlacement: { tolerations: [{ key: 'k', effect: 'Sometimes' as never }] } },
      /nodePlacement\.tolerations\[0\]\.effect: Unsupported value: "Sometimes"/,
    ],
  ];
  for (const [name, options, message] of bad) {
    test(`rejects ${name}`, () => {
      assert.throws(
        () => compileOperandOptions({ image: IMAGE, ...options }),
        (e: unknown) => {
          assert.ok(e instanceof OperandOptionsError);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }

  test('reports every problem at once', () => {
    assert.throws(
      () => compileOperandOptions({ image: '', namespace: 'X', replicas: -1 }),
      (e: OperandOptionsError) => e.problems.length === 3,
    );
  });
});

test('OPERAND_NAMES match what renderOperand produces', () => {
  const keys = render({ certificates: 'cert-manager', serviceMonitor: true }).map((o) => o.metadata.name);
  for (const name of [
    OPERAND_NAMES.deployment,
    OPERAND_NAMES.serviceAccount,
    OPERAND_NAMES.webhookService,
    OPERAND_NAMES.metricsService,
    OPERAND_NAMES.configMap,
    OPERAND_NAMES.issuer,
    OPERAND_NAMES.servingCertificate,
    OPERAND_NAMES.metricsCertificate,
    OPERAND_NAMES.serviceMonitor,
    OPERAND_NAMES.mutatingWebhookConfiguration,
    OPERAND_NAMES.validatingWebhookConfiguration,
  ]) {
    assert.ok(keys.includes(name), name);
  }
  assert.equal(managerRules('internal').length, managerRules('cert-manager').length + 2);
});
