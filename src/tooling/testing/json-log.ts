/**
 * @module testing/json-log
 * Reading the JSON-lines log files our child processes (controller, operator) write.
 */
import { readFileSync } from 'node:fs';

export interface LogLine {
  level: string | number;
  time: string;
  msg: string;
  [key: string]: unknown;
}

/** Parsed JSON lines so far (a line still being written is skipped). */
export function readLogLines(file: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as LogLine);
    } catch {
      // a line being written
    }
  }
  return out;
}

/** The last `lines` lines of the file, for error messages. */
export function logTail(file: string, lines = 8): string {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
