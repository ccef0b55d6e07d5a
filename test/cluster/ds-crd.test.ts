// The committed DisaggregatedSet CRDs against a real apiserver: current with its OpenAPI (npm run gen:crd), and
// defaulting, validating (CEL) and printing the way upstream's CRDs do. `lwsctl run` (global setup) installs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  DS_CRD_FILE,
  ROLE_SCALER_CRD_FILE,
  buildDisaggregatedSetCRDs,
  renderDisaggregatedSetCRD,
} from '../../src/disaggregatedset/api/crd.ts';
import { fetchOpenAPIDocs } from '../../src/tooling/crd-gen/crd-fetch.ts';
import { testKubeconfig, withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';

const file = (f: string) => fileURLToPath(new URL(`../../${f}`, import.meta.url));
const worker = { spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] } };
const ds = (ns: string, name: string, replicas: Array<number | undefined>, spec: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'disaggregatedset.x-k8s.io/v1',
    kind: 'DisaggregatedSet',
    metadata: { name, namespace: ns },
    spec: {
      roles: replicas.map((r, i) => ({
        name: `r${i}`,
        spec: { ...(r === undefined ? {} : { replicas: r }), leaderWorkerTemplate: { workerTemplate: worker } },
      })),
      ...spec,
    },
  });

test('the committed DisaggregatedSet CRDs equal those generated from this cluster (npm run gen:crd when not)', async () => {
  const [set, scaler] = buildDisaggregatedSetCRDs(await fetchOpenAPIDocs(testKubeconfig()));
  assert.ok(renderDisaggregatedSetCRD(set) === (await readFile(file(DS_CRD_FILE), 'utf8')), `${DS_CRD_FILE} is stale`);
  assert.ok(
    renderDisaggregatedSetCRD(scaler) === (await readFile(file(ROLE_SCALER_CRD_FILE), 'utf8')),
    `${ROLE_SCALER_CRD_FILE} is stale`,
  );
});

test('defaults, the replicas CEL rule, role bounds, and the RoleScaler printer columns', async () => {
  await withNamespace('dscrd', async (ns, kubectl) => {
    // Zero replicas everywhere is allowed (and creates nothing); the defaults are filled in.
    await kubectl.withInput(ds(ns, 'zero', [0, 0]), 'create', '-f', '-');
    const zero = await kubectl.json<any>('get', 'disaggregatedsets.disaggregatedset.x-k8s.io', 'zero', '-n', ns);
    assert.equal(zero.spec.slices, 1);
    assert.equal(zero.spec.roles[0].spec.leaderWorkerTemplate.size, 1);
    assert.equal(zero.spec.roles[0].spec.leaderWorkerTemplate.restartPolicy, 'RecreateGroupOnPodRestart');
    await assert.rejects(
      kubectl.withInput(ds(ns, 'mixed', [0, 2]), 'create', '-f', '-'),
      /replicas must be zero for all non-External roles or non-zero for all non-External roles/,
    );
    await assert.rejects(kubectl.withInput(ds(ns, 'one', [1]), 'create', '-f', '-'), /spec\.roles.*2/);
    await kubectl.withInput(
      JSON.stringify({
        apiVersion: 'disaggregatedset.x-k8s.io/v1',
        kind: 'DisaggregatedSetRoleScaler',
        metadata: { name: 'cols', namespace: ns },
        spec: {},
      }),
      'create',
      '-f',
      '-',
    );
    const header = (await kubectl('get', 'dsrs', '-n', ns)).split('\n')[0] ?? '';
    assert.deepEqual(header.split(/\s+/).filter(Boolean), ['NAME', 'DESIRED', 'CURRENT', 'AGE']);
    const scaler = await kubectl.json<any>('get', 'dsrs', 'cols', '-n', ns);
    assert.equal(scaler.spec.replicas, 0);
  });
});
