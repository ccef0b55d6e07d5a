/**
 * @module runtime/metrics
 * Metric hooks of the workqueue and the controller runner, as interfaces so the runtime does not
 * depend on a metrics library. ./prom-metrics.ts implements them with prom-client under
 * controller-runtime's metric names; `noopMetrics` is the default.
 */

export interface WorkqueueMetrics {
  /** An item was added (workqueue_adds_total). */
  added(): void;
  /** The number of items waiting to be processed (workqueue_depth). */
  depth(n: number): void;
  /** Seconds an item waited between add and get (workqueue_queue_duration_seconds). */
  queueDuration(seconds: number): void;
  /** Seconds between get and done (workqueue_work_duration_seconds). */
  workDuration(seconds: number): void;
  /** A rate-limited re-add (workqueue_retries_total). */
  retried(): void;
}

/** Read on demand by gauges that are cheaper to pull than to push. */
export interface WorkqueueProbe {
  /** Sum of the time every in-flight item has been processing. */
  unfinishedWorkSeconds(): number;
  /** Time the longest in-flight item has been processing. */
  longestRunningProcessorSeconds(): number;
}

export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

export interface ReconcileMetrics {
  /** controller_runtime_reconcile_total{result} and controller_runtime_reconcile_time_seconds. */
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
  /** controller_runtime_reconcile_errors_total (+ terminal_reconcile_errors_total when terminal). */
  failed(terminal: boolean): void;
  /** controller_runtime_active_workers. */
  activeWorkers(delta: number): void;
  /** controller_runtime_max_concurrent_reconciles. */
  maxConcurrentReconciles(n: number): void;
}

export interface MetricsProvider {
  workqueue(name: string, probe: WorkqueueProbe): WorkqueueMetrics;
  reconcile(controller: string): ReconcileMetrics;
}

const noop = () => {};

export const noopMetrics: MetricsProvider = {
  workqueue: () => ({ added: noop, depth: noop, queueDuration: noop, workDuration: noop, retried: noop }),
  reconcile: () => ({ reconciled: noop, failed: noop, activeWorkers: noop, maxConcurrentReconciles: noop }),
};
