/**
 * @module cluster/processes
 * Long-running child processes of the local cluster: started detached (so `cluster up` can return),
 * logged to files, found again by pid, and stopped as a whole process group.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessRecord {
  component: string;
  pid: number;
  binary: string;
  log: string;
  /** The command-line arguments, so the component can be started again (absent in older state files). */
  args?: string[];
  /** Extra environment variables it was started with. */
  env?: Record<string, string>;
}

/** Starts `binary args…` in its own session with output appended to `log`. */
export function startDetached(
  component: string,
  binary: string,
  args: string[],
  log: string,
  env?: Record<string, string>,
): ProcessRecord {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(binary, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(env ? { env: { ...process.env, ...env } } : {}),
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${binary}`);
    return { component, pid: child.pid, binary, log, args, ...(env ? { env } : {}) };
  } finally {
    closeSync(fd);
  }
}

/** True when the pid is alive *and* still runs our binary (guards against pid reuse). */
export function isRunning(record: ProcessRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    const state = readFileSync(`/proc/${record.pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return cmdline.startsWith(record.binary) && state !== 'Z';
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(record: ProcessRecord, graceMs = 5000): Promise<void> {
  if (!isRunning(record)) return;
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(record)) return;
    await sleep(50);
  }
  signalGroup(record.pid, 'SIGKILL');
  for (let i = 0; i < 100 && isRunning(record); i++) await sleep(50);
}

/** Last lines of a log file, for error messages. */
export function tailLog(path: string, lines = 5): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
