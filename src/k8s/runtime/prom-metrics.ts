/**
 * @module runtime/prom-metrics
 * The runtime's metric hooks on prom-client, under controller-runtime's names, labels and buckets, so
 * dashboards and alerts written for Go controllers (and for upstream LWS) keep working.
 */
import { Counter, Gauge, Histogram, exponentialBuckets, register as defaultRegistry, type Registry } from 'prom-client';
import type { MetricsProvider, ReconcileMetrics, WorkqueueMetrics, WorkqueueProbe } from './metrics.ts';

// controller-runtime pkg/internal/controller/metrics: reconcile_time_seconds buckets.
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75,
  2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
// controller-runtime pkg/metrics/workqueue.go: ExponentialBuckets(10e-9, 10, 12).
const WORKQUEUE_BUCKETS = exponentialBuckets(10e-9, 10, 12);

export class PromMetrics implements MetricsProvider {
  readonly #probes = new Map<string, WorkqueueProbe>();
  readonly #depth: Gauge<'name' | 'controller'>;
  readonly #adds: Counter<'name' | 'controller'>;
  readonly #queueDuration: Histogram<'name' | 'controller'>;
  readonly #workDuration: Histogram<'name' | 'controller'>;
  readonly #retries: Counter<'name' | 'controller'>;
  readonly #reconcileTotal: Counter<'controller' | 'result'>;
  readonly #reconcileErrors: Counter<'controller'>;
  readonly #terminalErrors: Counter<'controller'>;
  readonly #reconcileTime: Histogram<'controller'>;
  readonly #activeWorkers: Gauge<'controller'>;
  readonly #maxConcurrent: Gauge<'controller'>;

  constructor(registry: Registry = defaultRegistry) {
    const registers = [registry];
    const queueLabels = ['name', 'controller'] as const;
    const probes = this.#probes;
    this.#depth = new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: queueLabels,
      registers,
    });
    this.#adds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames: queueLabels,
      registers,
    });
    this.#queueDuration = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames: queueLabels,
      buckets: WORKQUEUE_BUCKETS,
      registers,
    });
    this.#workDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames: queueLabels,
      buckets: WORKQUEUE_BUCKETS,
      registers,
    });
    this.#retries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: queueLabels,
      registers,
    });
    new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help:
        "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. " +
        'Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate ' +
        'at which this increases.',
      labelNames: queueLabels,
      registers,
      collect() {
        for (const [name, probe] of probes) this.set({ name, controller: name }, probe.unfinishedWorkSeconds());
      },
    });
    new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames: queueLabels,
      registers,
      collect() {
        for (const [name, probe] of probes)
          this.set({ name, controller: name }, probe.longestRunningProcessorSeconds());
      },
    });
    this.#reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.#reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.#terminalErrors = new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.#reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: RECONCILE_BUCKETS,
      registers,
    });
    this.#activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers,
    });
    this.#maxConcurrent = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers,
    });
  }

  workqueue(name: string, probe: WorkqueueProbe): WorkqueueMetrics {
    // controller-runtime labels workqueue metrics with the controller name as both name and controller.
    const labels = { name, controller: name };
    this.#probes.set(name, probe);
    // client-go creates every series of a queue with the queue, so they exist (at 0) before any retry.
    this.#adds.inc(labels, 0);
    this.#retries.inc(labels, 0);
    this.#depth.set(labels, 0);
    this.#queueDuration.zero(labels);
    this.#workDuration.zero(labels);
    return {
      added: () => this.#adds.inc(labels),
      depth: (n) => this.#depth.set(labels, n),
      queueDuration: (s) => this.#queueDuration.observe(labels, s),
      workDuration: (s) => this.#workDuration.observe(labels, s),
      retried: () => this.#retries.inc(labels),
    };
  }

  reconcile(controller: string): ReconcileMetrics {
    const labels = { controller };
    // Zero-initialise like controller-runtime so rate() works from the first scrape.
    for (const result of ['success', 'error', 'requeue', 'requeue_after']) {
      this.#reconcileTotal.inc({ controller, result }, 0);
    }
    this.#reconcileErrors.inc(labels, 0);
    this.#terminalErrors.inc(labels, 0);
    this.#activeWorkers.set(labels, 0);
    return {
      reconciled: (result, seconds) => {
        this.#reconcileTotal.inc({ controller, result });
        this.#reconcileTime.observe(labels, seconds);
      },
      failed: (terminal) => {
        this.#reconcileErrors.inc(labels);
        if (terminal) this.#terminalErrors.inc(labels);
      },
      activeWorkers: (delta) => this.#activeWorkers.inc(labels, delta),
      maxConcurrentReconciles: (n) => this.#maxConcurrent.set(labels, n),
    };
  }
}
