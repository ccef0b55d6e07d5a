/**
 * @module manager/webhook-serving
 * The webhook server's lifecycle in `lwsctl controller`: it starts listening when the first certificate
 * arrives (from the rotator or the cert directory), swaps certificates without a restart afterwards, and
 * says whether a currently valid certificate is being served (a readiness check).
 */
import { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import { lwsWebhookHandlersFor } from '../webhooks/handlers.ts';
import { disaggregatedSetWebhookHandlers } from '../../disaggregatedset/webhooks/handlers.ts';
import { WebhookServer } from '../../k8s/admission/server.ts';
import type { WebhookMetrics } from '../../k8s/admission/webhook-metrics.ts';
import type { PemPair } from '../../k8s/pki/serving-certs.ts';
import type { ControllerOptions } from '../config/options.ts';

export class WebhookListenError extends Error {
  constructor(address: string, cause: unknown) {
    const inUse = (cause as NodeJS.ErrnoException).code === 'EADDRINUSE';
    super(
      `webhook server: cannot listen on ${address}${inUse ? ': address already in use' : `: ${(cause as Error).message}`}`,
      {
        cause,
      },
    );
    this.name = 'WebhookListenError';
  }
}

export class WebhookServing {
  readonly #options: ControllerOptions['webhooks'];
  readonly #log: Logger;
  readonly #metrics: WebhookMetrics;
  readonly #onFatal: (error: Error) => void;
  #server: WebhookServer | undefined;
  #listening = false;
  #expires = 0;

  constructor(
    options: ControllerOptions['webhooks'],
    log: Logger,
    metrics: WebhookMetrics,
    onFatal: (e: Error) => void,
  ) {
    this.#options = options;
    this.#log = log.child({ component: 'webhook' });
    this.#metrics = metrics;
    this.#onFatal = onFatal;
  }

  /** Readiness: listening with a certificate that has not expired. */
  check = (): void => {
    if (!this.#listening) throw new Error('the webhook server is not serving yet');
    if (Date.now() >= this.#expires) throw new Error('the served certificate has expired');
  };

  /** Serves `pair` from now on (starting the server on the first call). */
  setCertificate(pair: PemPair): void {
    this.#expires = Date.parse(new X509Certificate(pair.certPem).validTo);
    if (this.#server) {
      this.#server.setCertificate(pair);
      this.#log.info('Serving a new certificate');
      return;
    }
    const { host, port, tls } = this.#options;
    this.#server = new WebhookServer({
      host,
      port,
      certificate: pair,
      handlers: {
        ...lwsWebhookHandlersFor({ gangScheduling: this.#options.gangScheduling }),
        ...disaggregatedSetWebhookHandlers,
      },
      tls,
      onRequestStart: (path) => this.#metrics.started(path),
      onRequest: (e) => {
        this.#metrics.finished(e.path, e.code, e.durationMs / 1000);
        if (e.error) this.#log.error({ path: e.path, err: e.error }, 'Webhook handler failed');
        // controller-runtime logs each request at V(5) ("received request"/"wrote response"): not at the
        // default debug level, where a line per admission call costs more than the call itself.
        else
          this.#log.trace(
            { path: e.path, code: e.code, allowed: e.allowed, ms: Math.round(e.durationMs) },
            'Webhook request',
          );
      },
    });
    const address = `${host ?? ''}:${port}`;
    this.#server.listen().then(
      (bound) => {
        this.#listening = true;
        this.#log.info({ host: host ?? '', port: bound }, 'Serving webhook server');
      },
      (e) => this.#onFatal(new WebhookListenError(address, e)),
    );
  }

  async close(): Promise<void> {
    this.#listening = false;
    await this.#server?.close();
  }
}
