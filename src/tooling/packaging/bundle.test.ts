import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BUNDLE_DIR, keepModuleLocation } from './bundle.ts';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('keepModuleLocation: import.meta.* name the original module once it runs from bundled/', () => {
  const app = '/app';
  const source = [
    "const CRD = new URL('../../../config/crd.yaml', import.meta.url);",
    'const here = import.meta.dirname; const me = import.meta.filename;',
  ].join('\n');
  const out = keepModuleLocation(source, '/app/src/lws/api/crd.js', app);
  assert.ok(!/import\.meta\.(url|dirname|filename)(?!\))/.test(out.replaceAll(', import.meta.url)', '')));
  // Evaluate the rewritten expressions as a chunk in /app/bundled/ would.
  const chunk = `file://${app}/${BUNDLE_DIR}/chunk-x.js`;
  const evaluate = (expression: string) =>
    new Function('meta', `return ${expression.replaceAll('import.meta.url', 'meta')};`)(chunk) as string;
  const url = out.match(/new URL\('\.\.\/\.\.\/\.\.\/config\/crd\.yaml', (.*)\);/)![1]!;
  assert.equal(new URL('../../../config/crd.yaml', evaluate(url)).href, 'file:///app/config/crd.yaml');
  const [, dirnameExpr, filenameExpr] = out.match(/const here = (.*); const me = (.*);$/m)!;
  assert.equal(evaluate(dirnameExpr!), '/app/src/lws/api');
  assert.equal(evaluate(filenameExpr!), '/app/src/lws/api/crd.js');
  assert.equal(keepModuleLocation('const x = 1;', '/app/src/a.js', app), 'const x = 1;');
});

test('hack/build-js.sh: bin/lwsctl.js runs the bundle, and it renders exactly what the sources render', async () => {
  const out = mkdtempSync(join(tmpdir(), 'lws-bundle-'));
  try {
    await run('bash', [join(root, 'hack', 'build-js.sh'), out], { maxBuffer: 1 << 24 });
    assert.match(readFileSync(join(out, 'bin', 'lwsctl.js'), 'utf8'), /await import\('\.\.\/bundled\/main\.js'\)/);
    const files = readdirSync(join(out, BUNDLE_DIR)).filter((f) => f.endsWith('.js'));
    assert.ok(files.length > 1 && files.length < 100, `a few files, not one per module: ${files.length}`);
    // Modules that find files relative to themselves (the CRDs in config/, package.json) still name their own file.
    const located = files.flatMap((f) =>
      [
        ...readFileSync(join(out, BUNDLE_DIR, f), 'utf8').matchAll(
          /new URL\("(\.\.\/src\/[^"]+\.js)",import\.meta\.url\)/g,
        ),
      ].map((m) => m[1]!),
    );
    for (const module of ['../src/lws/api/crd.js', '../src/disaggregatedset/api/crd.js', '../src/version.js'])
      assert.ok(located.includes(module), module);
    for (const module of located) assert.ok(existsSync(join(out, BUNDLE_DIR, module)), module);
    const args = ['render', '-f', join(root, 'examples', 'disaggregatedset.yaml')];
    const bundled = await run(process.execPath, [join(out, 'bin', 'lwsctl.js'), ...args], { maxBuffer: 1 << 24 });
    const source = await run(process.execPath, [join(root, 'bin', 'lwsctl.js'), ...args], { maxBuffer: 1 << 24 });
    assert.ok(bundled.stdout.includes('kind: LeaderWorkerSet'));
    assert.equal(bundled.stdout, source.stdout);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
