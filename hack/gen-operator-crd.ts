/**
 * Regenerates config/crd/operator.openshift.io_leaderworkersetoperators.yaml (`npm run gen:operator-crd`) from
 * src/operator/crd.ts. Pure: no cluster needed. `--check` compares instead of writing and exits 1 when stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OPERATOR_CRD_FILE, renderOperatorCRD } from '../src/operator/api/crd.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const path = join(root, OPERATOR_CRD_FILE);
const text = renderOperatorCRD();
if (values.check) {
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current !== text) {
    process.stderr.write(`[gen-operator-crd] ${OPERATOR_CRD_FILE} is stale: run npm run gen:operator-crd\n`);
    process.exit(1);
  }
  process.stderr.write(`[gen-operator-crd] ${OPERATOR_CRD_FILE} is up to date\n`);
} else {
  await writeFile(path, text);
  process.stderr.write(`[gen-operator-crd] wrote ${OPERATOR_CRD_FILE}\n`);
}
