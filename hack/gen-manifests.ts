/**
 * Regenerates the release manifests from the operand renderer (`npm run gen:manifests`): dist/install.yaml.
 * Pure: no cluster needed. `--check` compares instead of writing and exits 1 when a file is stale.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { INSTALL_MANIFEST_FILE, renderInstallManifest } from '../src/operator/release.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const files: Array<[string, string]> = [[INSTALL_MANIFEST_FILE, renderInstallManifest()]];
let stale = false;
for (const [file, text] of files) {
  const path = join(root, file);
  if (values.check) {
    const current = await readFile(path, 'utf8').catch(() => '');
    if (current !== text) {
      process.stderr.write(`[gen-manifests] ${file} is stale: run npm run gen:manifests\n`);
      stale = true;
    }
    continue;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  process.stderr.write(`[gen-manifests] wrote ${file} (${Buffer.byteLength(text)} bytes)\n`);
}
process.exit(stale ? 1 : 0);
