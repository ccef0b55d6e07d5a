/**
 * @module manager/observability
 * The probe and metrics servers of `lwsctl controller`, and the one registry every metric lands in
 * (controller-runtime names, process metrics, our LWS metrics).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { CERT_FILE, CertDirWatcher, KEY_FILE } from '../certs/cert-dir-watcher.ts';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { KubeClient } from '../client/client.ts';
import type { BindAddress } from '../go/bind-address.ts';
import type { TlsServerOptions } from '../go/tls.ts';

export interface HealthServerOptions {
  address?: BindAddress | undefined;
  readinessPath: string;
  livenessPath: string;
}

export interface MetricsServerOptions {
  address?: BindAddress | undefined;
  secure: boolean;
  tls: TlsServerOptions;
}
import { createCA, issueCertificate } from '../pki/pki.ts';
import { HealthServer, ping, type Check } from '../runtime/health-server.ts';
import { kubeMetricsFilter } from '../runtime/metrics-auth.ts';
import { MetricsServer } from '../runtime/metrics-server.ts';

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // process_* and nodejs_* (Go: process_* and go_*)
  return registry;
}

export class ServerStartError extends Error {
  constructor(what: string, address: string, cause: unknown) {
    const inUse = (cause as NodeJS.ErrnoException).code === 'EADDRINUSE';
    super(
      `${what}: cannot listen on ${address}${inUse ? ': address already in use' : `: ${(cause as Error).message}`}`,
      {
        cause,
      },
    );
    this.name = 'ServerStartError';
  }
}

const show = (a: { host?: string; port: number }) => `${a.host ?? ''}:${a.port}`;

/** Starts the probe server with upstream's "healthz"/"readyz" pings plus the given readiness checks. */
export async function startHealthServer(
  options: HealthServerOptions,
  readiness: Record<string, Check>,
  log: Logger,
): Promise<HealthServer | undefined> {
  if (!options.address) return undefined;
  const server = new HealthServer({
    host: options.address.host,
    port: options.address.port,
    livenessPath: options.livenessPath,
    readinessPath: options.readinessPath,
    logger: log,
  });
  server.addLivenessCheck('healthz', ping);
  server.addReadinessCheck('readyz', ping);
  for (const [name, check] of Object.entries(readiness)) server.addReadinessCheck(name, check);
  try {
    const port = await server.listen();
    log.info({ kind: 'health probe', addr: show({ ...options.address, port }) }, 'Starting server');
  } catch (e) {
    throw new ServerStartError('health probe server', show(options.address), e);
  }
  return server;
}

/** controller-runtime's default metrics certificate directory (where the OpenShift operator mounts its Secret). */
export const DEFAULT_METRICS_CERT_DIR = '/tmp/k8s-metrics-server/serving-certs';

/**
 * Starts /metrics: HTTPS with TokenReview/SubjectAccessReview, or plain HTTP. The certificate is the one in
 * `certDir` when tls.crt and tls.key are there (reloaded when they change, e.g. a cert-manager renewal),
 * else self-signed — controller-runtime's behaviour.
 */
export async function startMetricsServer(
  options: MetricsServerOptions,
  registry: Registry,
  client: KubeClient,
  log: Logger,
  watch?: { signal: AbortSignal; background: Promise<unknown>[]; certDir?: string },
): Promise<MetricsServer | undefined> {
  if (!options.address) return undefined;
  let secure: ConstructorParameters<typeof MetricsServer>[0]['secure'];
  const certDir = watch?.certDir ?? DEFAULT_METRICS_CERT_DIR;
  const fromDir = options.secure && existsSync(join(certDir, CERT_FILE)) && existsSync(join(certDir, KEY_FILE));
  if (options.secure) {
    const pair = fromDir
      ? {
          certPem: readFileSync(join(certDir, CERT_FILE), 'utf8'),
          keyPem: readFileSync(join(certDir, KEY_FILE), 'utf8'),
        }
      : await selfSigned();
    secure = { ...pair, tls: options.tls, filter: kubeMetricsFilter(client, log) };
  } else {
    log.info(
      'Serving metrics over plain HTTP without authorization (--metrics-secure=false): for local development only',
    );
  }
  const server = new MetricsServer({
    host: options.address.host,
    port: options.address.port,
    registry,
    secure,
    logger: log,
  });
  try {
    const port = await server.listen();
    log.info(
      { bindAddress: show({ ...options.address, port }), secure: server.secure, ...(fromDir ? { certDir } : {}) },
      'Serving metrics server',
    );
  } catch (e) {
    throw new ServerStartError('metrics server', show(options.address), e);
  }
  if (fromDir && watch) {
    const watcher = new CertDirWatcher({ dir: certDir, onCertificate: (p) => server.setCertificate(p), logger: log });
    watch.background.push(watcher.run(watch.signal));
  }
  return server;
}

// controller-runtime generates a self-signed certificate when the cert directory has none.
async function selfSigned() {
  const ca = await createCA('lws-metrics-ca');
  return issueCertificate(ca, { commonName: 'localhost', hosts: ['localhost', '127.0.0.1'], usage: 'server' });
}
