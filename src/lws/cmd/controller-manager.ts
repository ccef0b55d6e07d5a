/**
 * @module lws/cmd/controller-manager
 * `lwsctl controller` at run time, in upstream's order:
 *
 * 1. probe and metrics servers start, and the caches start on every replica (a standby is warm);
 * 2. certificates: internal management (rotator + Secret + caBundle injection) or the cert directory;
 *    the webhook server starts with the first certificate and serves on every replica;
 * 3. once certificates are ready and the caches synced, the controllers run — only while this replica
 *    holds the leader Lease (or always, with leader election off). Each term gets a client view bound
 *    to the term, so losing the Lease stops every in-flight request at once;
 * 4. on SIGTERM: the term ends, the Lease is released, servers close.
 *
 * Readiness (/readyz) needs the caches synced and, with webhooks on, a valid certificate being served.
 */
import type { Logger } from 'pino';
import { webhookMetrics } from '../../k8s/admission/webhook-metrics.ts';
import { CertDirWatcher } from '../../k8s/certs/cert-dir-watcher.ts';
import { CertRotator } from '../../k8s/certs/cert-rotator.ts';
import { loadKubeConfigLean } from '../../k8s/client/kubeconfig-lean.ts';
import type { ControllerOptions } from '../config/options.ts';
import { LwsMetrics } from '../controllers/lws-metrics.ts';
import { createControllerCaches, runControllerSet } from '../controllers/manager.ts';
import {
  createDsCaches,
  disaggregatedSetAPIServed,
  runDisaggregatedSetController,
} from '../../disaggregatedset/controllers/manager.ts';
import type { DsCaches } from '../../disaggregatedset/controllers/caches.ts';
import { checkGangSchedulingAvailable } from '../controllers/gang-scheduling.ts';
import { KubeClient } from '../../k8s/client/client.ts';
import { untilReachable } from '../../k8s/client/until-reachable.ts';
import { LWS_WEBHOOK_CONFIGURATIONS, WEBHOOK_PATHS } from '../manifests/webhooks.ts';
import { restClientMetrics } from '../../k8s/runtime/client-metrics.ts';
import { PromMetrics } from '../../k8s/runtime/prom-metrics.ts';
import { BUILD_DATE, GIT_COMMIT, GIT_VERSION } from '../../version.ts';
import { createRegistry } from '../../k8s/manager/observability.ts';
import { Manager } from '../../k8s/manager/manager.ts';
import { WebhookServing } from './webhook-serving.ts';

export async function runControllerManager(
  options: ControllerOptions,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const setupLog = log.child({ logger: 'setup' });
  setupLog.info(
    { gitVersion: GIT_VERSION, buildDate: BUILD_DATE, gitCommit: GIT_COMMIT, userAgent: options.client.userAgent },
    'Initializing',
  );
  setupLog.info({ config: options.effective }, 'Successfully loaded configuration');

  const registry = createRegistry();
  const client = await KubeClient.fromKubeConfig(await loadKubeConfigLean(options.kubeconfig), {
    ...options.client,
    onResponse: restClientMetrics(registry),
  });
  const runtimeMetrics = new PromMetrics(registry);
  const lwsMetrics = new LwsMetrics(registry);
  const { factory, caches } = createControllerCaches(client, log);
  const le = options.leaderElection;
  const manager = new Manager({
    client,
    factory,
    registry,
    log,
    health: options.health,
    metrics: options.metrics,
    leaderElection: le.enabled ? le : undefined,
  });
  // Start-up questions, asked once the probes are served (a controller started before its apiserver waits, as
  // the caches would, instead of exiting).
  let dsCaches: DsCaches | undefined;
  manager.addPreStart(async (signal) => {
    const ask = <T>(what: string, question: () => Promise<T>) =>
      untilReachable(question, signal, (err, delayMs) =>
        setupLog.info({ err: err.message, delayMs }, `waiting for the apiserver: ${what}`),
      );
    if (options.gangScheduling) {
      // Before the controllers run: a provider whose API is missing must stop start-up with the reason.
      const provider = options.gangScheduling.provider;
      await ask('gang scheduling API', () => checkGangSchedulingAvailable(client, provider));
      setupLog.info({ provider }, 'Gang scheduling enabled');
    }
    // Upstream registers the DisaggregatedSet controller in the same manager; it needs its CRDs installed.
    if (await ask('DisaggregatedSet API', () => disaggregatedSetAPIServed(client))) dsCaches = createDsCaches(factory);
    else setupLog.info('DisaggregatedSet CRDs are not installed: the DisaggregatedSet controller is off');
  });
  const webhooks = options.webhooks.enabled
    ? new WebhookServing(options.webhooks, log, webhookMetrics(registry, Object.values(WEBHOOK_PATHS)), manager.fail)
    : undefined;
  if (webhooks) {
    manager.addReadinessCheck('webhook-certs', webhooks.check);
    manager.addCloser(() => webhooks.close());
  }
  let certsReady: Promise<boolean> | undefined;
  manager.add((signal) => {
    const started = startCertificates(options, client, log, webhooks, signal, (pem) =>
      lwsMetrics.servingCertificate(pem),
    );
    certsReady = started.ready;
    return started.done;
  });
  manager.addStartGate(async () => {
    setupLog.info('Starting manager');
    setupLog.info('Waiting for the cert generation to complete');
    if (!(await certsReady!)) return false;
    setupLog.info('Certs ready');
    return true;
  });
  manager.addLeaderRunnable(async (term) => {
    lwsMetrics.setSource(() => caches.leaderWorkerSets.list());
    const stopObserving = lwsMetrics.observe(caches);
    try {
      await Promise.all([
        dsCaches &&
          runDisaggregatedSetController({
            client: client.withSignal(term),
            caches: dsCaches,
            logger: log,
            signal: term,
            workers: options.workers,
            metrics: runtimeMetrics,
          }),
        runControllerSet({
          client: client.withSignal(term),
          caches,
          logger: log,
          signal: term,
          workers: options.workers,
          metrics: runtimeMetrics,
          onRecreate: lwsMetrics.recreated,
          gangScheduling: options.gangScheduling?.provider,
        }),
      ]);
    } finally {
      stopObserving();
      lwsMetrics.setSource(undefined);
    }
  });
  await manager.run(signal);
}

/**
 * Starts the certificate source: `ready` resolves true once controllers may start (upstream's certsReady), `done`
 * when the source stops.
 */
function startCertificates(
  options: ControllerOptions,
  client: KubeClient,
  log: Logger,
  webhooks: WebhookServing | undefined,
  signal: AbortSignal,
  onServing: (certPem: string) => void,
): { ready: Promise<boolean>; done: Promise<unknown> } {
  const serve = webhooks
    ? (pair: { certPem: string; keyPem: string }) => {
        webhooks.setCertificate(pair);
        onServing(pair.certPem);
      }
    : () => {};
  const certs = options.certificates;
  if (certs.mode === 'internal') {
    const rotator = new CertRotator({
      targets: LWS_WEBHOOK_CONFIGURATIONS,
      client,
      namespace: options.namespace,
      secretName: certs.secretName,
      dnsName: certs.dnsName,
      extraSans: certs.extraSans,
      serverValidityMs: certs.serverValidityMs,
      onCertificate: serve,
      logger: log,
    });
    return { done: rotator.run(signal), ready: rotator.whenReady(signal) };
  }
  const done = webhooks
    ? new CertDirWatcher({ dir: certs.certDir, onCertificate: serve, logger: log }).run(signal)
    : Promise.resolve();
  // Upstream starts the controllers at once when certificates are managed elsewhere.
  return { done, ready: Promise.resolve(!signal.aborted) };
}
