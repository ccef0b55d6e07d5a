/**
 * Regenerates every install file from the two renderers (`npm run gen:manifests`): dist/install.yaml,
 * dist/operator.yaml, the Helm chart charts/lws-operator/ and the OLM bundle (bundle/, bundle.Dockerfile); removes
 * files in the chart and bundle directories that are no longer generated. Pure: no cluster needed.
 * `--check` compares instead of writing and exits 1 when any file is stale, missing or extra.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkGeneratedFiles, generatedFiles } from '../src/tooling/packaging/packaging.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const files = generatedFiles();
const problems = await checkGeneratedFiles(root, files);

if (values.check) {
  for (const { file, problem } of problems) {
    process.stderr.write(`[gen-manifests] ${file} is ${problem}: run npm run gen:manifests\n`);
  }
  process.exit(problems.length > 0 ? 1 : 0);
}

for (const { file, problem } of problems) {
  const path = join(root, file);
  if (problem === 'extra') {
    await rm(path);
    process.stderr.write(`[gen-manifests] removed ${file} (no longer generated)\n`);
    continue;
  }
  const text = files.get(file)!;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  process.stderr.write(`[gen-manifests] wrote ${file} (${Buffer.byteLength(text)} bytes)\n`);
}
process.stderr.write(`[gen-manifests] ${files.size} files, ${problems.length} changed\n`);
