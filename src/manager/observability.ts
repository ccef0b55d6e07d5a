/**
 * @module manager/observability
 * The probe and metrics servers of `lwsctl controller`, and the one registry every metric lands in
 * (controller-runtime names, process metrics, our LWS metrics).
 */
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { KubeClient } from '../kube/client.ts';
import type { ControllerOptions } from '../config/options.ts';
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
  options: ControllerOptions['health'],
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

/** Starts /metrics: HTTPS with a self-signed certificate and TokenReview/SubjectAccessReview, or plain HTTP. */
export async function startMetricsServer(
  options: ControllerOptions['metrics'],
  registry: Registry,
  client: KubeClient,
  log: Logger,
): Promise<MetricsServer | undefined> {
  if (!options.address) return undefined;
  let secure: ConstructorParameters<typeof MetricsServer>[0]['secure'];
  if (options.secure) {
    // controller-runtime generates a self-signed certificate when no metrics cert dir is given.
    const ca = await createCA('lws-metrics-ca');
    const pair = await issueCertificate(ca, {
      commonName: 'localhost',
      hosts: ['localhost', '127.0.0.1'],
      usage: 'server',
    });
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
    log.info({ bindAddress: show({ ...options.address, port }), secure: server.secure }, 'Serving metrics server');
  } catch (e) {
    throw new ServerStartError('metrics server', show(options.address), e);
  }
  return server;
}
