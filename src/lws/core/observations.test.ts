import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { Pod } from '../../k8s/client/objects.ts';
import { WORKER_INDEX_LABEL } from '../api/keys.ts';
import { finishedRollout, readyGroup } from './observations.ts';

const NOW = new Date('2026-01-01T00:10:00Z');
const lws = (status?: 'True' | 'False', at = '2026-01-01T00:00:00Z'): LeaderWorkerSet =>
  ({
    metadata: { name: 'x' },
    spec: {},
    status: status ? { conditions: [{ type: 'UpdateInProgress', status, lastTransitionTime: at }] } : {},
  }) as unknown as LeaderWorkerSet;

test('finishedRollout', () => {
  const cases: Array<[string, LeaderWorkerSet | undefined, LeaderWorkerSet, { seconds: number } | undefined]> = [
    ['first sight', undefined, lws('True'), undefined],
    ['no rollout', lws('False'), lws('False'), undefined],
    ['still rolling', lws('True'), lws('True'), undefined],
    ['starts', lws('False'), lws('True'), undefined],
    ['ends: transition to False', lws('True'), lws('False', '2026-01-01T00:02:30Z'), { seconds: 150 }],
    ['ends: condition removed (now)', lws('True'), lws(), { seconds: 600 }],
    ['clock skew never negative', lws('True'), lws('False', '2025-12-31T23:59:00Z'), { seconds: 0 }],
    ['no start time', lws('True', ''), lws('False'), undefined],
  ];
  for (const [name, before, after, want] of cases) assert.deepEqual(finishedRollout(before, after, NOW), want, name);
});

const pod = (worker: number, opts: { ready?: boolean; readyAt?: string; deleting?: boolean } = {}): Pod => ({
  metadata: {
    name: `p-${worker}`,
    uid: `uid-${worker}`,
    creationTimestamp: '2026-01-01T00:00:00Z',
    labels: { [WORKER_INDEX_LABEL]: String(worker) },
    ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:05:00Z' } : {}),
  },
  status: {
    phase: 'Running',
    conditions: [
      {
        type: 'Ready',
        status: opts.ready === false ? 'False' : 'True',
        lastTransitionTime: opts.readyAt ?? '2026-01-01T00:00:10Z',
      },
    ],
  },
});

test('readyGroup', () => {
  const cases: Array<[string, Pod[], number, ReturnType<typeof readyGroup>]> = [
    [
      'all ready: last Ready transition',
      [pod(0), pod(1, { readyAt: '2026-01-01T00:00:42Z' })],
      2,
      { leaderUid: 'uid-0', seconds: 42 },
    ],
    ['a pod missing', [pod(0)], 2, undefined],
    ['a pod not ready', [pod(0), pod(1, { ready: false })], 2, undefined],
    ['a pod terminating', [pod(0), pod(1, { deleting: true })], 2, undefined],
    ['no leader', [pod(1), pod(2)], 2, undefined],
    ['size 1', [pod(0, { readyAt: '2026-01-01T00:00:03Z' })], 1, { leaderUid: 'uid-0', seconds: 3 }],
  ];
  for (const [name, pods, size, want] of cases) assert.deepEqual(readyGroup(pods, size), want, name);
});
