/**
 * @module testing/controller-process
 * `lwsctl run` as a child process for the cluster test tier, started once per run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, closeSync, copyFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const lwsctl = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'lwsctl.js');
let child: ChildProcess | undefined;

/** The last `lines` lines of a log file ('' when unreadable). */
function tailOf(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * A controller that dies mid-run makes every later test fail with "connection refused" from its webhooks, which
 * says nothing of why. Say it once, where the failures are printed, with the log's tail, and keep the whole log
 * out of the cluster directory (the teardown deletes that).
 */
function reportUnexpectedExit(pid: number, logFile: string, code: number | null, signal: string | null): void {
  const kept = join(
    homedir(),
    '.cache',
    'lws',
    'test-logs',
    `lwsctl-run-${new Date().toISOString().replace(/[:.]/g, '-')}.log`,
  );
  let where = kept;
  try {
    mkdirSync(dirname(kept), { recursive: true });
    copyFileSync(logFile, kept);
  } catch {
    where = logFile;
  }
  process.stderr.write(
    `# lwsctl run, the shared test controller (pid ${pid}), exited during the run (${signal ?? `exit ${code}`}): ` +
      `later tests cannot reach its webhooks. Log kept at ${where}; its last lines:\n` +
      tailOf(logFile, 20)
        .split('\n')
        .map((l) => `#   ${l}`)
        .join('\n') +
      '\n',
  );
}

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
  const started = child;
  const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  while (Date.now() < deadline && exitCode === undefined) {
    if (readFileSync(logFile, 'utf8').includes('"msg":"Controllers ready"')) {
      started.once('exit', (code, signal) => {
        if (child === started) reportUnexpectedExit(started.pid!, logFile, code, signal); // not stopController's doing
      });
      return started.pid!;
    }
    await sleep(100);
  }
  const tail = tailOf(logFile, 5);
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
