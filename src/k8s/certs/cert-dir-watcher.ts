/**
 * @module certs/cert-dir-watcher
 * cert-manager mode (internalCertManagement.enable: false): the serving certificate is `tls.crt` /
 * `tls.key` in the webhook cert directory, written by someone else (cert-manager through a Secret volume).
 * Like controller-runtime's certwatcher, the files are re-read when the directory changes (a Secret
 * volume swaps a `..data` symlink) and every 10 seconds as a fallback; a new pair is handed to the
 * webhook server only once both files parse and belong together.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Logger } from 'pino';
import { silentLogger } from '../runtime/log.ts';
import type { PemPair } from '../pki/serving-certs.ts';

export const CERT_FILE = 'tls.crt';
export const KEY_FILE = 'tls.key';
const POLL_MS = 10_000;

export interface CertDirWatcherOptions {
  dir: string;
  onCertificate: (pair: PemPair) => void;
  logger?: Logger;
  pollMs?: number;
}

export class CertDirWatcher {
  readonly #o: CertDirWatcherOptions;
  readonly #log: Logger;
  #current = '';
  #loaded = false;
  #waiters: Array<() => void> = [];

  constructor(options: CertDirWatcherOptions) {
    this.#o = options;
    this.#log = (options.logger ?? silentLogger()).child({ component: 'certwatcher', dir: options.dir });
  }

  /** A valid pair has been loaded. */
  get ready(): boolean {
    return this.#loaded;
  }

  whenReady(signal: AbortSignal): Promise<boolean> {
    if (this.#loaded) return Promise.resolve(true);
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => resolve(false), { once: true });
      this.#waiters.push(() => resolve(true));
    });
  }

  /** Loads now, then on every change, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let watcher: FSWatcher | undefined;
    let pending: NodeJS.Timeout | undefined;
    const reload = () => {
      // Coalesce the burst of events one atomic Secret update produces.
      clearTimeout(pending);
      pending = setTimeout(() => void this.#reload(), 100);
    };
    try {
      watcher = watch(this.#o.dir, reload);
      watcher.on('error', (e) => this.#log.debug({ err: e }, 'Watching the cert directory failed; polling'));
    } catch (e) {
      this.#log.info({ err: e }, 'Cannot watch the cert directory yet; polling');
    }
    await this.#reload();
    const poll = setInterval(() => void this.#reload(), this.#o.pollMs ?? POLL_MS);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    clearInterval(poll);
    clearTimeout(pending);
    watcher?.close();
  }

  async #reload(): Promise<void> {
    let pair: PemPair;
    try {
      pair = {
        certPem: await readFile(join(this.#o.dir, CERT_FILE), 'utf8'),
        keyPem: await readFile(join(this.#o.dir, KEY_FILE), 'utf8'),
      };
    } catch (e) {
      if (!this.#loaded) this.#log.info({ err: (e as Error).message }, 'Waiting for the serving certificate files');
      return;
    }
    const fingerprint = pair.certPem + pair.keyPem;
    if (fingerprint === this.#current) return;
    try {
      if (!new X509Certificate(pair.certPem).checkPrivateKey(createPrivateKey(pair.keyPem))) {
        throw new Error('tls.key does not match tls.crt');
      }
    } catch (e) {
      // Mid-update (one file written, not the other) or broken: keep serving the previous pair.
      this.#log.warn({ err: e }, 'Ignoring an unusable certificate pair');
      return;
    }
    this.#current = fingerprint;
    this.#log.info({ expires: new X509Certificate(pair.certPem).validTo }, 'Updated current TLS certificate');
    this.#o.onCertificate(pair);
    if (!this.#loaded) {
      this.#loaded = true;
      for (const resolve of this.#waiters.splice(0)) resolve();
    }
  }
}
