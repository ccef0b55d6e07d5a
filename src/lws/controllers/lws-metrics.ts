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
 * - `lws_rollout_duration_seconds{namespace,leaderworkerset}` (histogram): rolling updates that finished, from
 *   UpdateInProgress turning True to it turning False (core/observations finishedRollout).
 * - `lws_group_ready_seconds{namespace,leaderworkerset}` (histogram): groups that turned Ready, from the leader
 *   pod's creation to the last pod's Ready transition; once per leader incarnation (core/observations readyGroup).
 * - `lws_webhook_certificate_expiry_timestamp_seconds`: notAfter of the certificate the webhook server serves
 *   (every replica, leading or not), for the certificate expiry alert.
 *
 * The histograms are fed from watch events of the caches while this replica leads (`observe`); the series of a
 * deleted LeaderWorkerSet are removed with it.
 */
import { X509Certificate } from 'node:crypto';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { Pod } from '../../k8s/client/objects.ts';
import { GROUP_INDEX_LABEL, SET_NAME_LABEL } from '../api/keys.ts';
import { groupSize } from '../core/lws-spec.ts';
import { finishedRollout, readyGroup } from '../core/observations.ts';
import { BY_GROUP, groupIndexValue, type Caches } from './caches.ts';
import type { RecreationListener } from './group-restart.ts';

/** Rolling updates take seconds (kwok) to hours (large models): 10s … 6h. */
export const ROLLOUT_BUCKETS = [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 21600];
/** Group start-up: 1s … 1h. */
export const GROUP_READY_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
/** The reasons `recreated` reports (group-restart's). */
const RECREATION_REASONS = ['PodDeleted', 'ContainerRestarted'] as const;
/** Leader UIDs whose Ready group was observed are remembered up to this many. */
const SEEN_LIMIT = 100_000;

export class LwsMetrics {
  #source: (() => readonly LeaderWorkerSet[]) | undefined;
  readonly #recreations: Counter<'namespace' | 'leaderworkerset' | 'reason'>;
  readonly #rolloutDuration: Histogram<'namespace' | 'leaderworkerset'>;
  readonly #groupReady: Histogram<'namespace' | 'leaderworkerset'>;
  readonly #certificateExpiry: Gauge;
  readonly #seenGroups = new Set<string>();

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
    this.#rolloutDuration = new Histogram({
      name: 'lws_rollout_duration_seconds',
      help: 'Duration of finished rolling updates of a LeaderWorkerSet, from UpdateInProgress turning True to it turning False.',
      labelNames: ['namespace', 'leaderworkerset'],
      buckets: ROLLOUT_BUCKETS,
      registers,
    });
    this.#groupReady = new Histogram({
      name: 'lws_group_ready_seconds',
      help: 'Time from the creation of a group (its leader pod) until every pod of the group is Ready.',
      labelNames: ['namespace', 'leaderworkerset'],
      buckets: GROUP_READY_BUCKETS,
      registers,
    });
    this.#certificateExpiry = new Gauge({
      name: 'lws_webhook_certificate_expiry_timestamp_seconds',
      help: 'Expiry (notAfter, Unix seconds) of the certificate the webhook server currently serves.',
      registers,
    });
  }

  /** Records the expiry of the certificate the webhook server now serves. */
  servingCertificate(certPem: string): void {
    try {
      this.#certificateExpiry.set(Math.floor(Date.parse(new X509Certificate(certPem).validTo) / 1000));
    } catch {
      // Not parseable: the server will fail the handshake itself; no metric rather than a wrong one.
    }
  }

  /**
   * Feeds the histograms from the caches' watch events (while leading); returns the function that stops it.
   * Objects of the initial list are only remembered, so a new leader does not observe old rollouts again.
   */
  observe(caches: Pick<Caches, 'leaderWorkerSets' | 'pods'>, now: () => Date = () => new Date()): () => void {
    const offLws = caches.leaderWorkerSets.addEventHandler({
      onUpdate: (before, after) => {
        const done = finishedRollout(before, after, now());
        if (done) this.#rolloutDuration.observe(labelsOf(after), done.seconds);
      },
      // A deleted LeaderWorkerSet takes its series along, so they neither linger nor grow without bound.
      onDelete: (lws) => this.forget(labelsOf(lws)),
    });
    const onPod = (pod: Pod, initial: boolean) => {
      const name = pod.metadata.labels?.[SET_NAME_LABEL];
      const group = pod.metadata.labels?.[GROUP_INDEX_LABEL];
      const namespace = pod.metadata.namespace ?? '';
      if (name === undefined || group === undefined) return;
      const lws = caches.leaderWorkerSets.get(namespace, name);
      if (!lws) return;
      const ready = readyGroup(caches.pods.byIndex(BY_GROUP, groupIndexValue(namespace, name, group)), groupSize(lws));
      if (!ready || this.#seenGroups.has(ready.leaderUid)) return;
      this.#seenGroups.add(ready.leaderUid);
      if (this.#seenGroups.size > SEEN_LIMIT) this.#seenGroups.delete(this.#seenGroups.values().next().value!);
      if (!initial) this.#groupReady.observe(labelsOf(lws), ready.seconds);
    };
    const offPods = caches.pods.addEventHandler({
      onAdd: (pod, initial) => onPod(pod, initial),
      onUpdate: (_, pod) => onPod(pod, false),
    });
    return () => {
      offLws();
      offPods();
    };
  }

  /** Where the gauges read LeaderWorkerSets from; undefined while not leading. */
  setSource(source: (() => readonly LeaderWorkerSet[]) | undefined): void {
    this.#source = source;
  }

  /** Drops every series of one LeaderWorkerSet. */
  forget(labels: { namespace: string; leaderworkerset: string }): void {
    this.#rolloutDuration.remove(labels);
    this.#groupReady.remove(labels);
    for (const reason of RECREATION_REASONS) this.#recreations.remove({ ...labels, reason });
  }

  readonly recreated: RecreationListener = ({ namespace, lwsName, reason }) =>
    this.#recreations.inc({ namespace, leaderworkerset: lwsName, reason });
}

const labelsOf = (lws: LeaderWorkerSet) => ({
  namespace: lws.metadata.namespace ?? '',
  leaderworkerset: lws.metadata.name ?? '',
});

function inProgress(lws: LeaderWorkerSet): boolean {
  return (lws.status?.conditions ?? []).some((c) => c.type === 'UpdateInProgress' && c.status === 'True');
}
