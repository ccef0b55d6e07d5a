/**
 * @module testing/prometheus
 * A real Prometheus (Debian's package, installed and cached by hack/prometheus.sh) for the observability tests: its
 * own process group, a free port on 127.0.0.1, adopted into a cluster's state so `cluster down` stops it too, and
 * the few HTTP API calls the tests need.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { freePorts } from '../cluster/ports.ts';
import { adoptProcess } from '../cluster/state.ts';
import { httpGet } from '../cluster/health.ts';
import { eventually } from './wait.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');

/** The directory holding prometheus and promtool (installs Debian's package on first use). */
export async function prometheusBinaries(): Promise<string> {
  const { stdout } = await run('bash', [join(ROOT, 'hack/prometheus.sh')], { maxBuffer: 16 << 20 });
  return stdout.trim();
}

export interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export class PrometheusProcess {
  readonly url: string;
  readonly logFile: string;
  readonly #child: ChildProcess;

  private constructor(url: string, logFile: string, child: ChildProcess) {
    this.url = url;
    this.logFile = logFile;
    this.#child = child;
  }

  /** Starts Prometheus with `config` (an object, written as YAML) and `files` next to it; waits for /-/ready. */
  static async start(options: {
    binDir: string;
    dir: string;
    config: unknown;
    files?: Record<string, string>;
    cluster?: string;
  }): Promise<PrometheusProcess> {
    mkdirSync(options.dir, { recursive: true });
    for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(options.dir, name), text);
    const configFile = join(options.dir, 'prometheus.yml');
    writeFileSync(configFile, stringify(options.config));
    const [port] = (await freePorts(1)) as [number];
    const logFile = join(options.dir, 'prometheus.log');
    const fd = openSync(logFile, 'w');
    const binary = join(options.binDir, 'prometheus');
    const child = spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(options.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=info',
      ],
      { stdio: ['ignore', fd, fd], detached: true },
    );
    closeSync(fd);
    if (options.cluster)
      await adoptProcess(options.cluster, { component: 'prometheus', pid: child.pid!, binary, log: logFile });
    const p = new PrometheusProcess(`http://127.0.0.1:${port}`, logFile, child);
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}; see ${logFile}`);
        const r = await httpGet(`${p.url}/-/ready`);
        if (r.status !== 200) throw new Error(`not ready: ${r.status}`);
      },
      { timeoutMs: 60_000, intervalMs: 250, message: 'prometheus ready' },
    );
    return p;
  }

  async #api<T>(path: string): Promise<T> {
    const r = await httpGet(`${this.url}/api/v1/${path}`);
    const body = JSON.parse(r.body) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? r.body}`);
    return body.data;
  }

  /** An instant query's vector. */
  async query(expr: string): Promise<PrometheusSample[]> {
    return (await this.#api<{ result: PrometheusSample[] }>(`query?query=${encodeURIComponent(expr)}`)).result;
  }

  /** A range query's matrix: one series of [time, value] per label set. */
  async queryRange(
    expr: string,
    startS: number,
    endS: number,
    stepS: number,
  ): Promise<Array<{ metric: Record<string, string>; values: Array<[number, string]> }>> {
    const q = `query_range?query=${encodeURIComponent(expr)}&start=${startS}&end=${endS}&step=${stepS}`;
    return (await this.#api<{ result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }>(q))
      .result;
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.#api<{ alerts: PrometheusAlert[] }>('alerts')).alerts;
  }

  async targets(): Promise<
    Array<{ labels: Record<string, string>; health: string; scrapeUrl: string; lastError: string }>
  > {
    return (await this.#api<{ activeTargets: never[] }>('targets')).activeTargets;
  }

  /** SIGTERM to the process group; SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((r) => this.#child.once('exit', r));
    process.kill(-this.#child.pid!, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-this.#child.pid!, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** `promtool ARGS…`: exit code and output, never rejects. */
export async function promtool(binDir: string, ...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(join(binDir, 'promtool'), args, { cwd: ROOT });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : 1, output: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}
