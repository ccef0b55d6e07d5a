import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { PromMetrics } from './prom-metrics.ts';
import { WorkQueue } from './workqueue.ts';

test('exposes controller-runtime metric names and labels', async () => {
  const registry = new Registry();
  const metrics = new PromMetrics(registry);
  const q = new WorkQueue<string>({ name: 'leaderworkerset', metrics });
  q.add('a');
  await q.get();
  q.done('a');
  q.addRateLimited('a');
  q.shutDown();
  const r = metrics.reconcile('leaderworkerset');
  r.reconciled('success', 0.01);
  r.failed(true);
  r.maxConcurrentReconciles(2);
  const text = await registry.metrics();
  for (const line of [
    'workqueue_adds_total{name="leaderworkerset",controller="leaderworkerset"} 1',
    'workqueue_depth{name="leaderworkerset",controller="leaderworkerset"} 0',
    'workqueue_retries_total{name="leaderworkerset",controller="leaderworkerset"} 1',
    'workqueue_queue_duration_seconds_count{name="leaderworkerset",controller="leaderworkerset"} 1',
    'workqueue_work_duration_seconds_count{name="leaderworkerset",controller="leaderworkerset"} 1',
    'workqueue_unfinished_work_seconds{name="leaderworkerset",controller="leaderworkerset"} 0',
    'workqueue_longest_running_processor_seconds{name="leaderworkerset",controller="leaderworkerset"} 0',
    'controller_runtime_reconcile_total{controller="leaderworkerset",result="success"} 1',
    'controller_runtime_reconcile_total{controller="leaderworkerset",result="error"} 0',
    'controller_runtime_reconcile_errors_total{controller="leaderworkerset"} 1',
    'controller_runtime_terminal_reconcile_errors_total{controller="leaderworkerset"} 1',
    'controller_runtime_reconcile_time_seconds_count{controller="leaderworkerset"} 1',
    'controller_runtime_max_concurrent_reconciles{controller="leaderworkerset"} 2',
    'controller_runtime_active_workers{controller="leaderworkerset"} 0',
  ]) {
    assert.ok(text.includes(line), `missing: ${line}`);
  }
});
