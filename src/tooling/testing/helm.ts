/**
 * @module testing/helm
 * The real helm (v3.22.0, built from helm.sh/helm/v3/cmd/helm by hack/build-helm.sh into
 * `~/.cache/lws/bin/helm-v3.22.0/`, once), for tests that render charts/lws-operator.
 */
import { execFile, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Builds helm when it is missing (progress on stderr, minutes the first time) and returns its path. */
export async function ensureHelm(): Promise<string> {
  const started = Date.now();
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'hack', 'build-helm.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (c) => resolve({ code: c ?? 1, stdout: out }));
  });
  if (code !== 0) throw new Error(`hack/build-helm.sh failed (exit ${code}); see its output above`);
  const path = stdout.trim().split('\n').pop()!;
  const seconds = Math.round((Date.now() - started) / 1000);
  if (seconds > 5) process.stderr.write(`# helm ready after ${seconds}s: ${path}\n`);
  return path;
}

export interface Helm {
  /** Runs helm and returns stdout; rejects with stderr in the message on failure. */
  (...args: string[]): Promise<string>;
}

export function helmAt(binary: string): Helm {
  return async (...args: string[]) => {
    try {
      // `helm template` and `helm lint` are offline; helm's own directories stay out of the user's home.
      const dir = join(tmpdir(), 'lws-helm');
      const env = {
        PATH: process.env.PATH ?? '',
        HELM_CACHE_HOME: join(dir, 'cache'),
        HELM_CONFIG_HOME: join(dir, 'config'),
        HELM_DATA_HOME: join(dir, 'data'),
      };
      const { stdout } = await run(binary, args, { maxBuffer: 64 << 20, env });
      return stdout;
    } catch (e) {
      const stderr = (e as { stderr?: string }).stderr?.trim();
      throw new Error(`helm ${args.join(' ')}: ${stderr || (e as Error).message}`, { cause: e });
    }
  };
}
