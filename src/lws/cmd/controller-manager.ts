/**
 * @module manager/controller-manager
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
import { controllerRuntimeKubeConfig } from '../../k8s/client/kubeconfig.ts';
import type { ControllerOptions } from '../config/options.ts';
import { LwsMetrics } from '../controllers/lws-metrics.ts';
import { createControllerCaches, runControllerSet } from '../controllers/manager.ts';
import { KubeClient } from '../../k8s/client/client.ts';
import { WEBHOOK_PATHS } from '../manifests/webhooks.ts';
import { leaderElectionMetrics, restClientMetrics } from '../../k8s/runtime/client-metrics.ts';
import { LeaderElector } from '../../k8s/runtime/leader-election.ts';
import { kubeLeaseLock } from '../../k8s/runtime/lease-lock.ts';
import { PromMetrics } from '../../k8s/runtime/prom-metrics.ts';
import { BUILD_DATE, GIT_COMMIT, GIT_VERSION } from '../../version.ts';
import { createRegistry, startHealthServer, startMetricsServer } from '../../k8s/manager/observability.ts';
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

  // A fatal error anywhere (a port in use, the leader's work failing) stops everything.
  const failure = new AbortController();
  let fatal: Error | undefined;
  const onFatal = (e: Error) => {
    fatal ??= e;
    failure.abort(e);
  };
  const stop = AbortSignal.any([signal, failure.signal]);

  const registry = createRegistry();
  const kubeConfig = controllerRuntimeKubeConfig(options.kubeconfig);
  const client = await KubeClient.fromKubeConfig(kubeConfig, {
    ...options.client,
    onResponse: restClientMetrics(registry),
  });
  const runtimeMetrics = new PromMetrics(registry);
  const lwsMetrics = new LwsMetrics(registry);
  const { factory, caches } = createControllerCaches(client, log);
  const webhooks = options.webhooks.enabled
    ? new WebhookServing(options.webhooks, log, webhookMetrics(registry, Object.values(WEBHOOK_PATHS)), onFatal)
    : undefined;

  const readiness = {
    'informer-sync': () => {
      if (!factory.hasSynced()) throw new Error('caches not synced');
    },
    ...(webhooks ? { 'webhook-certs': webhooks.check } : {}),
  };
  const health = await startHealthServer(options.health, readiness, log);
  const background: Promise<unknown>[] = [];
  const metricsServer = await startMetricsServer(options.metrics, registry, client, log, {
    signal: stop,
    background,
  }).catch(async (e) => {
    await health?.close();
    throw e;
  });

  try {
    factory.start(stop);
    const certsReady = startCertificates(options, client, log, webhooks, stop, background);
    setupLog.info('Starting manager');
    setupLog.info('Waiting for the cert generation to complete');
    if (!(await certsReady)) return;
    setupLog.info('Certs ready');
    if (!(await factory.waitForSync(stop))) return;
    log.info('Caches synced');

    const lead = async (term: AbortSignal) => {
      lwsMetrics.setSource(() => caches.leaderWorkerSets.list());
      try {
        await runControllerSet({
          client: client.withSignal(term),
          caches,
          logger: log,
          signal: term,
          workers: options.workers,
          metrics: runtimeMetrics,
          onRecreate: lwsMetrics.recreated,
        });
      } finally {
        lwsMetrics.setSource(undefined);
      }
    };
    const le = options.leaderElection;
    if (!le.enabled) {
      await lead(stop);
    } else {
      const elector = new LeaderElector({
        lock: kubeLeaseLock(client, le.namespace, le.name, log),
        leaseDurationMs: le.leaseDurationMs,
        renewDeadlineMs: le.renewDeadlineMs,
        retryPeriodMs: le.retryPeriodMs,
        logger: log,
        onLeadingChange: leaderElectionMetrics(registry, le.name),
      });
      await elector.run(stop, lead).catch((e: Error) => onFatal(e));
    }
  } finally {
    failure.abort(new Error('stopping')); // ends background work when the main path returns early
    await Promise.allSettled(background);
    await webhooks?.close();
    await metricsServer?.close();
    await health?.close();
    await factory.stopped();
    client.close();
  }
  if (fatal) throw fatal;
}

/** Starts the certificate source; resolves true once controllers may start (upstream's certsReady). */
function startCertificates(
  options: ControllerOptions,
  client: KubeClient,
  log: Logger,
  webhooks: WebhookServing | undefined,
  signal: AbortSignal,
  background: Promise<unknown>[],
): Promise<boolean> {
  const serve = webhooks ? (pair: { certPem: string; keyPem: string }) => webhooks.setCertificate(pair) : () => {};
  const certs = options.certificates;
  if (certs.mode === 'internal') {
    const rotator = new CertRotator({
      client,
      namespace: options.namespace,
      secretName: certs.secretName,
      dnsName: certs.dnsName,
      extraSans: certs.extraSans,
      serverValidityMs: certs.serverValidityMs,
      onCertificate: serve,
      logger: log,
    });
    background.push(rotator.run(signal));
    return rotator.whenReady(signal);
  }
  if (webhooks) {
    const watcher = new CertDirWatcher({ dir: certs.certDir, onCertificate: serve, logger: log });
    background.push(watcher.run(signal));
  }
  // Upstream starts the controllers at once when certificates are managed elsewhere.
  return Promise.resolve(!signal.aborted);
}
