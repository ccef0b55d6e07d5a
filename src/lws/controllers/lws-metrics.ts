/**
 * @module controllers/lws-metrics
 * Metrics of our own about LeaderWorkerSets (upstream has none), read from the LWS cache at scrape time
 * while this replica leads, so standbys report nothing and sums over replicas stay right:
 *
 * - `lws_groups{namespace,leaderworkerset,state}`: `ready` groups (status.readyReplicas), `progressing`
 *   groups not ready yet (spec.replicas − ready), `updating` groups not yet on the current revision while
 *   a rolling update is in progress (spec.replicas − status.updatedReplicas). The states overlap.
 * - `lws_rollout_progress_ratio{namespace,leaderworkerset}`: updated groups / desired groups (1 when done).
 * - `lws_group_recreations_total{namespace,leaderworkerset,reason}`: groups recreated by the restart
 *   policy, reason PodDeleted or ContainerRestarted.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { RecreationListener } from './group-restart.ts';

export class LwsMetrics {
  #source: (() => readonly LeaderWorkerSet[]) | undefined;
  readonly #recreations: Counter<'namespace' | 'leaderworkerset' | 'reason'>;

  constructor(registry: Registry) {
    const registers = [registry];
    const source = () => this.#source?.() ?? [];
    new Gauge({
      name: 'lws_groups',
      help: 'Groups of a LeaderWorkerSet by state: ready, progressing (not ready yet), updating (not on the current revision during a rolling update). States overlap.',
      labelNames: ['namespace', 'leaderworkerset', 'state'],
      registers,
      collect() {
        this.reset();
        for (const lws of source()) {
          const labels = { namespace: lws.metadata.namespace ?? '', leaderworkerset: lws.metadata.name ?? '' };
          const desired = lws.spec.replicas ?? 1;
          const ready = lws.status?.readyReplicas ?? 0;
          const updating = inProgress(lws) ? Math.max(0, desired - (lws.status?.updatedReplicas ?? 0)) : 0;
          this.set({ ...labels, state: 'ready' }, ready);
          this.set({ ...labels, state: 'progressing' }, Math.max(0, desired - ready));
          this.set({ ...labels, state: 'updating' }, updating);
        }
      },
    });
    new Gauge({
      name: 'lws_rollout_progress_ratio',
      help: 'Fraction of the desired groups of a LeaderWorkerSet on the current revision (1 when no rollout is pending).',
      labelNames: ['namespace', 'leaderworkerset'],
      registers,
      collect() {
        this.reset();
        for (const lws of source()) {
          const desired = lws.spec.replicas ?? 1;
          const updated = lws.status?.updatedReplicas ?? 0;
          const ratio = desired === 0 || !inProgress(lws) ? 1 : Math.min(1, updated / desired);
          this.set({ namespace: lws.metadata.namespace ?? '', leaderworkerset: lws.metadata.name ?? '' }, ratio);
        }
      },
    });
    this.#recreations = new Counter({
      name: 'lws_group_recreations_total',
      help: 'Groups recreated by the LeaderWorkerSet restart policy, by the reason of the recreation.',
      labelNames: ['namespace', 'leaderworkerset', 'reason'],
      registers,
    });
  }

  /** Where the gauges read LeaderWorkerSets from; undefined while not leading. */
  setSource(source: (() => readonly LeaderWorkerSet[]) | undefined): void {
    this.#source = source;
  }

  readonly recreated: RecreationListener = ({ namespace, lwsName, reason }) =>
    this.#recreations.inc({ namespace, leaderworkerset: lwsName, reason });
}

function inProgress(lws: LeaderWorkerSet): boolean {
  return (lws.status?.conditions ?? []).some((c) => c.type === 'UpdateInProgress' && c.status === 'True');
}
