/**
 * @module cluster/etcd
 * Direct etcd operations on a local cluster through etcd's JSON gateway (no etcdctl needed): reading the
 * current revision and compacting history, so tests can make watches from older resourceVersions fail
 * with 410 Gone.
 */
import { ClusterError } from './errors.ts';
import { readState } from './state.ts';

async function call<T>(name: string, path: string, body: unknown): Promise<T> {
  const state = await readState(name);
  if (!state) throw new ClusterError(`cluster "${name}" is not running`, `start it: lwsctl cluster up --name ${name}`);
  const res = await fetch(`http://127.0.0.1:${state.ports.etcd}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok)
    throw new ClusterError(`etcd ${path} answered HTTP ${res.status}: ${text.slice(0, 200)}`, 'is etcd running?');
  return JSON.parse(text) as T;
}

/** The store's current revision (what a resourceVersion counts). */
export async function etcdRevision(name: string): Promise<number> {
  // A range over a key that never exists still carries the header revision.
  const answer = await call<{ header: { revision: string } }>(name, '/v3/kv/range', {
    key: Buffer.from('/lws-test/revision-probe').toString('base64'),
  });
  return Number(answer.header.revision);
}

/** Compacts etcd's history up to the current revision; returns that revision. */
export async function compactEtcd(name: string): Promise<number> {
  const revision = await etcdRevision(name);
  await call(name, '/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}
