/**
 * @module controllers/manager
 * Wires the shared caches, the two LWS controllers and the group-restart handler together.
 *
 * Caches and controllers have different lifetimes: the caches run for the whole process (every replica,
 * so a standby is warm and readiness can mean "synced"), while a *controller set* runs only for one
 * leadership term — `runControllerSet` registers the event handlers, reconciles until its signal aborts,
 * then removes them again. `runControllers` is both at once, for a process without leader election.
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../../k8s/client/client.ts';
import { InformerFactory } from '../../k8s/runtime/informer-factory.ts';
import { Controller, type Reconcile } from '../../k8s/runtime/controller.ts';
import { ApiEventRecorder, clientEventSink } from '../../k8s/runtime/events.ts';
import type { MetricsProvider } from '../../k8s/runtime/metrics.ts';
import { createCaches, type Caches } from './caches.ts';
import { LeaderWorkerSetReconciler, watchForLeaderWorkerSets } from './lws-reconciler.ts';
import { PodReconciler, watchForLeaderPods } from './pod-reconciler.ts';
import type { GangSchedulerProvider } from '../core/gang-scheduling.ts';
import { GroupRestarter, watchForGroupRestarts, type RecreationListener } from './group-restart.ts';

export interface ControllerCaches {
  factory: InformerFactory;
  caches: Caches;
}

/** The caches the controllers read; start them with `factory.start(signal)`. */
export function createControllerCaches(client: KubeClient, logger: Logger, namespace?: string): ControllerCaches {
  const factory = new InformerFactory(client, { logger });
  return { factory, caches: createCaches(factory, namespace) };
}

export interface RunControllerSetOptions {
  /** Every write of this set goes through it; bind it to the term (KubeClient.withSignal). */
  client: KubeClient;
  /** Synced caches. */
  caches: Caches;
  logger: Logger;
  signal: AbortSignal;
  /** Concurrent reconciles per controller (distinct keys). */
  workers?: number;
  metrics?: MetricsProvider;
  onRecreate?: RecreationListener;
  /** Gang scheduling: the pod controller creates each group's pod group. */
  gangScheduling?: GangSchedulerProvider;
}

/** Runs the three controllers over already synced caches until `signal` aborts. */
export async function runControllerSet(options: RunControllerSetOptions): Promise<void> {
  const { client, caches, logger, signal } = options;
  const recorder = new ApiEventRecorder({ sink: clientEventSink(client), logger });
  const controller = (name: string, reconcile: Reconcile<string>) =>
    new Controller<string>({
      name,
      reconcile,
      workers: options.workers,
      logger,
      metrics: options.metrics,
    });

  const lwsReconciler = new LeaderWorkerSetReconciler({ client, caches, recorder, logger });
  const lwsController = controller('leaderworkerset', (key) => lwsReconciler.reconcile(key));
  const podReconciler = new PodReconciler({ client, caches, recorder, logger, gangScheduling: options.gangScheduling });
  const podController = controller('pod', (key) => podReconciler.reconcile(key));
  const restarter = new GroupRestarter({ client, recorder, logger, onRecreate: options.onRecreate });
  const restartController = controller('group-restart', (key) => restarter.reconcile(key));

  const removers = [
    watchForLeaderWorkerSets(caches, (key) => lwsController.enqueue(key)),
    watchForLeaderPods(caches, (key) => podController.enqueue(key)),
    watchForGroupRestarts(caches, restarter, (key) => restartController.enqueue(key)),
  ];
  try {
    await Promise.all([lwsController.run(signal), podController.run(signal), restartController.run(signal)]);
  } finally {
    for (const remove of removers) remove();
    await recorder.flush?.();
  }
}

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
  gangScheduling?: GangSchedulerProvider;
}

/** Caches and controllers together, until the signal aborts (no leader election). */
export async function runControllers(options: RunControllersOptions): Promise<void> {
  const { client, logger, signal } = options;
  const { factory, caches } = createControllerCaches(client, logger, options.namespace);
  factory.start(signal);
  if (!(await factory.waitForSync(signal))) return;
  logger.info('Caches synced');
  options.onReady?.();
  await runControllerSet({
    client,
    caches,
    logger,
    signal,
    workers: options.workers,
    metrics: options.metrics,
    gangScheduling: options.gangScheduling,
  });
  await factory.stopped();
}
