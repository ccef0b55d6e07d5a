/**
 * @module operator/packaging
 * Every file `npm run gen:manifests` generates, from the two renderers (`renderOperand`, `renderOperatorInstall`):
 * the release manifests, the Helm chart and the OLM bundle. Pure, except for reading the committed CRDs and, in
 * `checkGeneratedFiles`, the tree.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CHART_DIR, renderChart } from './helm-chart.ts';
import { renderBundle } from './olm-bundle.ts';
import { MONITORING_DIR, renderMonitoringFiles } from './monitoring.ts';
import {
  INSTALL_MANIFEST_FILE,
  INSTALL_VOLCANO_MANIFEST_FILE,
  OPERATOR_MANIFEST_FILE,
  releaseOptions,
  renderInstallManifest,
  renderOperatorManifest,
} from './release.ts';

/** Directories whose every file is generated: a file there that is not generated is stale. */
export const GENERATED_DIRECTORIES: readonly string[] = [CHART_DIR, 'bundle', MONITORING_DIR];

/** Repository-relative path → content of every generated file. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>([
    [INSTALL_MANIFEST_FILE, renderInstallManifest()],
    [INSTALL_VOLCANO_MANIFEST_FILE, renderInstallManifest({ ...releaseOptions(), gangScheduling: 'volcano' })],
    [OPERATOR_MANIFEST_FILE, renderOperatorManifest()],
  ]);
  for (const [path, text] of renderChart()) files.set(`${CHART_DIR}/${path}`, text);
  for (const [path, text] of renderBundle()) files.set(path, text);
  for (const [path, text] of renderMonitoringFiles()) files.set(path, text);
  return files;
}

async function listFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

export interface GeneratedFileProblem {
  file: string;
  problem: 'stale' | 'missing' | 'extra';
}

/** What differs between the tree at `root` and what is generated. */
export async function checkGeneratedFiles(
  root: string,
  files: ReadonlyMap<string, string> = generatedFiles(),
): Promise<GeneratedFileProblem[]> {
  const problems: GeneratedFileProblem[] = [];
  for (const [file, text] of files) {
    const current = await readFile(join(root, file), 'utf8').catch(() => undefined);
    if (current === undefined) problems.push({ file, problem: 'missing' });
    else if (current !== text) problems.push({ file, problem: 'stale' });
  }
  for (const dir of GENERATED_DIRECTORIES) {
    for (const file of await listFiles(root, dir)) {
      if (!files.has(file)) problems.push({ file, problem: 'extra' });
    }
  }
  return problems;
}
