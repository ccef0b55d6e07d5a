/**
 * @module cluster/state
 * Where a named local cluster keeps its files, and the record of what it started.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProcessRecord } from './processes.ts';

export interface ClusterState {
  name: string;
  dir: string;
  server: string;
  kubeconfig: string;
  /** Extra kubeconfig written where the user asked (--kubeconfig). */
  userKubeconfig?: string;
  ports: Record<string, number>;
  /** The gang scheduler it was started with (`cluster up --scheduler`); absent: the default scheduler only. */
  scheduler?: 'volcano' | 'native';
  processes: ProcessRecord[];
  startedAt: string;
}

export function clustersRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LWS_CLUSTERS_DIR) return env.LWS_CLUSTERS_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lws', 'clusters');
}

export function clusterDir(name: string): string {
  return join(clustersRoot(), name);
}

export const stateFile = (dir: string) => join(dir, 'state.json');

export async function readState(name: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(clusterDir(name)), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

export async function writeState(state: ClusterState): Promise<void> {
  await writeFile(stateFile(state.dir), JSON.stringify(state, null, 2) + '\n');
}

/** Adds a process started outside `clusterUp` (e.g. a demo's controller) so `cluster down` stops it too. */
export async function adoptProcess(name: string, record: ProcessRecord): Promise<void> {
  const state = await readState(name);
  if (!state) throw new Error(`cluster "${name}" is not running`);
  state.processes.push(record);
  await writeState(state);
}
