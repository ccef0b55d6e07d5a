/**
 * @module controllers/manager
 * Wires the shared caches, the two LWS controllers and the group-restart handler together, and runs
 * them until the signal aborts.
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../kube/client.ts';
import { InformerFactory } from '../runtime/informer-factory.ts';
import { Controller } from '../runtime/controller.ts';
import { ApiEventRecorder, clientEventSink } from '../runtime/events.ts';
import type { MetricsProvider } from '../runtime/metrics.ts';
import { createCaches } from './caches.ts';
import { LeaderWorkerSetReconciler, watchForLeaderWorkerSets } from './lws-reconciler.ts';
import { PodReconciler, watchForLeaderPods } from './pod-reconciler.ts';
import { GroupRestarter, watchForGroupRestarts } from './group-restart.ts';

export interface RunControllersOptions {
  client: KubeClient;
  logger: Logger;
  signal: AbortSignal;
  /** Concurrent reconciles per controller (distinct keys). */
  workers?: number;
  /** Restrict every watch to one namespace (default: all). */
  namespace?: string;
  metrics?: MetricsProvider;
  onReady?: () => void;
}

export async function runControllers(options: RunControllersOptions): Promise<void> {
  const { client, logger, signal } = options;
  const factory = new InformerFactory(client, { logger });
  const caches = createCaches(factory, options.namespace);
  const recorder = new ApiEventRecorder({ sink: clientEventSink(client), logger });

  const lwsReconciler = new LeaderWorkerSetReconciler({ client, caches, recorder, logger });
  const lwsController = new Controller<string>({
    name: 'leaderworkerset',
    reconcile: (key) => lwsReconciler.reconcile(key),
    workers: options.workers,
    logger,
    metrics: options.metrics,
  });
  const podReconciler = new PodReconciler({ client, caches, recorder, logger });
  const podController = new Controller<string>({
    name: 'pod',
    reconcile: (key) => podReconciler.reconcile(key),
    workers: options.workers,
    logger,
    metrics: options.metrics,
  });
  const restarter = new GroupRestarter({ client, recorder, logger });
  const restartController = new Controller<string>({
    name: 'group-restart',
    reconcile: (key) => restarter.reconcile(key),
    workers: options.workers,
    logger,
    metrics: options.metrics,
  });

  watchForLeaderWorkerSets(caches, (key) => lwsController.enqueue(key));
  watchForLeaderPods(caches, (key) => podController.enqueue(key));
  watchForGroupRestarts(caches, restarter, (key) => restartController.enqueue(key));

  factory.start(signal);
  if (!(await factory.waitForSync(signal))) return;
  logger.info('Caches synced');
  options.onReady?.();
  await Promise.all([lwsController.run(signal), podController.run(signal), restartController.run(signal)]);
  await recorder.flush?.();
  await factory.stopped();
}
