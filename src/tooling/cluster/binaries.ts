/**
 * @module cluster/binaries
 * Where the control-plane binaries live, and building them (hack/build-testbin.sh) when they are missing.
 */
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClusterError } from './errors.ts';

export const K8S_VERSION = 'v1.36.3';
export const ETCD_VERSION = 'v3.6.10';
export const KWOK_VERSION = 'v0.8.0';

export const BINARIES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'kwokctl',
] as const;
export type Binary = (typeof BINARIES)[number];

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The versioned cache directory the build script writes to (same rule as the script). */
export function binaryDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LWS_TESTBIN_DIR) return env.LWS_TESTBIN_DIR;
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'lws', 'bin', `k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}-kwok-${KWOK_VERSION}`);
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns the binary directory, building whatever is missing first (progress goes to stderr). */
export async function ensureBinaries(): Promise<string> {
  const dir = binaryDir();
  const missing = [];
  for (const b of BINARIES) if (!(await executable(join(dir, b)))) missing.push(b);
  if (missing.length === 0) return dir;
  process.stderr.write(`lwsctl: building missing control-plane binaries (${missing.join(', ')}) into ${dir}\n`);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'hack', 'build-testbin.sh')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LWS_TESTBIN_DIR: dir },
    });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code === 3) {
    throw new ClusterError(
      'the Go toolchain is missing, so the control-plane binaries cannot be built',
      'install Go >= 1.26 and put it on PATH, then run: npm run testbin',
    );
  }
  if (code !== 0) {
    throw new ClusterError(
      `building the control-plane binaries failed (exit ${code})`,
      'see the build output above; rerun: npm run testbin',
    );
  }
  return dir;
}

/** Volcano (gang scheduler) built by hack/build-volcano.sh: the only release the Go module proxy serves here. */
export const VOLCANO_VERSION = 'v1.10.0';

/** The directory hack/build-volcano.sh writes (same rule as the script). */
export function volcanoDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LWS_VOLCANO_DIR) return env.LWS_VOLCANO_DIR;
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'lws', 'bin', `volcano-${VOLCANO_VERSION}`);
}

/** Returns Volcano's directory (vc-scheduler, vc-controller-manager, scheduler.conf, crd/), building it when missing. */
export async function ensureVolcano(): Promise<string> {
  const dir = volcanoDir();
  const ready =
    (await executable(join(dir, 'vc-scheduler'))) &&
    (await executable(join(dir, 'vc-controller-manager'))) &&
    (await readable(join(dir, 'scheduler.conf'))) &&
    (await readable(join(dir, 'crd', 'scheduling.volcano.sh_podgroups.yaml')));
  if (ready) return dir;
  process.stderr.write(
    `lwsctl: building Volcano ${VOLCANO_VERSION} (vc-scheduler, vc-controller-manager) into ${dir}\n`,
  );
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'hack', 'build-volcano.sh')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LWS_VOLCANO_DIR: dir },
    });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code === 3) {
    throw new ClusterError(
      'the Go toolchain is missing, so Volcano cannot be built',
      'install Go >= 1.26 and put it on PATH, then run: hack/build-volcano.sh',
    );
  }
  if (code !== 0) {
    throw new ClusterError(
      `building Volcano ${VOLCANO_VERSION} failed (exit ${code})`,
      'see the output above; rerun: hack/build-volcano.sh',
    );
  }
  return dir;
}

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
