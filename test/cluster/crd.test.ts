// The committed LeaderWorkerSet CRD against a real apiserver: current with its OpenAPI, installable, and
// defaulting/validating/scaling the way upstream's CRD does (no controller or webhook involved).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CRD_FILE, CRD_NAME, buildLeaderWorkerSetCRD, renderCRD } from '../../src/lws/api/crd.ts';
import { fetchOpenAPIDocs } from '../../src/tooling/crd-gen/crd-fetch.ts';
import { leaderWorkerSetSpecSchema } from '../../src/lws/api/crd-schema.ts';
import { testKubeconfig, withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import { kubectlFor } from '../../src/tooling/testing/kubectl.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';

const crdPath = fileURLToPath(new URL(`../../${CRD_FILE}`, import.meta.url));
const kubectl = kubectlFor(testKubeconfig());
/** Whether this file installed the CRD (then it also removes it); another file's CRD is left alone. */
let installedHere = false;

before(async () => {
  const existing = await kubectl('get', 'crd', CRD_NAME, '--ignore-not-found', '-o', 'name');
  installedHere = existing.trim() === '';
  // Server-side: the CRD is ~1 MB, far over client-side apply's last-applied annotation limit.
  await kubectl('apply', '--server-side', '--force-conflicts', '--field-manager=lws-crd-test', '-f', crdPath);
  // Polled rather than `kubectl wait`, which fails while the new CRD has no status.conditions yet.
  await eventually(
    async () => {
      const crd = await kubectl.json<any>('get', 'crd', CRD_NAME);
      const established = crd.status?.conditions?.find((c: any) => c.type === 'Established');
      assert.equal(established?.status, 'True', JSON.stringify(crd.status?.conditions));
    },
    { timeoutMs: 60_000, message: `${CRD_NAME} Established` },
  );
});

after(async () => {
  if (installedHere) await kubectl('delete', 'crd', CRD_NAME, '--timeout=60s');
});

const workerTemplate = { spec: { containers: [{ name: 'c', image: 'nginx' }] } };
const lws = (namespace: string, name: string, spec: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name, namespace },
    spec: { leaderWorkerTemplate: { workerTemplate }, ...spec },
  });

test('the committed CRD equals one generated from this cluster (npm run gen:crd when it fails)', async () => {
  const generated = renderCRD(buildLeaderWorkerSetCRD(await fetchOpenAPIDocs(testKubeconfig())));
  const committed = await readFile(crdPath, 'utf8');
  assert.ok(generated === committed, `${CRD_FILE} is stale: run npm run gen:crd`);
});

test('kubectl explain shows our descriptions and the printer columns are upstream’s', async () => {
  const expected = leaderWorkerSetSpecSchema.properties!.leaderWorkerTemplate!.description!;
  const words = (s: string) => s.replace(/\s+/g, ' ').trim();
  // The CRD's OpenAPI reaches the aggregated spec shortly after it is Established.
  const explained = await eventually(() => kubectl('explain', 'lws.spec.leaderWorkerTemplate'), {
    timeoutMs: 30_000,
    message: 'kubectl explain lws.spec.leaderWorkerTemplate',
  });
  assert.ok(words(explained).includes(words(expected)), explained);
  assert.match(explained, /workerTemplate\s+<Object> -required-/);
  await withNamespace('crd', async (ns) => {
    await kubectl.withInput(lws(ns, 'cols'), 'create', '-f', '-');
    const header = (await kubectl('get', 'lws', '-n', ns)).split('\n')[0] ?? '';
    assert.deepEqual(header.split(/\s+/).filter(Boolean), ['NAME', 'READY', 'DESIRED', 'UP-TO-DATE', 'AGE']);
  });
});

test('schema defaults fill in replicas, size, policies and rollout settings', async () => {
  await withNamespace('crd', async (ns) => {
    await kubectl.withInput(lws(ns, 'bare'), 'create', '-f', '-');
    const bare = await kubectl.json<any>('get', 'lws', 'bare', '-n', ns);
    assert.equal(bare.spec.replicas, 1);
    assert.equal(bare.spec.startupPolicy, 'LeaderCreated');
    assert.equal(bare.spec.leaderWorkerTemplate.size, 1);
    assert.equal(bare.spec.leaderWorkerTemplate.restartPolicy, 'RecreateGroupOnPodRestart');
    // rolloutStrategy and networkConfig have no schema default: the mutating webhook (lwsctl run, started by
    // the test run's global setup) fills them in, as upstream's does.
    assert.deepEqual(bare.spec.rolloutStrategy, {
      type: 'RollingUpdate',
      rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1, maxSurge: 0 },
    });
    assert.deepEqual(bare.spec.networkConfig, { subdomainPolicy: 'Shared' });

    const spec = {
      rolloutStrategy: { rollingUpdateConfiguration: {} },
      leaderWorkerTemplate: {
        workerTemplate: { metadata: { labels: { app: 'x' }, generateName: 'pruned-' }, ...workerTemplate },
        subGroupPolicy: { subGroupSize: 1 },
      },
    };
    await kubectl.withInput(lws(ns, 'nested', spec), 'create', '-f', '-', '--validate=ignore');
    const nested = await kubectl.json<any>('get', 'lws', 'nested', '-n', ns);
    assert.deepEqual(nested.spec.rolloutStrategy, {
      type: 'RollingUpdate',
      rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1, maxSurge: 0 },
    });
    assert.deepEqual(nested.spec.leaderWorkerTemplate.subGroupPolicy, {
      subGroupPolicyType: 'LeaderWorker',
      subGroupSize: 1,
    });
    // The pod template's metadata is the structural subset upstream's CRD keeps: other fields are pruned.
    assert.deepEqual(nested.spec.leaderWorkerTemplate.workerTemplate.metadata, { labels: { app: 'x' } });
  });
});

test('invalid values are rejected with the apiserver’s messages', async () => {
  await withNamespace('crd', async (ns) => {
    await assert.rejects(
      kubectl.withInput(lws(ns, 'bogus', { startupPolicy: 'Bogus' }), 'create', '-f', '-'),
      /spec\.startupPolicy: Unsupported value: "Bogus": supported values: "LeaderCreated", "LeaderReady"/,
    );
    await assert.rejects(
      kubectl.withInput(lws(ns, 'huge', { replicas: 1000001 }), 'create', '-f', '-'),
      /spec\.replicas: Invalid value: 1000001: spec\.replicas in body should be less than or equal to 1000000/,
    );
    await assert.rejects(
      kubectl.withInput(lws(ns, 'net', { networkConfig: { subdomainPolicy: 'Bogus' } }), 'create', '-f', '-'),
      /spec\.networkConfig\.subdomainPolicy: Unsupported value: "Bogus": supported values: "Shared", "UniquePerReplica"/,
    );
  });
});

test('the scale subresource drives spec.replicas', async () => {
  await withNamespace('crd', async (ns) => {
    await kubectl.withInput(lws(ns, 'scaled'), 'create', '-f', '-');
    await kubectl('scale', 'lws/scaled', '--replicas=3', '-n', ns);
    assert.equal((await kubectl.json<any>('get', 'lws', 'scaled', '-n', ns)).spec.replicas, 3);
    const scale = await kubectl.json<any>('get', 'lws', 'scaled', '-n', ns, '--subresource=scale');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 3);
  });
});
