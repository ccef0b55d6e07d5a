// `lwsctl controller` start-up: bad configuration files and flags fail at once, naming the field, with
// upstream's exit codes (1: "unable to load the configuration", 2: a bad command line). No cluster needed.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = await mkdtemp(join(tmpdir(), 'lws-config-'));
after(() => rm(dir, { recursive: true, force: true }));

function controller(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/lwsctl.js', 'controller', ...args], { timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function withConfig(name: string, body: string): Promise<string> {
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, `apiVersion: config.lws.x-k8s.io/v1alpha1\nkind: Configuration\n${body}`);
  return path;
}

describe('lwsctl controller start-up validation', () => {
  const bad: Array<[string, string, RegExp]> = [
    ['unknown field', 'webhook:\n  prt: 9443\n', /strict decoding error: unknown field \\"webhook\.prt\\"/],
    [
      'bad port',
      'webhook:\n  port: 99999\n',
      /webhook\.port: Invalid value: 99999: must be between 1 and 65535, inclusive/,
    ],
    [
      'bad duration',
      'leaderElection:\n  leaseDuration: 15x\n',
      /leaderElection\.leaseDuration: Invalid value: \\"15x\\": time: unknown unit/,
    ],
    [
      'bad service name',
      'internalCertManagement:\n  webhookServiceName: Web_Svc\n',
      /internalCertManagement\.webhookServiceName: Invalid value/,
    ],
    [
      'bad secret name',
      'internalCertManagement:\n  webhookSecretName: -secret\n',
      /internalCertManagement\.webhookSecretName: Invalid value/,
    ],
    [
      'bad bind address',
      'health:\n  healthProbeBindAddress: "8081"\n',
      /health\.healthProbeBindAddress: Invalid value/,
    ],
  ];
  for (const [name, body, expected] of bad) {
    test(`${name}: exit 1, the field named in the error`, async () => {
      const result = await controller(`--config=${await withConfig(name.replace(/ /g, '-'), body)}`);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /"msg":"unable to load the configuration"/);
      assert.match(result.stderr, expected);
    });
  }

  test('a bad flag: exit 2 with Go flag wording and the usage', async () => {
    const result = await controller('--leader-elect-lease-duration=soon');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^invalid value "soon" for flag -leader-elect-lease-duration: parse error/);
    assert.match(result.stderr, /Usage of lwsctl controller:/);
  });

  test('--version prints the build and exits 0', async () => {
    const result = await controller('--version');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Version: v\S+\nBuild Date: \S+\nGit Commit: \S+\n$/);
  });
});
