/**
 * @module disaggregatedset/controllers/manager
 * Runs the DisaggregatedSet controller for one leadership term, next to the LeaderWorkerSet controllers and in
 * the same process, as upstream registers it in the same manager. Watches as upstream's SetupWithManager:
 * DisaggregatedSets themselves, and the LeaderWorkerSets and RoleScalers they control (Services are read, not
 * watched).
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../../k8s/client/client.ts';
import type { KubeObject } from '../../k8s/client/objects.ts';
import { Controller } from '../../k8s/runtime/controller.ts';
import { ApiEventRecorder, clientEventSink } from '../../k8s/runtime/events.ts';
import type { MetricsProvider } from '../../k8s/runtime/metrics.ts';
import { InformerFactory } from '../../k8s/runtime/informer-factory.ts';
import { isNotFound } from '../../k8s/client/errors.ts';
import { ControllerName, DisaggregatedSetKind, EventRecorderName, Group } from '../api/keys.ts';
import { createDsCaches, type DsCaches } from './caches.ts';
import { DISAGGREGATEDSETS, ROLE_SCALERS } from '../api/resources.ts';
import { DisaggregatedSetReconciler } from './ds-reconciler.ts';

export { createDsCaches, type DsCaches };

/** The DisaggregatedSet that controls `o` (controller owner reference of kind DisaggregatedSet), if any. */
export function controllingSet(o: KubeObject): string | undefined {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
  if (ref?.kind !== DisaggregatedSetKind || ref.apiVersion.split('/')[0] !== Group) return undefined;
  return `${o.metadata.namespace}/${ref.name}`;
}

/** Registers the watches; returns a function removing them. */
export function watchForDisaggregatedSets(caches: DsCaches, enqueue: (key: string) => void): () => void {
  const bySelf = (o: KubeObject) => enqueue(`${o.metadata.namespace}/${o.metadata.name}`);
  const byOwner = (o: KubeObject) => {
    const key = controllingSet(o);
    if (key) enqueue(key);
  };
  const removers = [caches.sets.addEventHandler({ onAdd: bySelf, onUpdate: (_o, n) => bySelf(n), onDelete: bySelf })];
  for (const informer of [caches.leaderWorkerSets, caches.scalers] as const) {
    removers.push(
      (informer as typeof caches.scalers).addEventHandler({
        onAdd: byOwner,
        onUpdate: (o, n) => (byOwner(o), byOwner(n)),
        onDelete: byOwner,
      }),
    );
  }
  return () => removers.forEach((remove) => remove());
}

export interface RunDisaggregatedSetControllerOptions {
  client: KubeClient;
  caches: DsCaches;
  logger: Logger;
  signal: AbortSignal;
  workers?: number;
  metrics?: MetricsProvider;
}

/** Runs the DisaggregatedSet controller over synced caches until `signal` aborts. */
export async function runDisaggregatedSetController(options: RunDisaggregatedSetControllerOptions): Promise<void> {
  const { client, caches, logger, signal } = options;
  const recorder = new ApiEventRecorder({
    sink: clientEventSink(client),
    logger,
    reportingController: EventRecorderName,
  });
  const reconciler = new DisaggregatedSetReconciler({ client, caches, recorder, logger });
  const controller = new Controller<string>({
    name: ControllerName,
    reconcile: (key) => reconciler.reconcile(key),
    workers: options.workers,
    logger,
    metrics: options.metrics,
  });
  const remove = watchForDisaggregatedSets(caches, (key) => controller.enqueue(key));
  try {
    await controller.run(signal);
  } finally {
    remove();
    await recorder.flush?.();
  }
}

/**
 * Whether the apiserver serves both DisaggregatedSet resources. Upstream's manager fails to start without its
 * CRDs; we run the LeaderWorkerSet controllers anyway and leave this controller off (logged), so an install that
 * only has the LeaderWorkerSet CRD keeps working.
 */
export async function disaggregatedSetAPIServed(client: KubeClient): Promise<boolean> {
  try {
    const list = await client.request<{ resources?: Array<{ name: string }> }>('GET', `/apis/${Group}/v1`);
    const names = new Set((list.resources ?? []).map((r) => r.name));
    return names.has(DISAGGREGATEDSETS.resource) && names.has(ROLE_SCALERS.resource);
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

export interface RunDisaggregatedSetControllersOptions {
  client: KubeClient;
  logger: Logger;
  signal: AbortSignal;
  workers?: number;
  namespace?: string;
  metrics?: MetricsProvider;
}

/** Own caches and the controller together, until the signal aborts (no leader election; `lwsctl run`). */
export async function runDisaggregatedSetControllers(options: RunDisaggregatedSetControllersOptions): Promise<void> {
  const { client, logger, signal } = options;
  const factory = new InformerFactory(client, { logger });
  const caches = createDsCaches(factory, options.namespace);
  factory.start(signal);
  if (!(await factory.waitForSync(signal))) return;
  logger.info({ controller: ControllerName }, 'DisaggregatedSet caches synced');
  await runDisaggregatedSetController({ ...options, caches });
  await factory.stopped();
}
