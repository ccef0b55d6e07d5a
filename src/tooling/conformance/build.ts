/**
 * @module conformance/build
 * Compiles upstream's e2e suite with `go test -c` from the committed wrapper module hack/conformance
 * (go.mod/go.sum pin sigs.k8s.io/lws v0.10.0 and its test dependencies) into
 * `~/.cache/lws/conformance/v0.10.0/e2e.test`, once; later runs reuse the binary.
 *
 * The public Go module proxy may refuse the sigs.k8s.io/lws v0.10.0 zip (403). Then the module can come
 * from a git clone of kubernetes-sigs/lws (`LWS_GIT`): tag v0.10.0 is packed into a throw-away file proxy by
 * hack/golden/mkzip, and go.sum still checks it is byte-for-byte the published module.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { access, constants, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tailLog } from '../cluster/processes.ts';
import { LWS_MODULE, LWS_VERSION, SUITE_PACKAGE, moduleDownloadError } from './suite.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const WRAPPER_DIR = join(repoRoot, 'hack', 'conformance');
const MKZIP_MODULE = join(repoRoot, 'hack', 'golden');
/** The commit time of tag v0.10.0, as the proxy's .info reports it (not part of any hash). */
const TAG_TIME = '2026-08-11T15:55:19Z';

/** A failure with a one-line message and a hint; `unavailable` when the suite cannot be had here at all. */
export class ConformanceError extends Error {
  readonly hint: string;
  readonly unavailable: boolean;
  constructor(message: string, hint: string, unavailable = false) {
    super(message);
    this.name = 'ConformanceError';
    this.hint = hint;
    this.unavailable = unavailable;
  }
}

/** `~/.cache/lws/conformance/v0.10.0` (XDG_CACHE_HOME respected; LWS_CONFORMANCE_DIR overrides). */
export function conformanceDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LWS_CONFORMANCE_DIR) return env.LWS_CONFORMANCE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lws', 'conformance', LWS_VERSION);
}

export function suiteBinaryPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(conformanceDir(env), 'e2e.test');
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findGo(): Promise<string | undefined> {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/local/go/bin']) {
    if (dir && (await executable(join(dir, 'go')))) return join(dir, 'go');
  }
  return undefined;
}

const goEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  GOTOOLCHAIN: 'local',
  GOFLAGS: '-mod=mod',
  ...extra,
});

const MODULE_HINT =
  `set LWS_GIT to a git clone (or bare mirror) of kubernetes-sigs/lws that has tag ${LWS_VERSION}, e.g. ` +
  `"git clone --bare https://github.com/kubernetes-sigs/lws /tmp/lws.git && LWS_GIT=/tmp/lws.git npm run conformance": ` +
  `the module is rebuilt from the tag (hack/golden/mkzip) and checked against go.sum`;

/** Why `go` cannot get sigs.k8s.io/lws v0.10.0 (one line), or undefined when it is in the module cache now. */
async function downloadModule(go: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const { stdout } = await run(go, ['mod', 'download', '-json', `${LWS_MODULE}@${LWS_VERSION}`], {
      cwd: WRAPPER_DIR,
      env,
      maxBuffer: 16 << 20,
    });
    return moduleDownloadError(stdout);
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    return moduleDownloadError(stdout || stderr || (e as Error).message) ?? 'go mod download failed';
  }
}

/** Packs tag v0.10.0 of `gitDir` into a file proxy under `tmp`; returns the GOPROXY value that serves it first. */
async function proxyFromGit(go: string, gitDir: string, tmp: string, log: (l: string) => void): Promise<string> {
  const src = join(tmp, 'src');
  const proxy = join(tmp, 'proxy');
  await mkdir(src, { recursive: true });
  log(`packing ${LWS_MODULE} ${LWS_VERSION} from the git repository ${gitDir}`);
  try {
    // site/ is a nested module, never part of the module zip (same as hack/golden/generate.sh).
    await run(
      'bash',
      [
        '-c',
        'set -o pipefail; git -C "$1" archive "$2" -- . ":(exclude)site" | tar -x -C "$3"',
        'archive',
        gitDir,
        LWS_VERSION,
        src,
      ],
      { maxBuffer: 16 << 20 },
    );
    await run(go, ['run', './mkzip', src, LWS_VERSION, TAG_TIME, proxy], { cwd: MKZIP_MODULE, env: goEnv() });
  } catch (e) {
    const stderr = ((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n')[0];
    throw new ConformanceError(
      `cannot build the ${LWS_MODULE} ${LWS_VERSION} module from LWS_GIT=${gitDir}: ${stderr}`,
      `LWS_GIT must be a git clone of kubernetes-sigs/lws with tag ${LWS_VERSION}`,
    );
  }
  const { stdout } = await run(go, ['env', 'GOPROXY'], { env: goEnv() });
  return `file://${proxy},${stdout.trim()}`;
}

export interface BuildOptions {
  log?: (line: string) => void;
  /** Rebuild even if the binary is cached. */
  force?: boolean;
  /** Another package of the module's e2e suites (default SUITE_PACKAGE) and its binary's file name in the cache. */
  pkg?: string;
  file?: string;
}

/**
 * Returns the path of the compiled suite, building it when it is not cached. Throws a ConformanceError
 * with `unavailable` set when Go or the module is missing (so CI can skip cleanly on such a machine).
 */
export async function ensureSuiteBinary(options: BuildOptions = {}): Promise<{ path: string; built: boolean }> {
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const pkg = options.pkg ?? SUITE_PACKAGE;
  const path = options.file ? join(conformanceDir(), options.file) : suiteBinaryPath();
  if (!options.force && (await executable(path))) return { path, built: false };

  const go = await findGo();
  if (!go) {
    throw new ConformanceError(
      `the Go toolchain is missing, so upstream's e2e suite (${pkg}@${LWS_VERSION}) cannot be built`,
      `install Go >= 1.26 (e.g. /usr/local/go/bin), or copy a built suite to ${path}`,
      true,
    );
  }
  const dir = conformanceDir();
  await mkdir(dir, { recursive: true });
  const tmp = await mkdtemp(join(dir, '.build-'));
  try {
    let env = goEnv();
    const refused = await downloadModule(go, env);
    if (refused) {
      const gitDir = process.env.LWS_GIT;
      if (!gitDir) {
        throw new ConformanceError(
          `cannot get the Go module ${LWS_MODULE}@${LWS_VERSION} for upstream's e2e suite: ${refused}`,
          MODULE_HINT,
          true,
        );
      }
      if (!existsSync(gitDir)) {
        throw new ConformanceError(`LWS_GIT=${gitDir} does not exist`, MODULE_HINT);
      }
      env = goEnv({ GOPROXY: await proxyFromGit(go, gitDir, tmp, log) });
      const still = await downloadModule(go, env);
      if (still) {
        throw new ConformanceError(
          `the ${LWS_MODULE}@${LWS_VERSION} module packed from LWS_GIT=${gitDir} was rejected: ${still}`,
          `check that tag ${LWS_VERSION} of ${gitDir} is the upstream release (go.sum pins its hash)`,
        );
      }
    }

    const t0 = Date.now();
    log(`building ${pkg}@${LWS_VERSION} with go test -c (first build takes a few minutes)`);
    const buildLog = join(tmp, 'build.log');
    const fd = openSync(buildLog, 'w');
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(go, ['test', '-c', '-trimpath', '-o', join(tmp, 'e2e.test'), pkg], {
        cwd: WRAPPER_DIR,
        env: { ...env, CGO_ENABLED: '0' },
        stdio: ['ignore', fd, fd],
      });
      child.on('error', reject);
      child.on('exit', (c) => resolve(c ?? 1));
    }).finally(() => closeSync(fd));
    if (code !== 0) {
      throw new ConformanceError(
        `go test -c ${pkg} failed (exit ${code}):\n${tailLog(buildLog, 15)}`,
        'check "go version" (>= 1.26) and that the Go module proxy serves the test dependencies; rerun: npm run conformance',
      );
    }
    await rename(join(tmp, 'e2e.test'), path);
    log(`built ${path} in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
    return { path, built: true };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
