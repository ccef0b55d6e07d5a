/**
 * @module controllers/pod-reconciler
 * The leader-pod reconciler (upstream's PodReconciler, minus restarts, which group-restart.ts handles
 * from watch events): per-group headless Service for UniquePerReplica, and the worker StatefulSet of each
 * leader pod, built from the leader's own revision and created once (never updated).
 */
import type { Logger } from 'pino';
import {
  EXCLUSIVE_KEY_ANNOTATION,
  LEADER_POD_NAME_ANNOTATION,
  REVISION_KEY_LABEL,
  SET_NAME_LABEL,
  WORKER_INDEX_LABEL,
} from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { KubeClient } from '../../k8s/client/client.ts';
import { isAlreadyExists, isNotFound } from '../../k8s/client/errors.ts';
import { createPendingMs, type CreateRecord } from '../core/created.ts';
import type { KubeObject, Node, Pod } from '../../k8s/client/objects.ts';
import { NODES, SERVICES, STATEFULSETS } from '../../k8s/client/resources.ts';
import type { ReconcileResult } from '../../k8s/runtime/controller.ts';
import type { EventRecorder } from '../../k8s/runtime/events.ts';
import { groupSize, subdomainPolicy } from '../core/lws-spec.ts';
import { buildWorkerStatefulSet } from '../core/worker-statefulset.ts';
import { buildUniquePerReplicaService } from '../core/services.ts';
import { isPodReady } from '../core/pod-readiness.ts';
import {
  leaderNameAnnotationMistake,
  workerStatefulSetCreated,
  workerStatefulSetCreateFailed,
  type CoreEvent,
} from '../core/events.ts';
import { applyRevision, highestRevision, revisionKeyOf } from '../core/revision.ts';
import { ownedRevisions, type Caches } from './caches.ts';
import { podGroupCreateFailed, type GangSchedulerProvider } from '../core/gang-scheduling.ts';
import { ensurePodGroup } from './gang-scheduling.ts';

type Lws = LeaderWorkerSet & KubeObject;

export class PodReconciler {
  readonly #client: KubeClient;
  readonly #caches: Caches;
  readonly #recorder: EventRecorder;
  readonly #log: Logger;
  readonly #gang: GangSchedulerProvider | undefined;
  /** Per leader pod key: the worker StatefulSet we created for it, until the cache shows it (core/created.ts). */
  readonly #created = new Map<string, CreateRecord>();

  constructor(options: {
    client: KubeClient;
    caches: Caches;
    recorder: EventRecorder;
    logger: Logger;
    /** Create each group's pod group (upstream's SchedulerProvider in the pod controller). */
    gangScheduling?: GangSchedulerProvider;
  }) {
    this.#gang = options.gangScheduling;
    this.#client = options.client;
    this.#caches = options.caches;
    this.#recorder = options.recorder;
    this.#log = options.logger.child({ controller: 'pod' });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.split('/') as [string, string];
    const pod = this.#caches.pods.get(namespace, name);
    if (!pod) return void this.#created.delete(key);
    const lwsName = pod.metadata.labels?.[SET_NAME_LABEL];
    if (!lwsName) throw new Error(`${SET_NAME_LABEL} label is unexpected missing`);
    if (pod.metadata.labels?.[WORKER_INDEX_LABEL] === undefined)
      throw new Error(`${WORKER_INDEX_LABEL} label is unexpected missing`);
    if (pod.metadata.labels[WORKER_INDEX_LABEL] !== '0') return;
    const lws = this.#caches.leaderWorkerSets.get(namespace, lwsName) as Lws | undefined;
    if (!lws) return;

    if (pod.metadata.annotations?.[LEADER_POD_NAME_ANNOTATION]) {
      this.#emit(lws, leaderNameAnnotationMistake(pod));
      return;
    }
    if (pod.metadata.deletionTimestamp) return; // its group goes with it; the replacement gets a fresh pass

    if (subdomainPolicy(lws) === 'UniquePerReplica' && !this.#caches.services.get(namespace, name)) {
      try {
        await this.#client.create(SERVICES, buildUniquePerReplicaService(lws, pod));
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }

    if (this.#gang) {
      let outcome;
      try {
        outcome = await ensurePodGroup(this.#client, this.#gang, lws, pod);
      } catch (e) {
        if (isNotFound(e) && e.message.includes('namespaces')) return; // namespace going away
        this.#emit(lws, podGroupCreateFailed(pod, this.#gang, e));
        throw e;
      }
      if (outcome === 'stale') return { requeueAfter: 500 }; // the previous leader's, until collected
      if (outcome === 'created') {
        this.#log.debug({ namespace, leader: name, provider: this.#gang }, 'Created PodGroup for LeaderWorkerSet');
      }
    }

    if (groupSize(lws) === 1) return;
    if (lws.spec.startupPolicy === 'LeaderReady' && !isPodReady(pod)) return;
    if (this.#caches.statefulSets.get(namespace, name)) return void this.#created.delete(key); // create-only
    // Created by us and not in the cache yet: its watch event wakes us (the requeue covers a lost one).
    const pending = createPendingMs(this.#created.get(key), pod.metadata.uid, performance.now());
    if (pending > 0) return { requeueAfter: pending };

    const podKey = pod.metadata.labels?.[REVISION_KEY_LABEL];
    // upstream GetRevision: the set's own revisions with the pod's key, the highest if several.
    const revision = podKey
      ? highestRevision(ownedRevisions(this.#caches, lws).filter((r) => revisionKeyOf(r) === podKey))
      : undefined;
    if (!revision) return { requeueAfter: 1000 };
    const atRevision = applyRevision(lws, revision);

    let nodeSelector: Record<string, string> | undefined;
    const topologyKey = lws.metadata.annotations?.[EXCLUSIVE_KEY_ANNOTATION];
    if (topologyKey !== undefined) {
      if (!pod.spec?.nodeName) return; // placed once the leader is scheduled (a pod update re-triggers)
      const node = await this.#client.get<Node>(NODES, { name: pod.spec.nodeName });
      const value = node.metadata.labels?.[topologyKey];
      if (value === undefined) throw new Error(`node does not have topology label: ${topologyKey}`);
      nodeSelector = { [topologyKey]: value };
    }

    try {
      await this.#client.create(STATEFULSETS, buildWorkerStatefulSet(atRevision, pod, { nodeSelector }));
    } catch (e) {
      if (isAlreadyExists(e)) return;
      if (isNotFound(e)) return; // namespace going away
      this.#emit(lws, workerStatefulSetCreateFailed(pod, e));
      throw e;
    }
    this.#created.set(key, { ownerUid: pod.metadata.uid, basedOn: '', at: performance.now() });
    this.#log.debug({ namespace, leader: name }, 'Created worker statefulset');
    this.#emit(lws, workerStatefulSetCreated(pod));
  }

  #emit(lws: Lws, e: CoreEvent): void {
    this.#recorder.event(lws, e.related, e.type, e.reason, e.action, e.note);
  }
}

/** Enqueues leader pods on their own events, and on events of the worker StatefulSets they own; returns a remover. */
export function watchForLeaderPods(caches: Caches, enqueue: (key: string) => void): () => void {
  const leader = (p: Pod) => {
    if (p.metadata.labels?.[WORKER_INDEX_LABEL] === '0') enqueue(`${p.metadata.namespace}/${p.metadata.name}`);
  };
  const removers = [caches.pods.addEventHandler({ onAdd: leader, onUpdate: (_o, n) => leader(n), onDelete: () => {} })];
  const owner = (s: KubeObject) => {
    const ref = s.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Pod');
    if (ref) enqueue(`${s.metadata.namespace}/${ref.name}`);
  };
  removers.push(
    caches.statefulSets.addEventHandler({ onAdd: owner, onUpdate: (_o, n) => owner(n), onDelete: owner }),
    caches.services.addEventHandler({ onAdd: () => {}, onDelete: owner }),
  );
  return () => removers.forEach((remove) => remove());
}
