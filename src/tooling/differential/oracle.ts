/**
 * @module testing/differential/oracle
 * The Go oracle (hack/differential) from TypeScript: built with hack/differential/build.sh, then run as one
 * long-lived process answering one JSON line per case line.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CaseResult, DifferentialCase } from './types.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Why the oracle cannot be built here, or undefined when it can (probably). */
export function oracleUnavailable(): string | undefined {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    return 'Go is not installed (the oracle needs Go ≥ 1.26 on PATH)';
  }
  return undefined;
}

export class Oracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: ((line: string) => void)[] = [];
  private readonly dir: string;
  private stderr = '';

  private constructor(binary: string, crd: string, dir: string) {
    this.dir = dir;
    this.child = spawn(binary, ['-crd', crd], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const lines = createInterface({ input: this.child.stdout });
    lines.on('line', (line) => this.pending.shift()?.(line));
    this.child.on('exit', (code) => {
      const error = `oracle exited (${code}): ${this.stderr.trim()}`;
      for (const resolve of this.pending.splice(0)) resolve(JSON.stringify({ id: '', error }));
    });
  }

  /** Builds the oracle; throws with build.sh's explanation when it cannot. */
  static start(): Oracle {
    const dir = mkdtempSync(join(tmpdir(), 'lws-differential-'));
    const binary = join(dir, 'oracle');
    let crd: string;
    try {
      crd = execFileSync('bash', [join(root, 'hack/differential/build.sh'), binary], {
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      }).trim();
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      const err = e as { stderr?: string; message: string };
      throw new Error(`cannot build the Go oracle: ${(err.stderr ?? '').trim() || err.message}`, { cause: e });
    }
    return new Oracle(binary, crd, dir);
  }

  /** Upstream's results for `cases`, in order. */
  async run(cases: readonly DifferentialCase[]): Promise<CaseResult[]> {
    const answers = cases.map(
      (c) =>
        new Promise<CaseResult>((resolve) => {
          this.pending.push((line) => resolve(JSON.parse(line) as CaseResult));
          this.child.stdin.write(JSON.stringify(c) + '\n');
        }),
    );
    return Promise.all(answers);
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
