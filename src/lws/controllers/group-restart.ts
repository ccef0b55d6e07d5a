/**
 * @module controllers/group-restart
 * Group recreation for RecreateGroupOnPodRestart / RecreateGroupAfterStart, driven by the pod watch
 * events themselves.
 *
 * Upstream decides from a cache read during a later reconcile, so a worker that is deleted and already
 * replaced by its StatefulSet before that reconcile runs is never noticed (kubernetes-sigs/lws#998).
 * Here the decision is taken when the event arrives, from the pod in the event, and only the resulting
 * action — "delete leader pod X with UID U" — is queued. The delete carries a UID precondition, so a
 * group is recreated at most once per leader incarnation however many of its pods fail.
 */
import type { Logger } from 'pino';
import { GROUP_INDEX_LABEL, SET_NAME_LABEL } from '../api/keys.ts';
import type { KubeClient } from '../../k8s/client/client.ts';
import { isConflict, isNotFound } from '../../k8s/client/errors.ts';
import type { Pod } from '../../k8s/client/objects.ts';
import { PODS } from '../../k8s/client/resources.ts';
import type { EventRecorder } from '../../k8s/runtime/events.ts';
import { decideGroupRestart, type GroupRestart } from '../core/restart.ts';
import { BY_GROUP, groupIndexValue, type Caches } from './caches.ts';

/** Told about each group recreation (metrics: lws_group_recreations_total); reason PodDeleted or ContainerRestarted. */
export type RecreationListener = (event: { namespace: string; lwsName: string; reason: string }) => void;

/** Pending recreations, keyed by "<namespace>/<leader pod>/<leader uid>". */
export class GroupRestarter {
  readonly #client: KubeClient;
  readonly #recorder: EventRecorder;
  readonly #log: Logger;
  readonly #onRecreate: RecreationListener | undefined;
  readonly #pending = new Map<string, GroupRestart & { namespace: string; lwsName: string; cause: string }>();
  /** Leader UIDs already deleted by us; later events about the same incarnation are ignored. */
  readonly #done = new Set<string>();

  constructor(options: {
    client: KubeClient;
    recorder: EventRecorder;
    logger: Logger;
    onRecreate?: RecreationListener;
  }) {
    this.#client = options.client;
    this.#onRecreate = options.onRecreate;
    this.#recorder = options.recorder;
    this.#log = options.logger.child({ controller: 'group-restart' });
  }

  /** Records a decided recreation; returns the queue key, or undefined when it is already handled. */
  plan(namespace: string, lwsName: string, restart: GroupRestart, cause = 'ContainerRestarted'): string | undefined {
    if (this.#done.has(restart.leaderUid)) return undefined;
    const key = `${namespace}/${restart.leaderName}/${restart.leaderUid}`;
    if (!this.#pending.has(key)) this.#pending.set(key, { ...restart, namespace, lwsName, cause });
    return key;
  }

  async reconcile(key: string): Promise<void> {
    const action = this.#pending.get(key);
    if (!action) return;
    const { namespace, leaderName, leaderUid } = action;
    try {
      // Fresh read: the cache may not show a deletion another actor already started.
      const leader = await this.#client.get<Pod>(PODS, { namespace, name: leaderName });
      if (leader.metadata.uid !== leaderUid || leader.metadata.deletionTimestamp) {
        this.#finish(key, leaderUid);
        return;
      }
      await this.#client.delete(
        PODS,
        { namespace, name: leaderName },
        {
          propagationPolicy: 'Foreground',
          preconditions: { uid: leaderUid },
        },
      );
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) {
        this.#finish(key, leaderUid); // gone, or a newer incarnation: nothing of ours to do
        return;
      }
      throw e;
    }
    this.#finish(key, leaderUid);
    this.#log.info({ namespace, leader: leaderName, trigger: action.triggerPod }, 'Recreating group');
    this.#onRecreate?.({ namespace, lwsName: action.lwsName, reason: action.cause });
    this.#recorder.event(
      action.lws,
      action.leaderRef,
      'Normal',
      action.event.reason,
      action.event.action,
      action.event.note,
    );
  }

  #finish(key: string, leaderUid: string): void {
    this.#pending.delete(key);
    this.#done.add(leaderUid);
    if (this.#done.size > 100_000) this.#done.delete(this.#done.values().next().value!);
  }
}

/** Returns a function that removes the handler. */
export function watchForGroupRestarts(
  caches: Caches,
  restarter: GroupRestarter,
  enqueue: (key: string) => void,
): () => void {
  const consider = (pod: Pod, deleted: boolean) => {
    const lwsName = pod.metadata.labels?.[SET_NAME_LABEL];
    const namespace = pod.metadata.namespace;
    if (!lwsName || !namespace) return;
    const lws = caches.leaderWorkerSets.get(namespace, lwsName);
    if (!lws) return;
    const group = pod.metadata.labels?.[GROUP_INDEX_LABEL];
    const groupPods =
      group === undefined ? [] : caches.pods.byIndex(BY_GROUP, groupIndexValue(namespace, lwsName, group));
    const decision = decideGroupRestart({
      pod,
      podDeleted: deleted,
      lws,
      groupPods,
      leaderPod: (name) => caches.pods.get(namespace, name),
      statefulSet: (name) => caches.statefulSets.get(namespace, name),
    });
    if (decision.action !== 'recreate-group') return;
    const cause = deleted || pod.metadata.deletionTimestamp ? 'PodDeleted' : 'ContainerRestarted';
    const key = restarter.plan(namespace, lwsName, decision, cause);
    if (key) enqueue(key);
  };
  return caches.pods.addEventHandler({
    onAdd: (pod) => consider(pod, false),
    onUpdate: (_old, pod) => consider(pod, false),
    onDelete: (pod) => consider(pod, true),
  });
}
