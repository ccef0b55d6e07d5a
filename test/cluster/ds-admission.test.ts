// DisaggregatedSet admission end to end: with the DisaggregatedSet CRD installed, the apiserver calls the
// `vdisaggregatedset.kb.io` webhook `lwsctl run` serves, which refuses bad objects with upstream's messages
// (and, on top, the refusals of our own rules: docs/differential.md).
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { testKubeconfig, withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import { kubectlFor } from '../../src/tooling/testing/kubectl.ts';
import { queries } from '../../src/tooling/testing/cluster-queries.ts';
import { waitForCRD } from '../../src/k8s/client/apply.ts';
import { clientFor } from '../../src/k8s/client/kubeconfig.ts';
import { ManagerProcess } from '../../src/tooling/testing/manager-process.ts';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';
import { registerWebhooks, writeServingCertificate } from '../../src/tooling/testing/runtime-fixtures.ts';

// Our generated CRD (npm run gen:crd), structurally compared with upstream v0.10.0's by a unit test.
const CRD = fileURLToPath(
  new URL('../../config/crd/disaggregatedset.x-k8s.io_disaggregatedsets.yaml', import.meta.url),
);
const CRD_NAME = 'disaggregatedsets.disaggregatedset.x-k8s.io';
const DENIED = 'admission webhook "vdisaggregatedset.kb.io" denied the request: ';
const RUC = 'spec.rolloutStrategy.rollingUpdateConfiguration';

type Json = Record<string, any>;

function role(name: string, extra: Json = {}): Json {
  return {
    name,
    ...extra,
    spec: {
      replicas: 1,
      leaderWorkerTemplate: { workerTemplate: { spec: { containers: [{ name: 'main', image: 'nginx:1.14.2' }] } } },
      ...extra.spec,
    },
  };
}

function ds(ns: string, name: string, roles: Json[], spec: Json = {}): Json {
  return {
    apiVersion: 'disaggregatedset.x-k8s.io/v1',
    kind: 'DisaggregatedSet',
    metadata: { name, namespace: ns },
    spec: { roles, ...spec },
  };
}

async function rejection(create: () => Promise<unknown>): Promise<string> {
  try {
    await create();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected the apiserver to reject the object');
}

describe('DisaggregatedSet admission', () => {
  before(async () => {
    const kubectl = kubectlFor(testKubeconfig());
    await kubectl('apply', '--server-side', '--force-conflicts', '-f', CRD);
    await waitForCRD(await clientFor(testKubeconfig()), CRD_NAME, 120_000);
  });

  const refused: [string, (ns: string) => Json, string][] = [
    [
      'a partition (upstream)',
      (ns) =>
        ds(ns, 'partition', [
          role('prefill', { spec: { rolloutStrategy: { rollingUpdateConfiguration: { partition: 1 } } } }),
          role('decode'),
        ]),
      `${DENIED}spec.roles[0].${RUC}.partition: Forbidden: partition is not supported by DisaggregatedSet; rolling updates are managed across roles by the DisaggregatedSet controller`,
    ],
    [
      'maxSurge and maxUnavailable both 0 (upstream)',
      (ns) =>
        ds(ns, 'both-zero', [
          role('prefill', {
            spec: {
              replicas: 2,
              rolloutStrategy: { rollingUpdateConfiguration: { maxSurge: '0%', maxUnavailable: 0 } },
            },
          }),
          role('decode'),
        ]),
      `${DENIED}spec.roles[0].${RUC}.maxUnavailable: Invalid value: 0: must not be 0 when \`maxSurge\` is 0`,
    ],
    [
      'a placement policy without topology (upstream)',
      (ns) => ds(ns, 'no-topology', [role('prefill'), role('decode')], { placementPolicy: { type: 'ExclusiveSlice' } }),
      `${DENIED}spec.placementPolicy.topology: Required value: topology is required when type is not None`,
    ],
    [
      'a placement policy with an exclusive-topology annotation on a worker template (upstream)',
      (ns) => {
        const decode = role('decode');
        decode.spec.leaderWorkerTemplate.workerTemplate.metadata = {
          annotations: { 'leaderworkerset.sigs.k8s.io/exclusive-topology': 'kubernetes.io/hostname' },
        };
        return ds(ns, 'placement', [role('prefill'), decode], {
          placementPolicy: { type: 'ExclusiveTopology', topology: 'kubernetes.io/hostname' },
        });
      },
      `${DENIED}spec.roles[1]: Forbidden: the "leaderworkerset.sigs.k8s.io/exclusive-topology" annotation must not be combined with a non-None spec.placementPolicy.type (ExclusiveTopology)`,
    ],
    [
      'External scaling with slices > 1 (upstream)',
      (ns) =>
        ds(ns, 'external-slices', [role('prefill', { scaling: { mode: 'External' } }), role('decode')], { slices: 2 }),
      `${DENIED}spec.slices: Forbidden: spec.slices > 1 is not supported while any role has scaling.mode: External (alpha restriction)`,
    ],
    [
      'generated Service names beyond 63 characters (ours: upstream main #966)',
      (ns) => ds(ns, 'a'.repeat(40), [role('b'.repeat(8)), role('decode')]),
      `${DENIED}spec.roles[0].name: Invalid value: "bbbbbbbb": the generated service name (64 chars) would exceed the DNS-1035 limit of 63 characters; reduce the DisaggregatedSet name and/or role name (combined limit: 47 characters)`,
    ],
    [
      'a role whose child LeaderWorkerSet the LWS webhook would refuse (ours)',
      (ns) =>
        ds(ns, 'size-zero', [
          role('prefill', { spec: { leaderWorkerTemplate: { size: 0, workerTemplate: {} } } }),
          role('decode'),
        ]),
      `${DENIED}spec.roles[0].spec.leaderWorkerTemplate.size: Invalid value: 0: size must be equal or greater than 1`,
    ],
    [
      'role labels the apiserver would refuse on the child LeaderWorkerSet (ours)',
      (ns) => ds(ns, 'bad-labels', [{ ...role('prefill'), metadata: { labels: { team: '-ml' } } }, role('decode')]),
      `${DENIED}spec.roles[0].metadata.labels: Invalid value: "-ml": a valid label must be an empty string`,
    ],
  ];
  for (const [name, build, message] of refused) {
    test(`refuses ${name}`, async () => {
      await withNamespace('dsadm', async (ns, kubectl) => {
        const text = await rejection(() => queries(kubectl, ns).create(build(ns)));
        assert.ok(text.includes(message), `message ${JSON.stringify(text)} should contain ${JSON.stringify(message)}`);
      });
    });
  }

  test('accepts a valid DisaggregatedSet, and validates updates of it (upstream integration case)', async () => {
    await withNamespace('dsadm', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      const object = ds(ns, 'placement-test', [role('prefill'), role('decode')], {
        placementPolicy: { type: 'ExclusiveSlice', topology: 'kubernetes.io/hostname' },
      });
      await q.create(object);
      object.spec.roles[0].metadata = {
        annotations: { 'leaderworkerset.sigs.k8s.io/exclusive-topology': 'kubernetes.io/hostname' },
      };
      const text = await rejection(() => kubectl.withInput(JSON.stringify(object), 'apply', '-f', '-'));
      assert.ok(
        text.includes(
          `${DENIED}spec.roles[0]: Forbidden: the "leaderworkerset.sigs.k8s.io/exclusive-topology" annotation must not be combined with a non-None spec.placementPolicy.type (ExclusiveSlice)`,
        ),
        text,
      );
    });
  });
});

// The same webhook from `lwsctl controller` (the manager the operator and the release manifests run).
describe('DisaggregatedSet admission through lwsctl controller', { timeout: 400_000 }, () => {
  let cluster: PrivateCluster;
  let controller: ManagerProcess;
  before(async () => {
    cluster = await startPrivateCluster('dsadm');
    await cluster.kubectl('create', 'namespace', 'lws-system');
    await cluster.kubectl('apply', '--server-side', '-f', CRD);
    await waitForCRD(cluster.client, CRD_NAME, 120_000);
    const certDir = join(cluster.dir, 'webhook-certs');
    const { ca } = await writeServingCertificate(certDir);
    controller = await ManagerProcess.start({
      cluster,
      id: 'a',
      certDir,
      config: 'internalCertManagement:\n  enable: false\n',
      args: ['--metrics-secure=false'],
    });
    await controller.waitForLog('Serving webhook server', 90_000);
    await registerWebhooks(cluster.client, `https://127.0.0.1:${controller.ports.webhook}`, ca.certPem);
  });
  after(async () => {
    await controller?.stop();
    await cluster?.down();
  });

  test("refuses a partition with upstream's message", async () => {
    await cluster.kubectl('create', 'namespace', 'apps');
    const object = ds('apps', 'partition', [
      role('prefill', { spec: { rolloutStrategy: { rollingUpdateConfiguration: { partition: 1 } } } }),
      role('decode'),
    ]);
    const text = await rejection(() => queries(cluster.kubectl, 'apps').create(object));
    assert.ok(
      text.includes(
        `${DENIED}spec.roles[0].${RUC}.partition: Forbidden: partition is not supported by DisaggregatedSet`,
      ),
      text,
    );
  });
});
