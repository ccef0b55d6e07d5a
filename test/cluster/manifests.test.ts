// Every generated install file against the real apiserver: `kubectl apply --server-side --dry-run=server` of
// dist/install.yaml, dist/operator.yaml, the Helm chart rendered by the real helm, and the OLM bundle (the CSV's
// Deployment and permissions built into real objects, its alm-examples). Then RBAC escalation prevention for real:
// the operator's ClusterRole and Role, bound to a service account, must let that account create every operand
// object, in both certificate modes.
//
// Server-side only: the LWS CRD is ~1 MB, far over client-side apply's last-applied annotation limit. Nothing is
// changed by a dry run; what this file creates for real (the namespaces the manifests need, the operator CRD for
// the alm-examples, a throw-away namespace and RBAC, stand-in CRDs) is removed in `after` unless it existed before.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { OPERATOR_CRD_NAME, UPSTREAM_NAMESPACE, DEFAULT_OPERATOR_NAMESPACE } from '../../src/operator/api/types.ts';
import { loadOperatorCRD } from '../../src/operator/api/crd.ts';
import { CHART_DIR } from '../../src/tooling/packaging/helm-chart.ts';
import { BUNDLE_CRD_FILE, CSV_FILE } from '../../src/tooling/packaging/olm-bundle.ts';
import { compileOperandOptions, renderOperand, type OperandObject } from '../../src/operator/core/operand.ts';
import {
  compileOperatorInstallOptions,
  operatorClusterRules,
  operatorNamespaceRules,
  renderOperatorInstall,
} from '../../src/operator/core/operator-install.ts';
import { generatedFiles } from '../../src/tooling/packaging/packaging.ts';
import {
  INSTALL_MANIFEST_FILE,
  OPERATOR_MANIFEST_FILE,
  operatorReleaseOptions,
} from '../../src/tooling/packaging/release.ts';
import { testKubeconfig } from '../../src/tooling/testing/cluster-fixture.ts';
import { ensureHelm, helmAt } from '../../src/tooling/testing/helm.ts';
import { kubectlFor } from '../../src/tooling/testing/kubectl.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';
import { CERT_MANAGER_STAND_INS, PROMETHEUS_OPERATOR_STAND_INS } from '../../src/tooling/testing/stand-in-crds.ts';
import { DASHBOARD_CONFIGMAP, dashboardJSON } from '../../src/tooling/packaging/monitoring.ts';

const kubectl = kubectlFor(testKubeconfig());
const root = fileURLToPath(new URL('../../', import.meta.url));
const FIELD_MANAGER = 'lws-manifests-test';
const suffix = randomBytes(3).toString('hex');

/** Real objects this file created, deleted in `after` (last first). */
const created: Array<string[]> = [];

const documents = (text: string): any[] =>
  parseAllDocuments(text, { version: '1.1' })
    .map((d) => d.toJS())
    .filter((d) => d !== null);
const toYAML = (objects: readonly unknown[]) => objects.map((o) => '---\n' + stringify(o)).join('');

const WEBHOOK_CONFIGURATIONS = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/**
 * Server-side dry-run apply, checked to report every object. Exception: the global setup's `lwsctl run` owns
 * webhook configurations of the same names with `clientConfig.url`; an apply would merge our `clientConfig.service`
 * into them (url and service → Invalid), so an existing one is dry-run replaced instead — the object exactly as
 * given, validated as an update.
 */
async function dryRun(objects: readonly any[], ...flags: string[]): Promise<void> {
  const replaced: any[] = [];
  for (const o of objects.filter((o) => WEBHOOK_CONFIGURATIONS.includes(o.kind))) {
    const kind = `${o.kind.toLowerCase()}.admissionregistration.k8s.io`;
    if ((await kubectl('get', kind, o.metadata.name, '--ignore-not-found', '-o', 'name')).trim()) replaced.push(o);
  }
  const applied = objects.filter((o) => !replaced.includes(o));
  const run = async (verb: string[], list: readonly any[], done: RegExp) => {
    if (list.length === 0) return;
    const out = await kubectl.withInput(toYAML(list), ...flags, ...verb, '--dry-run=server', '-f', '-');
    const lines = out.trim().split('\n');
    assert.equal(lines.length, list.length, out);
    for (const line of lines) assert.match(line, done, line);
  };
  const applyVerb = ['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`];
  await run(applyVerb, applied, /serverside-applied \(server dry run\)$/);
  await run(['replace'], replaced, /replaced \(server dry run\)$/);
}

/** Server-side apply for real (objects this file owns). */
async function apply(objects: readonly any[], ...flags: string[]): Promise<void> {
  await kubectl.withInput(
    toYAML(objects),
    ...flags,
    'apply',
    '--server-side',
    `--field-manager=${FIELD_MANAGER}`,
    '-f',
    '-',
  );
}

async function ensureNamespace(name: string): Promise<void> {
  if ((await kubectl('get', 'namespace', name, '--ignore-not-found', '-o', 'name')).trim()) return;
  await kubectl('create', 'namespace', name);
  created.push(['namespace', name, '--wait=false']);
}

async function createCRDs(crds: readonly any[]): Promise<void> {
  for (const crd of crds) {
    await kubectl.withInput(
      JSON.stringify(crd),
      'apply',
      '--server-side',
      `--field-manager=${FIELD_MANAGER}`,
      '-f',
      '-',
    );
    created.push(['crd', crd.metadata.name, '--timeout=60s']);
  }
  for (const crd of crds) {
    await eventually(
      async () => {
        const got = await kubectl.json<any>('get', 'crd', crd.metadata.name);
        const established = got.status?.conditions?.find((c: any) => c.type === 'Established');
        assert.equal(established?.status, 'True');
      },
      { timeoutMs: 60_000, message: `${crd.metadata.name} Established` },
    );
  }
}

before(async () => {
  // Namespaced objects can only be dry-run into namespaces that exist.
  await ensureNamespace(UPSTREAM_NAMESPACE);
  await ensureNamespace(DEFAULT_OPERATOR_NAMESPACE);
  // The alm-examples and the chart's instance need the operator CRD for real (a dry run of it registers nothing).
  if (!(await kubectl('get', 'crd', OPERATOR_CRD_NAME, '--ignore-not-found', '-o', 'name')).trim()) {
    await createCRDs([loadOperatorCRD()]);
  }
});

after(async () => {
  for (const args of created.reverse()) {
    await kubectl('delete', ...args, '--ignore-not-found').catch((e) => process.stderr.write(`# ${e.message}\n`));
  }
});

describe('generated install files, server-side dry run', () => {
  test('no generated file holds an object whose CRD this cluster lacks (cert-manager, ServiceMonitor)', () => {
    for (const [file, text] of generatedFiles()) {
      // dist/monitoring/ holds the optional PrometheusRule for clusters that run the Prometheus Operator.
      if (!file.endsWith('.yaml') || file.includes('/templates/') || file.startsWith('dist/monitoring/')) continue;
      for (const d of documents(text)) {
        assert.ok(!/^(cert-manager\.io|monitoring\.coreos\.com)\//.test(d.apiVersion ?? ''), `${file}: ${d.kind}`);
      }
    }
  });

  test('dist/install.yaml: Namespace lws-system, the LWS CRD and every operand object', async () => {
    const objects = documents(await readFile(`${root}${INSTALL_MANIFEST_FILE}`, 'utf8'));
    assert.ok(objects.some((o) => o.kind === 'CustomResourceDefinition'));
    await dryRun(objects);
  });

  test('dist/operator.yaml: Namespace, operator CRD, operator footprint', async () => {
    const objects = documents(await readFile(`${root}${OPERATOR_MANIFEST_FILE}`, 'utf8'));
    await dryRun(objects);
  });

  test('the Helm chart rendered by helm v3.22.0 (lint, template --include-crds, createInstance) is the footprint', async () => {
    const helm = helmAt(await ensureHelm());
    assert.match(await helm('version', '--short'), /^v3\.22\.0/);
    await helm('lint', '--strict', `${root}${CHART_DIR}`);
    const rendered = await helm(
      'template',
      'lws-operator',
      `${root}${CHART_DIR}`,
      '--namespace',
      DEFAULT_OPERATOR_NAMESPACE,
      '--include-crds',
      '--set',
      'createInstance=true',
      '--kube-version',
      'v1.36.3',
    );
    const objects = documents(rendered);
    const expected = renderOperatorInstall(compileOperatorInstallOptions(operatorReleaseOptions()));
    const key = (o: any) => `${o.kind}/${o.metadata.name}`;
    assert.deepEqual(
      objects.map(key).sort(),
      [
        `CustomResourceDefinition/${OPERATOR_CRD_NAME}`,
        ...expected.map(key),
        'LeaderWorkerSetOperator/cluster',
        `ConfigMap/${DASHBOARD_CONFIGMAP}`,
      ].sort(),
    );
    // The Grafana dashboard ConfigMap (on by default) carries dashboards/ verbatim through helm's .Files.Get.
    const dashboard = objects.find((o) => key(o) === `ConfigMap/${DASHBOARD_CONFIGMAP}`);
    assert.deepEqual(JSON.parse(dashboard.data['lws-controller-dashboard.json']), JSON.parse(dashboardJSON()));
    for (const want of expected) {
      const got = structuredClone(objects.find((o) => key(o) === key(want)));
      if (got.kind === 'Deployment') {
        assert.deepEqual(got.spec.template.spec.nodeSelector, {});
        assert.deepEqual(got.spec.template.spec.tolerations, []);
        delete got.spec.template.spec.nodeSelector;
        delete got.spec.template.spec.tolerations;
      }
      assert.deepEqual(got, want, key(want));
    }
    await dryRun(objects);

    // Values reach the objects, and a non-default release namespace too.
    const custom = documents(
      await helm(
        'template',
        'x',
        `${root}${CHART_DIR}`,
        '--namespace',
        UPSTREAM_NAMESPACE,
        '--set',
        'image=registry.example/op:2,operandImage=registry.example/lws:2,imagePullPolicy=Always',
        '--set',
        'nodeSelector.role=infra',
      ),
    );
    const pod = custom.find((o) => o.kind === 'Deployment').spec.template.spec;
    assert.equal(pod.containers[0].image, 'registry.example/op:2');
    assert.equal(pod.containers[0].imagePullPolicy, 'Always');
    assert.deepEqual(pod.containers[0].env.at(-1), {
      name: 'RELATED_IMAGE_OPERAND_IMAGE',
      value: 'registry.example/lws:2',
    });
    assert.deepEqual(pod.nodeSelector, { role: 'infra' });
    assert.ok(custom.every((o) => o.kind.startsWith('Cluster') || o.metadata.namespace === UPSTREAM_NAMESPACE));
    assert.ok(!custom.some((o) => o.kind === 'LeaderWorkerSetOperator'), 'createInstance defaults to false');
    await dryRun(custom);
  });

  test('the OLM bundle: its CRD, the CSV’s Deployment and permissions as real objects, its alm-examples', async () => {
    await dryRun(documents(await readFile(`${root}${BUNDLE_CRD_FILE}`, 'utf8')));
    const [csv] = documents(await readFile(`${root}${CSV_FILE}`, 'utf8'));
    // What OLM would create in the namespace it installs into.
    const ns = DEFAULT_OPERATOR_NAMESPACE;
    const { clusterPermissions, permissions, deployments } = csv.spec.install.spec;
    const rbac = 'rbac.authorization.k8s.io/v1';
    const objects = [
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: permissions[0].serviceAccountName, namespace: ns },
      },
      {
        apiVersion: rbac,
        kind: 'ClusterRole',
        metadata: { name: `${csv.metadata.name}-cluster` },
        rules: clusterPermissions[0].rules,
      },
      {
        apiVersion: rbac,
        kind: 'Role',
        metadata: { name: csv.metadata.name, namespace: ns },
        rules: permissions[0].rules,
      },
      ...deployments.map((d: any) => ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: d.name, namespace: ns, labels: d.label },
        spec: d.spec,
      })),
    ];
    await dryRun(objects);
    const examples = JSON.parse(csv.metadata.annotations['alm-examples']);
    assert.equal(examples.length, 2);
    for (const example of examples) await dryRun([example]);
    // The dry run does validate: the CRD's singleton rule rejects another name.
    await assert.rejects(
      dryRun([{ ...examples[0], metadata: { name: 'not-cluster' } }]),
      /LeaderWorkerSetOperator is a singleton/,
    );
  });
});

describe('RBAC escalation prevention, for real', () => {
  test('the operator’s rules let its service account create every operand object in both certificate modes', async () => {
    // A throw-away copy of the operator's RBAC: the rules under test, in a namespace and under names of its own.
    const ns = `lws-pkg-${suffix}`;
    await kubectl('create', 'namespace', ns);
    created.push(['namespace', ns, '--wait=false']);
    // Stand-ins, so that cert-manager mode's Issuer/Certificate and the ServiceMonitor have an API to go to.
    await createCRDs([
      ...CERT_MANAGER_STAND_INS('test/cluster/manifests.test.ts'),
      ...PROMETHEUS_OPERATOR_STAND_INS('test/cluster/manifests.test.ts'),
    ]);
    const footprint = renderOperatorInstall(
      compileOperatorInstallOptions({ ...operatorReleaseOptions(), namespace: ns }),
    );
    const clusterName = `lws-pkg-operator-${suffix}`;
    const rbac = footprint
      .filter((o) => o.kind !== 'Deployment')
      .map((o): OperandObject => {
        if (o.kind === 'ClusterRole') return { ...o, metadata: { ...o.metadata, name: clusterName } };
        if (o.kind === 'ClusterRoleBinding') {
          return {
            ...o,
            metadata: { ...o.metadata, name: clusterName },
            roleRef: { ...(o.roleRef as object), name: clusterName },
          };
        }
        return o;
      });
    assert.deepEqual(rbac.find((o) => o.kind === 'ClusterRole')!.rules, operatorClusterRules());
    assert.deepEqual(rbac.find((o) => o.kind === 'Role')!.rules, operatorNamespaceRules());
    await apply(rbac);
    created.push(['clusterrolebinding', clusterName], ['clusterrole', clusterName]);
    const asOperator = `--as=system:serviceaccount:${ns}:${footprint[0]!.metadata.name}`;

    // Bindings are checked against the roles they reference, which must exist: the operand's roles and bindings
    // are created for real, as the operator (cluster-scoped ones renamed with this run's suffix); the rest is a
    // dry run as the operator.
    const renamed = (name: string) => `${name}-${suffix}`;
    let first = true;
    for (const certificates of ['internal', 'cert-manager'] as const) {
      const operand = renderOperand(
        compileOperandOptions({ image: 'lws:x', namespace: ns, certificates, serviceMonitor: true }),
      ).map((o): OperandObject => {
        if (o.kind === 'ClusterRole') return { ...o, metadata: { ...o.metadata, name: renamed(o.metadata.name) } };
        if (o.kind !== 'ClusterRoleBinding') return o;
        const roleRef = o.roleRef as { name: string };
        return {
          ...o,
          metadata: { ...o.metadata, name: renamed(o.metadata.name) },
          roleRef: { ...roleRef, name: renamed(roleRef.name) },
        };
      });
      const roles = operand.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
      const bindings = operand.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding');
      const rest = operand.filter((o) => !roles.includes(o) && !bindings.includes(o));
      if (first) {
        for (const o of [...roles, ...bindings])
          if (!o.metadata.namespace) created.push([o.kind.toLowerCase(), o.metadata.name]);
        first = false;
      }
      // The first attempt may precede the authorizer's view of the new bindings.
      await eventually(() => apply(roles, asOperator), {
        timeoutMs: 30_000,
        message: `${certificates}: operand roles`,
      });
      await apply(bindings, asOperator);
      await dryRun(rest, asOperator);
    }
    // The check is live: a permission the operator lacks cannot be granted (here: deleting Secrets cluster-wide).
    await assert.rejects(
      dryRun(
        [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: `lws-pkg-escalate-${suffix}` },
            rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['delete'] }],
          },
        ],
        asOperator,
      ),
      /attempting to grant RBAC permissions not currently held/,
    );
  });
});
