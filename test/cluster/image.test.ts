// The container image, built without Docker (`npm run image`: Debian packages + the pinned Node + production
// dependencies, umoci) and run with runc against private local clusters (`npm run image:run`): as the controller of
// dist/install.yaml, and as operator then operand in the seed's operator flow. hack/run-image.ts asserts the steps
// (readiness, the instance Available, an LWS admitted by the container's webhooks through the routed Service and
// Available) and exits non-zero otherwise; docs/packaging.md#the-container-image.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startPrivateCluster, type PrivateCluster } from '../../src/tooling/testing/private-cluster.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let image: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lws-image-test-'));
  image = join(dir, 'lws-ts.oci.tar');
  await run('bash', [join(ROOT, 'hack/build-image.sh'), image], { maxBuffer: 64 << 20, timeout: 600_000 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function runImage(cluster: PrivateCluster, ...args: string[]): Promise<string> {
  const node = join(ROOT, 'node_modules/.bin/node');
  const r = await run(node, [join(ROOT, 'hack/run-image.ts'), '--cluster', cluster.name, '--image', image, ...args], {
    maxBuffer: 16 << 20,
    timeout: 600_000,
  }).catch((e: { stdout: string; stderr: string; code: number }) => {
    assert.fail(`run-image exited ${e.code}:\n${e.stderr}`);
  });
  return r.stderr;
}

describe('the container image', { timeout: 1_200_000 }, () => {
  test('an OCI archive with the Dockerfile configuration', async () => {
    assert.ok(statSync(image).size > 10 << 20);
    const { stdout } = await run('skopeo', ['inspect', '--config', `oci-archive:${image}`]);
    const config = (
      JSON.parse(stdout) as { config: { Entrypoint: string[]; User: string; WorkingDir: string; Env: string[] } }
    ).config;
    assert.deepEqual(config.Entrypoint, ['/manager']);
    assert.equal(config.User, '65532:65532');
    assert.equal(config.WorkingDir, '/app');
    assert.ok(config.Env.includes('NODE_ENV=production'));
  });

  for (const [mode, args] of [
    ['as the controller of dist/install.yaml', []],
    ['as operator and operand (the seed flow)', ['--operator']],
  ] as const) {
    test(`runs with runc ${mode}: an LWS is admitted through the routed webhook Service and turns Available`, async () => {
      const cluster = await startPrivateCluster(args.length ? 'imgop' : 'img', { lwsCRD: false });
      try {
        const out = await runImage(cluster, ...args);
        assert.match(out, /controller container ready \(\/readyz 200\)/);
        if (args.length) assert.match(out, /LeaderWorkerSetOperator\/cluster Available/);
        assert.match(out, /image-demo\/my-lws Available with 2 ready groups/);
        assert.match(out, /stopped \(exit 0\)/);
      } finally {
        await cluster.down();
      }
    });
  }
});
