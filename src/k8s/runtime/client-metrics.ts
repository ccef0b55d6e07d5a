/**
 * @module runtime/client-metrics
 * The client-go and leader-election metrics controller-runtime registers, under their names: every
 * apiserver request (`rest_client_requests_total{code,method,host}`) and whether this replica leads
 * (`leader_election_master_status{name}`).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ResponseEvent } from '../client/client.ts';

/** A KubeClient `onResponse` hook counting requests like client-go's requestResult adapter. */
export function restClientMetrics(registry: Registry): (event: ResponseEvent) => void {
  const requests = new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of HTTP requests, partitioned by status code, method, and host.',
    labelNames: ['code', 'method', 'host'],
    registers: [registry],
  });
  return (e) => requests.inc({ code: e.code, method: e.method, host: e.host });
}

/** An elector `onLeadingChange` hook: 1 while leading the named lease, 0 otherwise. */
export function leaderElectionMetrics(registry: Registry, leaseName: string): (leading: boolean) => void {
  const status = new Gauge({
    name: 'leader_election_master_status',
    help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
    labelNames: ['name'],
    registers: [registry],
  });
  status.set({ name: leaseName }, 0);
  return (leading) => status.set({ name: leaseName }, leading ? 1 : 0);
}
