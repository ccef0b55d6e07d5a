/**
 * @module cli/run-command
 * `lwsctl run`: the LWS controller and webhooks as a local foreground process against any cluster.
 * Installs (or updates) the CRD and the webhook configurations pointing at this process, with the CA of a
 * certificate it generates, then reconciles until SIGINT/SIGTERM. Running it again is idempotent.
 */
import { parseArgs } from 'node:util';
import { loadLeaderWorkerSetCRD, CRD_NAME } from '../lws/api/crd.ts';
import { applyObject, waitForCRD } from '../k8s/client/apply.ts';
import { mutatingWebhookConfiguration, validatingWebhookConfiguration } from '../lws/manifests/webhooks.ts';
import { createCA, issueCertificate } from '../k8s/pki/pki.ts';
import { WebhookServer } from '../k8s/admission/server.ts';
import { lwsWebhookHandlersFor } from '../lws/webhooks/handlers.ts';
import { disaggregatedSetWebhookHandlers } from '../disaggregatedset/webhooks/handlers.ts';
import { GANG_SCHEDULER_PROVIDERS, type GangSchedulerProvider } from '../lws/core/gang-scheduling.ts';
import { checkGangSchedulingAvailable } from '../lws/controllers/gang-scheduling.ts';
import { createLogger, isLogLevel } from '../k8s/runtime/log.ts';
import { runControllers } from '../lws/controllers/manager.ts';
import { loadDisaggregatedSetCRDs } from '../disaggregatedset/api/crd.ts';
import { runDisaggregatedSetControllers } from '../disaggregatedset/controllers/manager.ts';
import { clientFor } from '../k8s/client/kubeconfig.ts';
import { UsageError } from '../k8s/go/errors.ts';

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      kubeconfig: { type: 'string' },
      'webhook-host': { type: 'string', default: '127.0.0.1' },
      'webhook-port': { type: 'string', default: '9443' },
      'log-level': { type: 'string', default: 'info' },
      workers: { type: 'string', default: '4' },
      // gangSchedulingManagement.schedulerProvider of lwsctl controller's Configuration.
      'scheduler-provider': { type: 'string' },
    },
  });
  const provider = values['scheduler-provider'];
  if (provider !== undefined && !(GANG_SCHEDULER_PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(
      `--scheduler-provider: Unsupported value: "${provider}": supported values: ${GANG_SCHEDULER_PROVIDERS.map((p) => `"${p}"`).join(', ')}`,
    );
  }
  const gangScheduling = provider as GangSchedulerProvider | undefined;
  const level = values['log-level']!;
  if (!isLogLevel(level))
    throw new UsageError(`--log-level: unknown level "${level}" (fatal, error, warn, info, debug, trace)`);
  const port = Number(values['webhook-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--webhook-port must be a TCP port (0 picks a free one), got "${values['webhook-port']}"`);
  }
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers must be a positive integer`);
  const host = values['webhook-host']!;
  const log = createLogger({ level, name: 'lwsctl-run' });
  const client = await clientFor(values.kubeconfig);

  if (gangScheduling) {
    await checkGangSchedulingAvailable(client, gangScheduling);
    log.info({ provider: gangScheduling }, 'Gang scheduling enabled');
  }
  log.info({ crd: CRD_NAME }, 'Installing the LeaderWorkerSet CRD');
  await applyObject(client, loadLeaderWorkerSetCRD());
  await waitForCRD(client, CRD_NAME);
  for (const crd of loadDisaggregatedSetCRDs()) {
    log.info({ crd: crd.metadata.name }, 'Installing the DisaggregatedSet CRDs');
    await applyObject(client, crd);
    await waitForCRD(client, crd.metadata.name);
  }

  const ca = await createCA('lws-local-webhook-ca');
  const certificate = await issueCertificate(ca, { commonName: host, hosts: [host, 'localhost'], usage: 'server' });
  const server = new WebhookServer({
    host,
    port,
    certificate,
    handlers: { ...lwsWebhookHandlersFor({ gangScheduling }), ...disaggregatedSetWebhookHandlers },
    onRequest: (e) =>
      e.error
        ? log.error({ path: e.path, err: e.error }, 'Webhook handler failed')
        : log.debug(
            { path: e.path, code: e.code, allowed: e.allowed, ms: Math.round(e.durationMs) },
            'Webhook request',
          ),
  });
  let boundPort: number;
  try {
    boundPort = await server.listen();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(
        `--webhook-port ${port}: ${host}:${port} is already in use (another lwsctl run?); use --webhook-port 0 for a free port`,
      );
    }
    throw e;
  }
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  log.info({ url }, 'Serving webhooks');
  for (const config of [
    mutatingWebhookConfiguration({ target: { url }, caBundlePem: ca.certPem }),
    validatingWebhookConfiguration({ target: { url }, caBundlePem: ca.certPem }),
  ]) {
    await applyObject(client, config);
  }
  log.info('Registered the webhook configurations');

  const abort = new AbortController();
  const stop = (signal: string) => {
    if (abort.signal.aborted) return;
    log.info({ signal }, 'Shutting down');
    abort.abort();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  try {
    await Promise.all([
      // Upstream registers the DisaggregatedSet controller in the same manager.
      runDisaggregatedSetControllers({ client, logger: log, workers, signal: abort.signal }),
      runControllers({
        client,
        logger: log,
        workers,
        signal: abort.signal,
        gangScheduling,
        onReady: () => log.info('Controllers ready'),
      }),
    ]);
  } finally {
    await server.close();
    client.close();
  }
  log.info('Stopped');
  return 0;
}
