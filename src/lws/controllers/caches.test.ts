// The cache indexes the reconcilers read on every pass: leader pods of a set, and the revisions a set may own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, KubeObject, Pod } from '../../k8s/client/objects.ts';
import { GROUP, SET_NAME_LABEL, WORKER_INDEX_LABEL } from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import { leaderSetKey, ownedRevisions, slimForeignRevision, type Caches } from './caches.ts';

const labels = (worker?: string) => ({
  [SET_NAME_LABEL]: 'llm',
  ...(worker === undefined ? {} : { [WORKER_INDEX_LABEL]: worker }),
});
const pod = (name: string, worker?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'ns', name, labels: labels(worker) },
});

test('leaderSetKey: only worker index 0 is indexed, under "<namespace>/<set>"', () => {
  const cases: Array<[string, Pod, string[]]> = [
    ['leader', pod('llm-0', '0'), ['ns/llm']],
    ['worker', pod('llm-0-1', '1'), []],
    ['no worker index', pod('llm-x'), []],
    ['index "00" is not the leader label', pod('llm-0', '00'), []],
    ['no set label', { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', name: 'p', labels: {} } }, []],
  ];
  for (const [name, p, want] of cases) assert.deepEqual(leaderSetKey(p), want, name);
});

const owner = (kind: string, apiVersion: string, uid: string, controller = true) => ({
  apiVersion,
  kind,
  name: 'llm',
  uid,
  controller,
});
const revision = (name: string, owners?: ReturnType<typeof owner>[]): ControllerRevision =>
  ({
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { namespace: 'ns', name, labels: labels(), ...(owners ? { ownerReferences: owners } : {}) },
    revision: 1,
    data: { spec: {} },
  }) as ControllerRevision;

test('slimForeignRevision: a revision another controller owns is kept without its data', () => {
  const lwsOwned = revision('llm-abc-1', [owner('LeaderWorkerSet', `${GROUP}/v1`, 'u1')]);
  const orphan = revision('llm-abc-2');
  const stsOwned = revision('llm-0-5d8f', [owner('StatefulSet', 'apps/v1', 'u2')]);
  const stsNotController = revision('llm-abc-3', [owner('StatefulSet', 'apps/v1', 'u2', false)]);
  const otherGroupLws = revision('llm-abc-4', [owner('LeaderWorkerSet', 'example.com/v1', 'u3')]);
  assert.equal(slimForeignRevision(lwsOwned), lwsOwned);
  assert.equal(slimForeignRevision(orphan), orphan, 'orphans may be adopted (upstream ListRevisions takes them)');
  assert.equal(slimForeignRevision(stsNotController), stsNotController, 'only the controller reference counts');
  assert.equal(slimForeignRevision(otherGroupLws).data, undefined, 'a LeaderWorkerSet of another API group');
  const slim = slimForeignRevision(stsOwned);
  assert.equal(slim.data, undefined);
  assert.deepEqual(slim.metadata, stsOwned.metadata);
});

test('ownedRevisions: controlled by this set (by UID) or by nothing', () => {
  const mine = revision('llm-abc-1', [owner('LeaderWorkerSet', `${GROUP}/v1`, 'u1')]);
  const previousSet = revision('llm-abc-2', [owner('LeaderWorkerSet', `${GROUP}/v1`, 'old')]);
  const orphan = revision('llm-abc-3');
  const caches = {
    revisions: { byIndex: (_index: string, value: string) => (value === 'ns/llm' ? [mine, previousSet, orphan] : []) },
  } as unknown as Pick<Caches, 'revisions'>;
  const lws = { metadata: { namespace: 'ns', name: 'llm', uid: 'u1' } } as LeaderWorkerSet & KubeObject;
  assert.deepEqual(
    ownedRevisions(caches, lws).map((r) => r.metadata.name),
    ['llm-abc-1', 'llm-abc-3'],
  );
});
