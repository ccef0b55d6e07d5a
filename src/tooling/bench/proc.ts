/**
 * @module bench/proc
 * Process figures from /proc (Linux): CPU seconds (utime + stime of /proc/<pid>/stat, clock ticks of
 * 1/100 s as on every Linux of this kind), peak and current RSS (VmHWM / VmRSS of /proc/<pid>/status),
 * and the load average.
 */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

/** user + system CPU seconds of a process, or undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    return parseCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Parses a /proc/<pid>/stat line (the command may contain spaces and parentheses). */
export function parseCpuSeconds(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
}

/** A "VmHWM"-style field of /proc/<pid>/status in MiB, or undefined. */
export function statusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    return parseStatusMiB(readFileSync(`/proc/${pid}/status`, 'utf8'), field);
  } catch {
    return undefined;
  }
}

export function parseStatusMiB(status: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : undefined;
}

export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
