/**
 * @module testing/operator-process
 * The operator's end-to-end fixtures:
 *
 * - `serviceAccountKubeconfig`: credentials of a ServiceAccount (a TokenRequest, as the kubelet mounts into a
 *   pod), so a local process acts with exactly the RBAC an install granted — the operator as
 *   `openshift-lws-operator`, the controller as the operand's `lws-controller-manager`;
 * - `OperatorProcess`: `lwsctl operator` as a child process with a JSON log file, adopted into the cluster's
 *   state so `cluster down` stops it even if the test process dies.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adoptProcess } from '../cluster/state.ts';
import type { KubeClient } from '../../k8s/client/client.ts';
import { logTail, readLogLines, type LogLine } from './json-log.ts';
import { eventually } from './wait.ts';

const lwsctl = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'lwsctl.js');

/** Writes a kubeconfig for `namespace/serviceAccount` (token valid for an hour) next to `adminKubeconfig`. */
export async function serviceAccountKubeconfig(
  client: KubeClient,
  adminKubeconfig: string,
  namespace: string,
  serviceAccount: string,
): Promise<string> {
  const answer = await client.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  );
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster()!;
  const ca = cluster.caData ?? Buffer.from(readFileSync(cluster.caFile!)).toString('base64');
  const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
  const path = join(dirname(adminKubeconfig), `sa-${namespace}-${serviceAccount}.kubeconfig`);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server: cluster.server, 'certificate-authority-data': ca } }],
      users: [{ name: user, user: { token: answer!.status.token } }],
      contexts: [{ name: 'sa', context: { cluster: 'local', user } }],
      'current-context': 'sa',
    }),
  );
  return path;
}

export interface OperatorProcessOptions {
  cluster: { name: string; dir: string };
  kubeconfig: string;
  id: string;
  args?: string[];
  env?: Record<string, string | undefined>;
}

export class OperatorProcess {
  readonly logFile: string;
  readonly #child: ChildProcess;
  readonly exited: Promise<number | null>;

  private constructor(logFile: string, child: ChildProcess) {
    this.logFile = logFile;
    this.#child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(options: OperatorProcessOptions): Promise<OperatorProcess> {
    const logFile = join(options.cluster.dir, 'logs', `lwsctl-operator-${options.id}.log`);
    const fd = openSync(logFile, 'w');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...options.env })) if (v !== undefined) env[k] = v;
    const child = spawn(
      process.execPath,
      [
        lwsctl,
        'operator',
        `--kubeconfig=${options.kubeconfig}`,
        '--metrics-bind-address=0',
        '--health-probe-bind-address=0',
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', fd, fd], env },
    );
    closeSync(fd);
    await adoptProcess(options.cluster.name, {
      component: `lwsctl-operator-${options.id}`,
      pid: child.pid!,
      binary: process.execPath,
      log: logFile,
    });
    return new OperatorProcess(logFile, child);
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  lines(): LogLine[] {
    return readLogLines(this.logFile);
  }

  /** Fails fast (with the log tail) when the operator has exited. */
  assertRunning(): void {
    if (!this.running) throw new Error(`the operator exited; log tail:\n${this.tail()}`);
  }

  waitForLog(msg: string, timeoutMs = 60_000): Promise<LogLine> {
    return eventually(
      () => {
        const found = this.lines().find((l) => l.msg === msg);
        if (!found) {
          this.assertRunning();
          throw new Error(`no log line "${msg}" yet`);
        }
        return found;
      },
      { timeoutMs, intervalMs: 200, message: `operator logs "${msg}"` },
    );
  }

  tail(lines = 10): string {
    return logTail(this.logFile, lines);
  }

  /** SIGKILL: a crash, no clean-up. */
  kill(): void {
    this.#child.kill('SIGKILL');
  }

  async stop(graceMs = 20_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
