/**
 * @module cluster/components
 * Stopping and starting one component of a running local cluster (fault-injection tests: an apiserver
 * restart, an etcd outage). A component is started again with exactly the arguments, binary and log file
 * it had, and waited for until healthy; the new pid replaces the old one in state.json, so `cluster down`
 * still stops everything.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClusterError } from './errors.ts';
import { waitHealthy, type TlsMaterial } from './health.ts';
import { isRunning, startDetached, stopProcess, tailLog, type ProcessRecord } from './processes.ts';
import { readState, writeState, type ClusterState } from './state.ts';

export type ComponentName =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'vc-controller-manager'
  | 'vc-scheduler';

async function load(name: string, component: ComponentName): Promise<{ state: ClusterState; record: ProcessRecord }> {
  const state = await readState(name);
  if (!state) throw new ClusterError(`cluster "${name}" is not running`, `start it: lwsctl cluster up --name ${name}`);
  const record = state.processes.find((p) => p.component === component);
  if (!record) throw new ClusterError(`cluster "${name}" has no ${component}`, 'check: lwsctl cluster status');
  return { state, record };
}

/** Stops one component (SIGTERM, then SIGKILL after `graceMs`); a no-op when it is not running. */
export async function stopComponent(name: string, component: ComponentName, graceMs = 5000): Promise<void> {
  const { record } = await load(name, component);
  await stopProcess(record, graceMs);
}

/** Where a component answers "ok" once it serves again (undefined: only "still running" is checked). */
async function healthOf(
  state: ClusterState,
  component: ComponentName,
): Promise<{ url: string; tls?: TlsMaterial } | undefined> {
  const ports = state.ports;
  switch (component) {
    case 'etcd':
      return { url: `http://127.0.0.1:${ports.etcd}/health` };
    case 'kube-apiserver':
      // /readyz is readable anonymously (system:public-info-viewer); only the CA is needed.
      return { url: `${state.server}/readyz`, tls: { ca: await readFile(join(state.dir, 'pki', 'ca.crt'), 'utf8') } };
    case 'kube-controller-manager':
      return { url: `https://127.0.0.1:${ports.kcm}/healthz` };
    case 'kube-scheduler':
      return { url: `https://127.0.0.1:${ports.scheduler}/healthz` };
    case 'kwok':
      return undefined;
    case 'vc-controller-manager':
      return { url: `http://127.0.0.1:${ports.vcControllerManager}/healthz` };
    case 'vc-scheduler':
      return { url: `http://127.0.0.1:${ports.vcScheduler}/healthz` };
  }
}

/** Starts a stopped component again with its recorded arguments and waits until it is healthy. */
export async function startComponent(name: string, component: ComponentName, timeoutMs = 60_000): Promise<void> {
  const { state, record } = await load(name, component);
  if (isRunning(record)) return;
  if (!record.args) {
    throw new ClusterError(
      `cluster "${name}" was created without recorded ${component} arguments`,
      `recreate it: lwsctl cluster down --name ${name} && lwsctl cluster up --name ${name}`,
    );
  }
  const started = startDetached(component, record.binary, record.args, record.log, record.env);
  // Re-read: another process may have adopted processes into the state meanwhile.
  const fresh = (await readState(name)) ?? state;
  fresh.processes = fresh.processes.map((p) => (p.component === component ? started : p));
  await writeState(fresh);
  const health = await healthOf(state, component);
  const problem = health
    ? await waitHealthy(health.url, { tls: health.tls, timeoutMs, alive: () => isRunning(started) })
    : isRunning(started)
      ? undefined
      : 'the process exited';
  if (problem) {
    throw new ClusterError(
      `${component} did not start again: ${problem}; last log lines: ${tailLog(record.log, 3).replace(/\n/g, ' | ')}`,
      `full log: ${record.log}`,
    );
  }
}

/** Stops a component, waits `downMs`, starts it again and waits until it is healthy. */
export async function restartComponent(name: string, component: ComponentName, downMs = 0): Promise<void> {
  await stopComponent(name, component);
  if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
  await startComponent(name, component);
}
