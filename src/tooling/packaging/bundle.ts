/**
 * @module packaging/bundle
 * `lwsctl` as a few ES module files instead of ≈ 580: esbuild bundles the compiled application (hack/build-js.sh
 * output) from `src/cli/main.js` into `bundled/` — one file for the CLI and what every command shares, plus one
 * chunk per lazily imported part (each command, the client-node kubeconfig fallback) — and points
 * `bin/lwsctl.js` at it. Why: every ES module costs Node a module record, a context and its source kept for
 * lazy compilation; `npm run bench` measured 11 MiB less resident memory and half the import time for the
 * controller (docs/benchmarks.md). The sources stay in `src/` next to it, unchanged.
 *
 * `@kubernetes/client-node` stays a package import (loaded only for kubeconfigs the lean reader does not
 * handle). Modules that find files relative to themselves (`new URL('../../../config/…', import.meta.url)`)
 * keep their own location: `import.meta.url` is rewritten per module to the URL of its original file.
 *
 *   node src/tooling/packaging/bundle.ts OUT     # OUT from hack/build-js.sh
 */
import { build, type Plugin } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

/** Packages left to Node's resolver (from OUT/node_modules). */
export const EXTERNAL_PACKAGES = ['@kubernetes/client-node'];
export const BUNDLE_DIR = 'bundled';

/**
 * `import.meta.url`, `.dirname` and `.filename` of a module at `file` (inside `appDir`), written as
 * expressions that still name `file` once the code runs from a chunk in `appDir/bundled/`.
 */
export function keepModuleLocation(source: string, file: string, appDir: string): string {
  if (!source.includes('import.meta.')) return source;
  const fromBundle = relative(join(appDir, BUNDLE_DIR), file).split(sep).join('/');
  const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
  const path = `decodeURIComponent(new URL(${JSON.stringify(fromBundle)}, import.meta.url).pathname)`;
  return source
    .replaceAll('import.meta.url', url)
    .replaceAll('import.meta.filename', path)
    .replaceAll('import.meta.dirname', `${path}.replace(/\\/[^/]*$/, '')`);
}

function moduleLocations(appDir: string): Plugin {
  const src = join(appDir, 'src') + sep;
  return {
    name: 'module-locations',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(src)) return undefined;
        const source = await readFile(args.path, 'utf8');
        return { contents: keepModuleLocation(source, args.path, appDir), loader: 'js' };
      });
    },
  };
}

/** Bundles OUT/src/cli/main.js into OUT/bundled/ and points OUT/bin/lwsctl.js at it; returns the file count. */
export async function bundleApp(outDir: string): Promise<{ files: number; inputs: number }> {
  const appDir = resolve(outDir);
  const result = await build({
    entryPoints: { main: join(appDir, 'src', 'cli', 'main.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    outdir: join(appDir, BUNDLE_DIR),
    external: EXTERNAL_PACKAGES,
    // Whitespace and syntax only: names stay, so stack traces, class names in errors and logs read as in src/.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // CommonJS dependencies (pino, prom-client) require Node's built-ins.
    banner: {
      js: "import { createRequire as __lwsCreateRequire } from 'node:module';const require = __lwsCreateRequire(import.meta.url);",
    },
    plugins: [moduleLocations(appDir)],
    metafile: true,
    logLevel: 'warning',
  });
  const entry = join(appDir, 'bin', 'lwsctl.js');
  const text = await readFile(entry, 'utf8');
  const from = /await import\((['"])\.\.\/src\/cli\/main\.js\1\)/;
  if (!from.test(text)) throw new Error(`${entry}: no import of ../src/cli/main.js to point at the bundle`);
  await writeFile(entry, text.replace(from, `await import('../${BUNDLE_DIR}/main.js')`));
  return {
    files: Object.keys(result.metafile.outputs).length,
    inputs: Object.keys(result.metafile.inputs).length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node src/tooling/packaging/bundle.ts OUT');
    process.exit(2);
  }
  const { files, inputs } = await bundleApp(out);
  console.error(`bundle: ${inputs} modules → ${files} files in ${join(out, BUNDLE_DIR)}`);
}
