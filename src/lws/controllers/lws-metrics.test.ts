import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { LeaderWorkerSet } from '../api/types.ts';
import { LwsMetrics } from './lws-metrics.ts';

const lws = (name: string, replicas: number, status: LeaderWorkerSet['status']) =>
  ({ metadata: { namespace: 'ns', name }, spec: { replicas }, status }) as unknown as LeaderWorkerSet;

test('groups by state, rollout progress and recreations, only while a source is set', async () => {
  const registry = new Registry();
  const metrics = new LwsMetrics(registry);
  assert.doesNotMatch(await registry.metrics(), /lws_groups\{/);
  metrics.setSource(() => [
    lws('steady', 3, { readyReplicas: 3, updatedReplicas: 3, replicas: 3 } as never),
    lws('rolling', 4, {
      readyReplicas: 2,
      updatedReplicas: 1,
      replicas: 4,
      conditions: [{ type: 'UpdateInProgress', status: 'True' }],
    } as never),
  ]);
  metrics.recreated({ namespace: 'ns', lwsName: 'steady', reason: 'PodDeleted' });
  const text = await registry.metrics();
  for (const line of [
    'lws_groups{namespace="ns",leaderworkerset="steady",state="ready"} 3',
    'lws_groups{namespace="ns",leaderworkerset="steady",state="updating"} 0',
    'lws_groups{namespace="ns",leaderworkerset="rolling",state="ready"} 2',
    'lws_groups{namespace="ns",leaderworkerset="rolling",state="progressing"} 2',
    'lws_groups{namespace="ns",leaderworkerset="rolling",state="updating"} 3',
    'lws_rollout_progress_ratio{namespace="ns",leaderworkerset="rolling"} 0.25',
    'lws_rollout_progress_ratio{namespace="ns",leaderworkerset="steady"} 1',
    'lws_group_recreations_total{namespace="ns",leaderworkerset="steady",reason="PodDeleted"} 1',
  ]) {
    assert.ok(text.includes(line), `missing ${line}`);
  }
  metrics.setSource(undefined);
  assert.doesNotMatch(await registry.metrics(), /lws_groups\{/);
});

test('a deleted LeaderWorkerSet takes its recreation and histogram series along', async () => {
  const registry = new Registry();
  const metrics = new LwsMetrics(registry);
  metrics.recreated({ namespace: 'ns', lwsName: 'doomed', reason: 'PodDeleted' });
  metrics.recreated({ namespace: 'ns', lwsName: 'doomed', reason: 'ContainerRestarted' });
  metrics.recreated({ namespace: 'ns', lwsName: 'kept', reason: 'PodDeleted' });
  assert.match(await registry.metrics(), /leaderworkerset="doomed"/);
  metrics.forget({ namespace: 'ns', leaderworkerset: 'doomed' });
  const text = await registry.metrics();
  assert.doesNotMatch(text, /leaderworkerset="doomed"/);
  assert.match(text, /lws_group_recreations_total\{namespace="ns",leaderworkerset="kept",reason="PodDeleted"\} 1/);
});
