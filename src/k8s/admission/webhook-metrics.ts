/**
 * @module admission/webhook-metrics
 * controller-runtime's webhook metrics, per webhook path: requests by HTTP code, latency, in flight.
 */
import { Counter, Gauge, Histogram, exponentialBuckets, type Registry } from 'prom-client';

export interface WebhookMetrics {
  started(path: string): void;
  finished(path: string, code: number, seconds: number): void;
}

export function webhookMetrics(registry: Registry, paths: readonly string[]): WebhookMetrics {
  const registers = [registry];
  const total = new Counter({
    name: 'controller_runtime_webhook_requests_total',
    help: 'Total number of admission requests by HTTP status code.',
    labelNames: ['webhook', 'code'],
    registers,
  });
  const latency = new Histogram({
    name: 'controller_runtime_webhook_latency_seconds',
    help: 'Histogram of the latency of processing admission requests',
    labelNames: ['webhook'],
    buckets: exponentialBuckets(10e-9, 10, 12),
    registers,
  });
  const inFlight = new Gauge({
    name: 'controller_runtime_webhook_requests_in_flight',
    help: 'Current number of admission requests being served.',
    labelNames: ['webhook'],
    registers,
  });
  // Like controller-runtime: the likely codes exist from the start, so rate() works at once.
  for (const webhook of paths) {
    total.inc({ webhook, code: '200' }, 0);
    total.inc({ webhook, code: '500' }, 0);
    inFlight.set({ webhook }, 0);
  }
  const known = new Set(paths);
  return {
    started: (path) => known.has(path) && inFlight.inc({ webhook: path }),
    finished: (path, code, seconds) => {
      if (!known.has(path)) return;
      inFlight.dec({ webhook: path });
      total.inc({ webhook: path, code: String(code) });
      latency.observe({ webhook: path }, seconds);
    },
  };
}
