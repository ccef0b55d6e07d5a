/**
 * @module testing/controller-process
 * `lwsctl run` as a child process for the cluster test tier, started once per run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const lwsctl = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'lwsctl.js');
let child: ChildProcess | undefined;

/** Starts the controller and resolves with its pid once it logged "Controllers ready" (fails with its log tail). */
export async function startController(
  kubeconfig: string,
  logFile: string,
  timeoutMs = 60_000,
  /** Extra `lwsctl run` arguments, e.g. ["--scheduler-provider", "volcano"]. */
  args: string[] = [],
): Promise<number> {
  const fd = openSync(logFile, 'a');
  child = spawn(
    process.execPath,
    [lwsctl, 'run', '--kubeconfig', kubeconfig, '--webhook-port', '0', '--log-level', 'debug', ...args],
    {
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  while (Date.now() < deadline && exitCode === undefined) {
    if (readFileSync(logFile, 'utf8').includes('"msg":"Controllers ready"')) return child.pid!;
    await sleep(100);
  }
  const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
  await stopController();
  throw new Error(
    `lwsctl run did not become ready (${exitCode === undefined ? 'timeout' : `exit ${exitCode}`}); log ${logFile}:\n${tail}`,
  );
}

/** Lets the controller outlive this process (it is then stopped by `lwsctl cluster down`). */
export function detachController(): void {
  child?.unref();
  child = undefined;
}

export async function stopController(): Promise<void> {
  const c = child;
  child = undefined;
  if (!c || c.exitCode !== null) return;
  const done = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  c.kill('SIGTERM');
  const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}
