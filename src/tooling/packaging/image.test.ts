// The container image's entry points (hack/image/manager → /manager, hack/image/lwsctl → /usr/local/bin/lwsctl),
// executed against this checkout with only the pinned Node on PATH, and the Dockerfile that installs them.
// Docker is not needed (nor available here): the shims are plain sh scripts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pkg from '../../../package.json' with { type: 'json' };

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
/** Where node_modules/.bin/node resolves: the pinned Node 24 (the image's base image provides its own). */
const pinnedNodeDir = dirname(realpathSync(`${root}node_modules/.bin/node`));
const env = { PATH: pinnedNodeDir, LWS_APP_DIR: root.replace(/\/$/, ''), HOME: process.env.HOME ?? '/' };

describe('image entry points', () => {
  test('the shims are executable sh scripts that exec node on $LWS_APP_DIR (default /app)', () => {
    for (const shim of ['manager', 'lwsctl']) {
      const path = `${root}hack/image/${shim}`;
      assert.ok(statSync(path).mode & 0o111, `${shim} is executable`);
      const text = readFileSync(path, 'utf8');
      assert.match(text, /^#!\/bin\/sh\n/);
      // /manager passes V8 flags for a controller (hack/image/manager); lwsctl none.
      assert.match(text, /^exec node (--[\w-]+(=\S+)? )*"\$\{LWS_APP_DIR:-\/app\}\/bin\/lwsctl\.js" /m);
    }
  });

  test('/manager --version prints the version (upstream’s `command: /manager` runs lwsctl controller)', async () => {
    const { stdout } = await run(`${root}hack/image/manager`, ['--version'], { env });
    assert.match(stdout, new RegExp(`^Version: v${pkg.version.replaceAll('.', '\\.')}$`, 'm'));
    assert.match(stdout, /^Git Commit: /m);
  });

  test('lwsctl --help lists the commands', async () => {
    const { stdout, stderr } = await run(`${root}hack/image/lwsctl`, ['--help'], { env }).catch(
      (e: { stdout: string; stderr: string }) => e,
    );
    const help = stdout + stderr;
    for (const command of ['cluster', 'run', 'controller', 'operator', 'render']) {
      assert.match(help, new RegExp(`^ {2}${command}\\b`, 'm'), command);
    }
  });

  test('the Dockerfile: Node 24 stages, production dependencies, the shims in place, non-root 65532', () => {
    const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    assert.equal(stages.length, 3);
    for (const image of stages) assert.match(image!, /^node:24[.-]/);
    assert.match(dockerfile, /^RUN npm ci --omit=dev /m);
    // The application is the compiled JavaScript (hack/build-js.sh), copied from the compile stage.
    assert.match(dockerfile, /^RUN bash hack\/build-js\.sh \/out$/m);
    for (const dir of ['bin', 'config', 'src', 'bundled'])
      assert.match(dockerfile, new RegExp(`^COPY --from=compile /out/${dir} \\./${dir}$`, 'm'));
    assert.match(dockerfile, /^COPY --from=build \/shims\/manager \/manager$/m);
    assert.match(dockerfile, /^COPY --from=build \/shims\/lwsctl \/usr\/local\/bin\/lwsctl$/m);
    assert.match(dockerfile, /^WORKDIR \/app$/m);
    assert.match(dockerfile, /^USER 65532:65532$/m);
    const ignored = readFileSync(`${root}.dockerignore`, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const needed of ['bin', 'config', 'src', 'hack/image', 'package.json', 'package-lock.json', 'bundle']) {
      assert.ok(!ignored.includes(needed) && !ignored.includes('hack'), `${needed} is in the build context`);
    }
  });
});
