/**
 * @module controllers/lws-reconciler
 * The LeaderWorkerSet reconciler (upstream's LeaderWorkerSetReconciler): revisions, the leader
 * StatefulSet (server-side applied whenever the apply could change something), the shared headless Service,
 * status and conditions.
 * Every decision is a pure function in src/core or src/revision; this file only reads caches, calls
 * them and writes the results.
 */
import type { Logger } from 'pino';
import { FIELD_MANAGER, REVISION_KEY_LABEL, SET_NAME_LABEL } from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { KubeClient } from '../../k8s/client/client.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../k8s/client/errors.ts';
import type { ControllerRevision, KubeObject, StatefulSet } from '../../k8s/client/objects.ts';
import { CONTROLLER_REVISIONS, SERVICES, STATEFULSETS } from '../../k8s/client/resources.ts';
import { LEADERWORKERSETS } from '../api/resources.ts';
import type { ReconcileResult } from '../../k8s/runtime/controller.ts';
import type { EventRecorder } from '../../k8s/runtime/events.ts';
import { buildLeaderStatefulSet } from '../core/leader-statefulset.ts';
import {
  applyIsNoOp,
  appliedRecord,
  cacheBehindApply,
  previousForEvents,
  type AppliedRecord,
} from '../core/applied.ts';
import { buildSharedService, usesSharedService } from '../core/services.ts';
import { rollingUpdateParameters, groupStates } from '../core/rollout.ts';
import { computeStatus } from '../core/status.ts';
import { cacheBehindStatusWrite, statusWriteRecord, type StatusWrite } from '../core/status-writes.ts';
import { isLeaderPod, leaderPodStatusInputChanged } from '../core/pod-readiness.ts';
import {
  headlessServiceCreateFailed,
  leaderStatefulSetCreateFailed,
  leaderStatefulSetEvents,
  leaderStatefulSetUpdateFailed,
  revisionCreatedForExistingSet,
  revisionCreatedForNewSet,
  revisionCreatedForUpdate,
  type CoreEvent,
} from '../core/events.ts';
import {
  buildControllerRevision,
  controllerRevisionJSON,
  matchesRevision,
  highestRevision,
  nextRevisionNumber,
  revisionKey,
  revisionKeyOf,
} from '../core/revision.ts';
import { resourcePath } from '../../k8s/client/paths.ts';
import { BY_LEADERS_OF_SET, BY_SET, ownedRevisions, setIndexValue, type Caches } from './caches.ts';

type Lws = LeaderWorkerSet & KubeObject;

interface RevisionMatch {
  uid: string;
  generation: number;
  revision: string;
  matches: boolean;
}

export class LeaderWorkerSetReconciler {
  readonly #client: KubeClient;
  readonly #caches: Caches;
  readonly #recorder: EventRecorder;
  /** Per LWS key: the last leader StatefulSet apply of this term (a new term starts empty, so it applies). */
  readonly #applied = new Map<string, AppliedRecord>();
  /** Per LWS key: the last status write of this term, until the cache shows it. */
  readonly #statusWrites = new Map<string, StatusWrite>();
  /** Per LWS key: the last matchesRevision verdict and what it depends on (re-serialising the spec is not free). */
  readonly #revisionMatches = new Map<string, RevisionMatch>();

  constructor(options: { client: KubeClient; caches: Caches; recorder: EventRecorder; logger: Logger }) {
    this.#client = options.client;
    this.#caches = options.caches;
    this.#recorder = options.recorder;
  }

  #emit(lws: Lws, events: readonly CoreEvent[]): void {
    for (const e of events) this.#recorder.event(lws, e.related, e.type, e.reason, e.action, e.note);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.split('/') as [string, string];
    const lws = this.#caches.leaderWorkerSets.get(namespace, name) as Lws | undefined;
    if (!lws || lws.metadata.deletionTimestamp) {
      this.#applied.delete(key);
      this.#statusWrites.delete(key);
      this.#revisionMatches.delete(key);
      return;
    }
    const leaderSts = this.#caches.statefulSets.get(namespace, name);
    if (leaderSts?.metadata.deletionTimestamp) return { requeueAfter: 5000 };

    // The shared headless Service depends on nothing below: it is created while revisions and the leader
    // StatefulSet are written (a new LWS needs all three; one round trip less on the single worker's path).
    // allSettled observes both at once: a Service create that fails while the StatefulSet write is still in
    // flight must not become an unhandled rejection. When both fail, the StatefulSet's error is returned.
    const [set, service] = await Promise.allSettled([
      this.#reconcileSetAndStatus(key, lws, leaderSts),
      this.#ensureSharedService(lws),
    ]);
    if (set.status === 'rejected') throw set.reason;
    if (service.status === 'rejected') throw service.reason;
    return set.value;
  }

  /** Create-if-absent of the shared headless Service (UniquePerReplica services belong to leader pods). */
  async #ensureSharedService(lws: Lws): Promise<void> {
    const { namespace, name } = lws.metadata as { namespace: string; name: string };
    if (!usesSharedService(lws) || this.#caches.services.get(namespace, name)) return;
    try {
      await this.#client.create(SERVICES, buildSharedService(lws));
    } catch (e) {
      if (isAlreadyExists(e)) return;
      this.#emit(lws, [headlessServiceCreateFailed(e)]);
      throw e;
    }
  }

  async #reconcileSetAndStatus(
    key: string,
    lws: Lws,
    leaderSts: StatefulSet | undefined,
  ): Promise<ReconcileResult | void> {
    const { namespace, name } = lws.metadata as { namespace: string; name: string };
    // 1. Revisions: make sure the one the leader StatefulSet runs exists, then detect spec changes.
    const revisions = ownedRevisions(this.#caches, lws);
    let current = await this.#ensureCurrentRevision(lws, leaderSts, revisions);
    let lwsUpdated = false;
    if (leaderSts && !this.#matchesRevision(key, lws, current)) {
      current = await this.#createRevision(lws, [...revisions, current], revisionCreatedForUpdate);
      lwsUpdated = true;
    }
    const currentKey = revisionKeyOf(current);

    // 2. Leader StatefulSet: replicas and partition from the rollout arithmetic.
    const leaderPods = this.#caches.pods.byIndex(BY_LEADERS_OF_SET, setIndexValue(namespace, name));
    const workerSets = this.#caches.statefulSets
      .byIndex(BY_SET, setIndexValue(namespace, name))
      .filter((s) => s.metadata.name !== name);
    const states = groupStates(lws, leaderSts, leaderPods, workerSets, currentKey);
    const rollout = rollingUpdateParameters(lws, leaderSts, states, lwsUpdated);
    const desired = buildLeaderStatefulSet(lws, {
      revisionKey: currentKey,
      partition: rollout.partition,
      replicas: rollout.replicas,
    });
    // Our last apply sent exactly this and the cache has not shown it yet: its watch event wakes us again.
    const prior = this.#applied.get(key);
    if (cacheBehindApply(leaderSts, desired, prior)) return;
    this.#emit(lws, rollout.events);
    // Skipped when the cache shows the result of an identical earlier apply (core/applied.ts).
    if (!applyIsNoOp(leaderSts, desired, prior)) {
      this.#applied.delete(key);
      let answer: StatefulSet;
      try {
        answer = await this.#client.apply<StatefulSet>(STATEFULSETS, desired, {
          fieldManager: FIELD_MANAGER,
          force: true,
        });
      } catch (e) {
        this.#emit(lws, [leaderSts ? leaderStatefulSetUpdateFailed(name, e) : leaderStatefulSetCreateFailed(name, e)]);
        throw e;
      }
      const record = appliedRecord(desired, answer, leaderSts);
      if (record) this.#applied.set(key, record);
    }
    this.#emit(
      lws,
      leaderStatefulSetEvents(lws, previousForEvents(leaderSts, prior), rollout.partition, lwsUpdated, current),
    );

    // 3. (The shared headless Service is created alongside, see reconcile.)
    // 4. Status and conditions.
    const { status, events, updateDone, changed } = computeStatus(
      lws,
      leaderSts,
      leaderPods,
      workerSets,
      currentKey,
      new Date(),
    );
    if (changed) {
      // Our last status write is not in the cache yet: its watch event wakes us again (core/status-writes.ts).
      if (cacheBehindStatusWrite(lws.metadata, this.#statusWrites.get(key), Date.now())) return;
      let answer: Lws;
      try {
        answer = await this.#client.updateStatus(LEADERWORKERSETS, { ...lws, status });
      } catch (e) {
        if (isConflict(e)) return { requeueAfter: 100 }; // the cache is behind; try again with fresh state
        throw e;
      }
      const record = statusWriteRecord(lws.metadata, answer?.metadata, Date.now());
      if (record) this.#statusWrites.set(key, record);
      else this.#statusWrites.delete(key);
      this.#emit(lws, events);
    }

    // 5. Rollout finished: drop every other revision.
    if (updateDone) await this.#truncateRevisions(lws, currentKey);
  }

  /** The revision matching the leader StatefulSet's key; created from the current spec when missing. */
  /**
   * matchesRevision, computed again only when its inputs change: the set's spec (a new generation) or the
   * revision (whose data is immutable). Status and metadata updates of the set keep the verdict.
   */
  #matchesRevision(key: string, lws: Lws, revision: ControllerRevision): boolean {
    const { uid = '', generation } = lws.metadata;
    const revisionId = `${revision.metadata.uid ?? ''}/${revision.metadata.name ?? ''}`;
    const memo = this.#revisionMatches.get(key);
    if (
      generation !== undefined &&
      memo?.uid === uid &&
      memo.generation === generation &&
      memo.revision === revisionId
    ) {
      return memo.matches;
    }
    const matches = matchesRevision(lws, revision);
    if (generation !== undefined) this.#revisionMatches.set(key, { uid, generation, revision: revisionId, matches });
    return matches;
  }

  async #ensureCurrentRevision(lws: Lws, leaderSts: StatefulSet | undefined, revisions: ControllerRevision[]) {
    const stsKey = leaderSts?.metadata.labels?.[REVISION_KEY_LABEL] ?? '';
    const wantedKey = stsKey || revisionKey(lws);
    const found = highestRevision(revisions.filter((r) => revisionKeyOf(r) === wantedKey));
    if (found) return found;
    const event = stsKey ? revisionCreatedForExistingSet : revisionCreatedForNewSet;
    return this.#createRevision(lws, revisions, event, stsKey || undefined);
  }

  async #createRevision(
    lws: Lws,
    existing: ControllerRevision[],
    event: (key: string, revision?: KubeObject) => CoreEvent,
    key?: string,
  ): Promise<ControllerRevision> {
    const revision = buildControllerRevision(lws, nextRevisionNumber(existing), key);
    let created: ControllerRevision;
    try {
      // Go's exact bytes for `data`, so upstream's raw comparison agrees after a controller switch.
      const path = resourcePath(CONTROLLER_REVISIONS, { namespace: revision.metadata.namespace });
      created = (await this.#client.request<ControllerRevision>('POST', path, controllerRevisionJSON(revision)))!;
    } catch (e) {
      // Names are deterministic, so a stale cache makes us re-create an existing one: read it instead.
      if (!isAlreadyExists(e)) throw e;
      return this.#client.get<ControllerRevision>(CONTROLLER_REVISIONS, {
        namespace: revision.metadata.namespace,
        name: revision.metadata.name!,
      });
    }
    this.#emit(lws, [event(revisionKeyOf(created), created)]);
    return created;
  }

  async #truncateRevisions(lws: Lws, currentKey: string): Promise<void> {
    for (const r of ownedRevisions(this.#caches, lws)) {
      if (revisionKeyOf(r) === currentKey || r.metadata.labels?.[SET_NAME_LABEL] !== lws.metadata.name) continue;
      try {
        await this.#client.delete(CONTROLLER_REVISIONS, { namespace: r.metadata.namespace, name: r.metadata.name! });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}

/**
 * Enqueues the LWS for its own events and for events of any StatefulSet or Service labelled with its name.
 * Returns a function that removes the handlers (the controller stops when leadership ends; the caches stay).
 */
export function watchForLeaderWorkerSets(caches: Caches, enqueue: (key: string) => void): () => void {
  const bySelf = (o: KubeObject) => enqueue(`${o.metadata.namespace}/${o.metadata.name}`);
  const byLabel = (o: KubeObject) => {
    const name = o.metadata.labels?.[SET_NAME_LABEL];
    if (name) enqueue(`${o.metadata.namespace}/${name}`);
  };
  const removers = [
    caches.leaderWorkerSets.addEventHandler({ onAdd: bySelf, onUpdate: (_o, n) => bySelf(n), onDelete: bySelf }),
  ];
  // Leader pods: only the changes the status reads (core/pod-readiness.ts says why the StatefulSet's own
  // status event is not enough).
  removers.push(
    caches.pods.addEventHandler({
      onUpdate: (o, n) => {
        if (leaderPodStatusInputChanged(o, n)) byLabel(n);
      },
      onDelete: (o) => {
        if (isLeaderPod(o)) byLabel(o);
      },
    }),
  );
  for (const informer of [caches.statefulSets, caches.services]) {
    removers.push(
      informer.addEventHandler({
        onAdd: byLabel,
        onUpdate: (o, n) => (byLabel(o), byLabel(n)),
        onDelete: byLabel,
      }),
    );
  }
  return () => removers.forEach((remove) => remove());
}
