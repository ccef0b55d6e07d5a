/**
 * @module certs/cert-rotator
 * Internal certificate management (upstream: open-policy-agent/cert-controller's rotator, configured by
 * pkg/cert): the CA and serving certificate live in the Secret `lws-webhook-server-cert` (keys ca.crt,
 * ca.key, tls.crt, tls.key). Every replica runs it: a pass reads the Secret, regenerates what is missing,
 * invalid or within the lookahead window of expiry, writes it back with an optimistic update (a replica
 * that loses the race re-reads and adopts the winner's certificate), hands the serving pair to the
 * webhook server (hot swap, no restart) and injects the CA into the webhook configurations.
 *
 * Passes run when a certificate enters its renewal window, every 12 hours, and whenever the Secret or a
 * webhook configuration changes (someone reset a caBundle: it is restored at once).
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../client/client.ts';
import { isConflict, isNotFound } from '../client/errors.ts';
import type { KubeObject } from '../client/objects.ts';
import { SECRETS } from '../client/resources.ts';
import { Backoff } from '../runtime/backoff.ts';
import { Informer } from '../runtime/informer.ts';
import { clientListerWatcher } from '../runtime/list-watcher.ts';
import { silentLogger } from '../runtime/log.ts';
import { injectCABundle, type InjectionTarget } from './ca-injector.ts';
import {
  CA_NAME,
  MAX_LOOKAHEAD_MS,
  certificateProblem,
  createServingCertificate,
  createWebhookCA,
  notAfter,
  type PemPair,
} from '../pki/serving-certs.ts';

const CHECK_EVERY_MS = 12 * 3_600_000;

interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

export interface CertRotatorOptions {
  client: KubeClient;
  namespace: string;
  secretName: string;
  /** `<service>.<namespace>.svc` */
  dnsName: string;
  extraSans?: readonly string[];
  serverValidityMs: number;
  targets: readonly InjectionTarget[];
  /** Receives the serving certificate at start and after every change. */
  onCertificate: (pair: PemPair) => void;
  logger?: Logger;
}

/** Renew once less than a quarter of the validity is left, but never more than cert-controller's 90 days ahead. */
export const lookaheadFor = (validityMs: number) => Math.min(MAX_LOOKAHEAD_MS, validityMs / 4);

export class CertRotator {
  readonly #o: CertRotatorOptions;
  readonly #log: Logger;
  readonly #lookaheadMs: number;
  #published = '';
  #ready = false;
  #readyWaiters: Array<() => void> = [];
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(options: CertRotatorOptions) {
    this.#o = options;
    this.#log = (options.logger ?? silentLogger()).child({ component: 'cert-rotation' });
    this.#lookaheadMs = lookaheadFor(options.serverValidityMs);
  }

  /** A valid serving certificate was handed out and the CA injected (upstream's IsReady). */
  get ready(): boolean {
    return this.#ready;
  }

  whenReady(signal: AbortSignal): Promise<boolean> {
    if (this.#ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#readyWaiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    this.#log.info('Starting cert rotator controller');
    this.#watchForChanges(signal);
    const backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
    while (!signal.aborted) {
      let wait: number;
      try {
        const renewAt = await this.#pass(signal);
        backoff.reset();
        wait = Math.min(CHECK_EVERY_MS, Math.max(0, renewAt - Date.now()));
      } catch (e) {
        if (signal.aborted) break;
        this.#log.error({ err: e }, 'Error rotating certs');
        wait = backoff.next();
      }
      await this.#sleep(wait, signal);
    }
    this.#log.info('Stopping cert rotator controller');
  }

  /** One reconcile of the Secret; returns when the certificates next need renewing (epoch ms). */
  async #pass(signal: AbortSignal): Promise<number> {
    const { client, namespace, secretName, dnsName } = this.#o;
    for (;;) {
      const secret = await this.#readOrCreate(signal);
      const data = decode(secret.data);
      const at = Date.now() + this.#lookaheadMs;
      const caProblem = certificateProblem(data['ca.crt'], data['ca.crt'], data['ca.key'], CA_NAME, {
        at,
        serverAuth: false,
      });
      const serverProblem = caProblem
        ? 'the CA is being replaced'
        : certificateProblem(data['ca.crt'], data['tls.crt'], data['tls.key'], dnsName, {
            at,
            serverAuth: true,
            extraSans: this.#o.extraSans,
          });
      if (caProblem || serverProblem) {
        this.#log.info(
          { reason: caProblem ?? serverProblem },
          caProblem ? 'Refreshing CA and server certs' : 'Refreshing server certs',
        );
        const ca = caProblem ? await createWebhookCA() : { certPem: data['ca.crt']!, keyPem: data['ca.key']! };
        const server = await createServingCertificate(ca, dnsName, this.#o.extraSans ?? [], this.#o.serverValidityMs);
        const updated: Secret = {
          ...secret,
          data: {
            ...secret.data,
            'ca.crt': b64(ca.certPem),
            'ca.key': b64(ca.keyPem),
            'tls.crt': b64(server.certPem),
            'tls.key': b64(server.keyPem),
          },
        };
        try {
          await client.update(SECRETS, updated, { signal });
        } catch (e) {
          // Another replica rotated first: adopt its certificates on the next read.
          if (isConflict(e)) continue;
          throw e;
        }
        this.#log.info({ expires: new Date(notAfter(server.certPem)).toISOString() }, 'Server certs refreshed');
        continue; // publish what the Secret now holds
      }
      this.#publish({ certPem: data['tls.crt']!, keyPem: data['tls.key']! });
      await this.#inject(data['ca.crt']!, signal);
      this.#markReady();
      this.#log.debug({ namespace, secret: secretName }, 'No cert refresh needed');
      return Math.min(notAfter(data['tls.crt']!), notAfter(data['ca.crt']!)) - this.#lookaheadMs;
    }
  }

  async #readOrCreate(signal: AbortSignal): Promise<Secret> {
    const { client, namespace, secretName } = this.#o;
    try {
      return await client.get<Secret>(SECRETS, { namespace, name: secretName }, { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    // Upstream ships the Secret in its manifests; create it when missing so a bare install works too.
    this.#log.info({ namespace, secret: secretName }, 'Creating the certificate Secret');
    const secret: Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace, name: secretName },
      type: 'Opaque',
    };
    try {
      return await client.create(SECRETS, secret, { signal });
    } catch (e) {
      if ((e as { reason?: string }).reason === 'AlreadyExists') {
        return client.get<Secret>(SECRETS, { namespace, name: secretName }, { signal });
      }
      throw e;
    }
  }

  #publish(pair: PemPair): void {
    const fingerprint = pair.certPem + pair.keyPem;
    if (fingerprint === this.#published) return;
    this.#published = fingerprint;
    this.#log.info(
      { expires: new Date(notAfter(pair.certPem)).toISOString() },
      'Serving the certificate from the Secret',
    );
    this.#o.onCertificate(pair);
  }

  async #inject(caPem: string, signal: AbortSignal): Promise<void> {
    for (const target of this.#o.targets) {
      const result = await injectCABundle(this.#o.client, target, caPem, signal);
      if (result === 'patched') this.#log.info({ name: target.name, kind: target.ref.kind }, 'Ensured CA cert');
      else if (result === 'not-found') {
        this.#log.debug(
          { name: target.name, kind: target.ref.kind },
          'Webhook not found. Unable to update certificate.',
        );
      }
    }
  }

  #markReady(): void {
    if (this.#ready) return;
    this.#ready = true;
    this.#log.info('CA certs are injected to webhooks');
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
  }

  #watchForChanges(signal: AbortSignal): void {
    const { client, namespace, secretName } = this.#o;
    const wake = () => {
      this.#woken = true;
      this.#wake?.();
    };
    const handler = { onAdd: wake, onUpdate: wake, onDelete: wake };
    const watch = <T extends KubeObject>(informer: Informer<T>) => {
      informer.addEventHandler(handler);
      void informer.run(signal);
    };
    const byName = (name: string) => `metadata.name=${name}`;
    watch(
      new Informer<Secret>(clientListerWatcher(client, SECRETS, { namespace, fieldSelector: byName(secretName) }), {
        name: `secret ${namespace}/${secretName}`,
        logger: this.#log,
      }),
    );
    for (const target of this.#o.targets) {
      watch(
        new Informer<KubeObject>(clientListerWatcher(client, target.ref, { fieldSelector: byName(target.name) }), {
          name: `${target.ref.resource} ${target.name}`,
          logger: this.#log,
        }),
      );
    }
  }

  /** Waits `ms`, or less when a watched object changed since the last pass. */
  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#woken || signal.aborted) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#wake = undefined;
        this.#woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

function decode(data: Record<string, string> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(data ?? {})) out[key] = Buffer.from(value, 'base64').toString('utf8');
  return out;
}
