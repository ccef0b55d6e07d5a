/**
 * @module operator/cmd/operator-manager
 * `lwsctl operator` at run time: install the operator's own CRD when it is missing (as OLM would), start the
 * caches, the probe and metrics servers, and — while holding the Lease `openshift-lws-operator-lock` — run the
 * one-worker controller whose only key is the singleton `cluster`.
 */
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { applyObject, waitForCRD } from '../../k8s/client/apply.ts';
import { KubeClient } from '../../k8s/client/client.ts';
import { orUndefinedIfNotFound } from '../../k8s/client/errors.ts';
import type { KubeObject } from '../../k8s/client/objects.ts';
import { CRDS } from '../../k8s/client/resources.ts';
import { createRegistry } from '../../k8s/manager/observability.ts';
import { Manager } from '../../k8s/manager/manager.ts';
import { restClientMetrics } from '../../k8s/runtime/client-metrics.ts';
import { Controller, type Reconcile } from '../../k8s/runtime/controller.ts';
import { ApiEventRecorder, clientEventSink } from '../../k8s/runtime/events.ts';
import { InformerFactory } from '../../k8s/runtime/informer-factory.ts';
import { PromMetrics } from '../../k8s/runtime/prom-metrics.ts';
import { GIT_COMMIT, GIT_VERSION } from '../../version.ts';
import {
  OPERATOR_CRD_NAME,
  OPERATOR_INSTANCE_NAME,
  OPERATOR_LEASE_NAME,
  OPERATOR_NAME,
  type LogLevel,
} from '../api/types.ts';
import { loadOperatorCRD } from '../api/crd.ts';
import { OPERATOR_FIELD_MANAGER } from '../controllers/operand-sync.ts';
import type { OperatorOptions } from './options.ts';
import { createOperatorCaches, OperatorReconciler, watchAll, type OperatorCaches } from '../controllers/reconciler.ts';

/** operatorLogLevel → our log level (library-go: Normal 2, Debug 4, Trace 6, TraceAll 8). */
export const OPERATOR_LOG_LEVELS: Readonly<Record<LogLevel, string>> = {
  '': 'info',
  Normal: 'info',
  Debug: 'debug',
  Trace: 'trace',
  TraceAll: 'trace',
};

/** Creates the LeaderWorkerSetOperator CRD when it does not exist; never rewrites one someone else installed. */
export async function ensureOperatorCRD(client: KubeClient, log: Logger): Promise<void> {
  if (await orUndefinedIfNotFound(client.get(CRDS, { name: OPERATOR_CRD_NAME }))) return;
  log.info({ crd: OPERATOR_CRD_NAME }, 'installing the operator CRD');
  await applyObject(client, loadOperatorCRD() as unknown as KubeObject, OPERATOR_FIELD_MANAGER);
  await waitForCRD(client, OPERATOR_CRD_NAME);
}

export async function runOperator(options: OperatorOptions, log: Logger, signal: AbortSignal): Promise<void> {
  const setupLog = log.child({ logger: 'setup' });
  setupLog.info(
    {
      version: GIT_VERSION,
      gitCommit: GIT_COMMIT,
      namespace: options.namespace,
      operandImage: options.operandImage ?? '(unset)',
      certificates: options.certificates,
    },
    'Starting the Leader Worker Set Operator',
  );
  const registry = createRegistry();
  new Gauge({
    name: 'openshift_lws_operator_build_info',
    help: 'Build information of the Leader Worker Set Operator.',
    labelNames: ['major', 'minor', 'gitCommit', 'gitVersion'],
    registers: [registry],
  })
    .labels(...buildInfoLabels())
    .set(1);
  const client = await KubeClient.fromKubeConfig(options.kubeConfig, {
    userAgent: `lws-operator/${GIT_VERSION}`,
    onResponse: restClientMetrics(registry),
  });
  const factory = new InformerFactory(client, { logger: log });
  try {
    await ensureOperatorCRD(client, setupLog);
  } catch (e) {
    client.close();
    throw e;
  }
  const caches = createOperatorCaches(factory, options.namespace);
  const manager = new Manager({
    client,
    factory,
    registry,
    log,
    health: options.health,
    metrics: options.metrics,
    leaderElection: options.leaderElection
      ? {
          namespace: options.namespace,
          name: OPERATOR_LEASE_NAME,
          leaseDurationMs: 15_000,
          renewDeadlineMs: 10_000,
          retryPeriodMs: 2_000,
        }
      : undefined,
  });
  const recorder = new ApiEventRecorder({
    sink: clientEventSink(client),
    reportingController: OPERATOR_NAME,
    logger: log,
  });
  manager.addCloser(async () => {
    await recorder.flush?.();
  });
  const metrics = new PromMetrics(registry);
  manager.addLeaderRunnable(async (term) => {
    const reconcileLog = log.child({ controller: 'leaderworkersetoperator' });
    const reconciler = new OperatorReconciler({
      client: client.withSignal(term),
      caches,
      log: reconcileLog,
      namespace: options.namespace,
      operandImage: options.operandImage,
      certificates: options.certificates,
      ...(options.operandCommand ? { operandCommand: options.operandCommand } : {}),
      resyncPeriodMs: options.resyncPeriodMs,
      recorder,
      onOperatorLogLevel: (level) => {
        const want = OPERATOR_LOG_LEVELS[level] ?? 'info';
        if (log.level !== want && !options.fixedLogLevel) {
          log.level = want;
          reconcileLog.level = want;
        }
      },
    });
    await runOperatorTerm(caches, (s) => reconciler.reconcile(s), { logger: log, metrics }, term);
  });
  await manager.run(signal);
}

/**
 * One leadership term of the operator's controller: one worker, one key (the singleton), enqueued by every event
 * of every cache. The event handlers belong to the term and are removed when it ends, so a replica that loses
 * and regains the Lease reconciles once per event, not once per term it has led.
 */
export async function runOperatorTerm(
  caches: OperatorCaches,
  reconcile: (signal: AbortSignal) => ReturnType<Reconcile<string>>,
  options: { logger: Logger; metrics?: PromMetrics },
  term: AbortSignal,
): Promise<void> {
  const controller = new Controller<string>({
    name: 'leaderworkersetoperator',
    reconcile: (_key, s) => reconcile(s),
    workers: 1,
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    keyFields: (key) => ({ name: key }),
  });
  const unsubscribe = watchAll(caches, () => controller.enqueue(OPERATOR_INSTANCE_NAME));
  try {
    controller.enqueue(OPERATOR_INSTANCE_NAME);
    await controller.run(term);
  } finally {
    unsubscribe();
  }
}

function buildInfoLabels(): [string, string, string, string] {
  const m = /^v?(\d+)\.(\d+)/.exec(GIT_VERSION);
  return [m?.[1] ?? '', m?.[2] ?? '', GIT_COMMIT, GIT_VERSION];
}
