/**
 * @module kube/connection
 * Where the apiserver is and how to authenticate, taken from a client-node KubeConfig (kubeconfig file,
 * in-cluster service account, exec plugins, OIDC, tokens): the only part of client-node this client uses.
 *
 * TLS material goes into one keep-alive agent for the life of the client. Request headers
 * (Authorization, Impersonate-User) are re-derived from the KubeConfig at most every `headerTtlMs`,
 * because exec plugins and projected service-account tokens rotate; a 401 invalidates them early.
 */
import { Agent as HttpsAgent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import type { RequestOptions } from 'node:https';
import { createSecureContext } from 'node:tls';

/**
 * What a connection needs of a kubeconfig: client-node's KubeConfig, or the lean loader's
 * (kubeconfig-lean.ts) for controllers that should not load client-node.
 */
export interface KubeConfigSource {
  getCurrentCluster(): { server: string; proxyUrl?: string } | null;
  applyToHTTPSOptions(options: RequestOptions): Promise<void>;
}

export interface Connection {
  /** Server URL; its path, if any, prefixes every request path (e.g. Rancher's /k8s/clusters/x). */
  readonly server: URL;
  readonly agent: HttpsAgent | HttpAgent;
  readonly credentials: Credentials;
}

export interface Credentials {
  /** Headers to add to each request. */
  headers(): Promise<Record<string, string>>;
  /** Forgets cached headers (after a 401) so the next call re-reads tokens. */
  invalidate(): void;
}

export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

// TCP keep-alive probes start after 30 s idle, like client-go; they also end half-open watch streams.
const KEEPALIVE_MS = 30_000;

export async function connectionFromKubeConfig(kc: KubeConfigSource, headerTtlMs = 10_000): Promise<Connection> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeConfigError('the kubeconfig has no current cluster');
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new KubeConfigError(`invalid cluster server URL "${cluster.server}"`);
  }
  const options: RequestOptions = {};
  await kc.applyToHTTPSOptions(options);

  let agent: HttpsAgent | HttpAgent;
  if (cluster.proxyUrl && options.agent) {
    // Proxies are rare for controllers; client-node's proxy agent already speaks them.
    agent = options.agent as HttpsAgent | HttpAgent;
  } else if (server.protocol === 'https:') {
    const tlsOptions = {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      pfx: options.pfx,
      passphrase: options.passphrase,
    };
    agent = new HttpsAgent({
      keepAlive: true,
      keepAliveMsecs: KEEPALIVE_MS,
      ...tlsOptions,
      // Built once: without it every new connection parses the CA, certificate and key again (≈ 1.5 ms).
      secureContext: createSecureContext(tlsOptions),
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      servername: options.servername,
    });
  } else if (server.protocol === 'http:') {
    agent = new HttpAgent({ keepAlive: true, keepAliveMsecs: KEEPALIVE_MS });
  } else {
    throw new KubeConfigError(`unsupported protocol in cluster server URL "${cluster.server}"`);
  }
  return { server, agent, credentials: new KubeConfigCredentials(kc, headerTtlMs) };
}

class KubeConfigCredentials implements Credentials {
  readonly #kc: KubeConfigSource;
  readonly #ttlMs: number;
  #cached: { headers: Record<string, string>; at: number } | undefined;
  #pending: Promise<Record<string, string>> | undefined;

  constructor(kc: KubeConfigSource, ttlMs: number) {
    this.#kc = kc;
    this.#ttlMs = ttlMs;
  }

  headers(): Promise<Record<string, string>> {
    if (this.#cached && performance.now() - this.#cached.at < this.#ttlMs) return Promise.resolve(this.#cached.headers);
    // Concurrent callers share one refresh (an exec plugin must not run once per request).
    this.#pending ??= this.#load().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  invalidate(): void {
    this.#cached = undefined;
  }

  async #load(): Promise<Record<string, string>> {
    const options: RequestOptions = {};
    await this.#kc.applyToHTTPSOptions(options);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    this.#cached = { headers, at: performance.now() };
    return headers;
  }
}

/** Fixed headers, for tests and for callers that manage tokens themselves. */
export function staticCredentials(headers: Record<string, string> = {}): Credentials {
  return { headers: () => Promise.resolve(headers), invalidate: () => {} };
}
