/**
 * Regenerates config/crd/leaderworkerset.x-k8s.io_leaderworkersets.yaml and the two disaggregatedset.x-k8s.io CRDs
 * (`npm run gen:crd`).
 *
 * The built-in types (pod template, claims, retention policy, Condition) come from a real apiserver's OpenAPI v3,
 * so they match the Kubernetes version we test against: a throw-away local cluster, or the one given with
 * `--kubeconfig PATH`. `--check` compares instead of writing and exits 1 when the file is stale.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clusterDown, clusterUp } from '../src/tooling/cluster/cluster.ts';
import { CRD_FILE, buildLeaderWorkerSetCRD, renderCRD } from '../src/lws/api/crd.ts';
import { fetchOpenAPIDocs } from '../src/tooling/crd-gen/crd-fetch.ts';
import {
  DS_CRD_FILE,
  ROLE_SCALER_CRD_FILE,
  buildDisaggregatedSetCRDs,
  renderDisaggregatedSetCRD,
} from '../src/disaggregatedset/api/crd.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { kubeconfig: { type: 'string' }, check: { type: 'boolean', default: false } },
  });
  const log = (line: string) => process.stderr.write(`[gen-crd] ${line}\n`);

  let kubeconfig = values.kubeconfig;
  let ownCluster: string | undefined;
  if (kubeconfig === undefined) {
    ownCluster = `gen-crd-${process.pid}`; // unique, so it never collides with a cluster someone is using
    kubeconfig = (await clusterUp({ name: ownCluster, nodes: 1, log })).kubeconfig;
  }
  let files: Array<[string, string]>;
  try {
    const docs = await fetchOpenAPIDocs(kubeconfig);
    const [ds, scaler] = buildDisaggregatedSetCRDs(docs);
    files = [
      [CRD_FILE, renderCRD(buildLeaderWorkerSetCRD(docs))],
      [DS_CRD_FILE, renderDisaggregatedSetCRD(ds)],
      [ROLE_SCALER_CRD_FILE, renderDisaggregatedSetCRD(scaler)],
    ];
  } finally {
    if (ownCluster) await clusterDown(ownCluster, { log: () => {} });
  }

  let stale = false;
  for (const [file, text] of files) {
    const path = join(root, file);
    const lines = text.split('\n').length - 1;
    if (values.check) {
      const current = await readFile(path, 'utf8').catch(() => '');
      if (current !== text) {
        log(`${file} is stale: run npm run gen:crd`);
        stale = true;
      } else log(`${file} is up to date (${lines} lines)`);
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    log(`wrote ${file} (${lines} lines, ${Buffer.byteLength(text)} bytes)`);
  }
  if (stale) return 1;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[gen-crd] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
