/**
 * @module testing/manager-process
 * `lwsctl controller` replicas as child processes for fault-injection tests: each gets its own free
 * ports, a JSON log file, and is adopted into its cluster's state so `cluster down` stops it even if the
 * test process dies. Tests read its log lines, probe endpoints and metrics, and can kill, stop or
 * continue it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../cluster/ports.ts';
import { adoptProcess } from '../cluster/state.ts';
import { httpGet } from '../cluster/health.ts';
import { logTail, readLogLines, type LogLine } from './json-log.ts';

export type { LogLine } from './json-log.ts';
import { eventually } from './wait.ts';

const lwsctl = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'lwsctl.js');

export interface ManagerProcessOptions {
  /** Cluster name (for adoption into its state) and kubeconfig. */
  cluster: { name: string; kubeconfig: string; dir: string };
  /** A short name for files and logs, e.g. "a". */
  id: string;
  /** Configuration file body (YAML) without `webhook:` (added: host 127.0.0.1, a free port, `certDir`). */
  config?: string;
  /** webhook.certDir (cert-manager mode reads tls.crt/tls.key from it). */
  certDir?: string;
  args?: string[];
  env?: Record<string, string>;
}

export class ManagerProcess {
  readonly id: string;
  readonly logFile: string;
  readonly ports: { metrics: number; health: number; webhook: number };
  readonly #child: ChildProcess;
  readonly exited: Promise<number | null>;

  private constructor(id: string, logFile: string, ports: ManagerProcess['ports'], child: ChildProcess) {
    this.id = id;
    this.logFile = logFile;
    this.ports = ports;
    this.#child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(options: ManagerProcessOptions): Promise<ManagerProcess> {
    const [metrics, health, webhook] = (await freePorts(3)) as [number, number, number];
    const dir = join(options.cluster.dir, 'logs');
    const logFile = join(dir, `lwsctl-controller-${options.id}.log`);
    const configFile = join(options.cluster.dir, `controller-${options.id}.yaml`);
    const certDir = options.certDir ? `  certDir: ${options.certDir}\n` : '';
    writeFileSync(
      configFile,
      `apiVersion: config.lws.x-k8s.io/v1alpha1\nkind: Configuration\n` +
        `webhook:\n  host: 127.0.0.1\n  port: ${webhook}\n${certDir}${options.config ?? ''}\n`,
    );
    const fd = openSync(logFile, 'w');
    const child = spawn(
      process.execPath,
      [
        lwsctl,
        'controller',
        `--kubeconfig=${options.cluster.kubeconfig}`,
        `--config=${configFile}`,
        `--metrics-bind-address=127.0.0.1:${metrics}`,
        `--health-probe-bind-address=127.0.0.1:${health}`,
        '--zap-log-level=info',
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', fd, fd], env: { ...process.env, ...options.env } },
    );
    closeSync(fd);
    const started = new ManagerProcess(options.id, logFile, { metrics, health, webhook }, child);
    await adoptProcess(options.cluster.name, {
      component: `lwsctl-controller-${options.id}`,
      pid: child.pid!,
      binary: process.execPath,
      log: logFile,
    });
    return started;
  }

  get pid(): number {
    return this.#child.pid!;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Parsed JSON log lines so far. */
  lines(): LogLine[] {
    return readLogLines(this.logFile);
  }

  /** The first log line with this message (and matching `fields`), waiting for it. */
  waitForLog(msg: string | RegExp, timeoutMs = 60_000, fields: Record<string, unknown> = {}): Promise<LogLine> {
    const matches = (l: LogLine) =>
      (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg)) &&
      Object.entries(fields).every(([k, v]) => l[k] === v);
    return eventually(
      () => {
        const found = this.lines().find(matches);
        if (!found) {
          if (!this.running) throw new Error(`controller ${this.id} exited; log tail:\n${this.tail()}`);
          throw new Error(`no log line "${String(msg)}" from controller ${this.id} yet`);
        }
        return found;
      },
      { timeoutMs, intervalMs: 200, message: `controller ${this.id} logs "${String(msg)}"` },
    );
  }

  tail(lines = 8): string {
    return logTail(this.logFile, lines);
  }

  readyz(): Promise<{ status: number; body: string }> {
    return httpGet(`http://127.0.0.1:${this.ports.health}/readyz?verbose`);
  }

  /** /metrics text over plain HTTP (start the process with --metrics-secure=false). */
  async metrics(): Promise<string> {
    const { status, body } = await httpGet(`http://127.0.0.1:${this.ports.metrics}/metrics`);
    if (status !== 200) throw new Error(`metrics: HTTP ${status}: ${body}`);
    return body;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.#child.kill(signal);
  }

  /** SIGTERM and wait; SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.#child.kill('SIGCONT'); // a stopped process cannot handle SIGTERM
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Sum of a counter's samples in Prometheus text, optionally only those whose labels include `labels`. */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
