/**
 * @module core/scenario-world
 * Test-only: a tiny in-memory cluster that runs the core's decisions the way the reconcilers do, to replay
 * upstream's integration scenarios (test/integration/controllers/leaderworkerset_test.go) as step lists.
 *
 * Like upstream's envtest setup there is no StatefulSet controller: the steps create, ready and delete leader
 * pods and worker StatefulSet statuses by hand, with the same effects as upstream's test helpers
 * (SetPodGroupToReady, SetStatefulsetToUnReady, CreateLeaderPods, DeleteLeaderPods, ...). After each write
 * the controllers run until nothing changes any more, which is what upstream's `Eventually` checks observe.
 * Revision keys are `rev-<n>`, one per distinct template; the hashing itself lives elsewhere.
 */
import { REVISION_KEY_LABEL } from '../../lws/api/keys.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { leaderStatefulSetEvents, workerStatefulSetCreated, type CoreEvent } from '../../lws/core/events.ts';
import { groupStates } from '../../lws/core/group-states.ts';
import { buildLeaderStatefulSet } from '../../lws/core/leader-statefulset.ts';
import { groupSize, lwsName, specReplicas } from '../../lws/core/lws-spec.ts';
import { leaderPodName } from '../../lws/core/names.ts';
import { rollingUpdateParameters } from '../../lws/core/rollout.ts';
import { computeStatus } from '../../lws/core/status.ts';
import { makeLeaderPod, makeLws, type LwsOptions } from './lws-core-fixtures.ts';
import { buildWorkerStatefulSet } from '../../lws/core/worker-statefulset.ts';

const NOW = new Date('2026-03-01T00:00:00Z');

export class ScenarioWorld {
  readonly lws: LeaderWorkerSet;
  leaderSts: StatefulSet | undefined;
  readonly pods = new Map<string, Pod>();
  readonly workers = new Map<string, StatefulSet>();
  readonly events: CoreEvent[] = [];
  /** Revision key → the LWS as it was when that key was current (what ApplyRevision would give back). */
  readonly revisions = new Map<string, LeaderWorkerSet>();
  readonly #keys = new Map<string, string>();
  #uid = 0;

  /** Upstream's test body: create the LWS, wait for the leader StatefulSet, create leader pods 0..R-1. */
  constructor(options: LwsOptions) {
    this.lws = makeLws(options);
    this.reconcile();
    this.createLeaderPods(0, specReplicas(this.lws));
  }

  /** Revision key of the LWS's current template (a new key per distinct template, in order of appearance). */
  get key(): string {
    const lwt = this.lws.spec.leaderWorkerTemplate;
    const identity = JSON.stringify([lwt, this.lws.spec.networkConfig]);
    let key = this.#keys.get(identity);
    if (!key) {
      key = `rev-${this.#keys.size + 1}`;
      this.#keys.set(identity, key);
      this.revisions.set(key, structuredClone(this.lws));
    }
    return key;
  }

  /** The key the template had at revision number `n` (1-based), like CreateLeaderPodsFromRevisionNumber. */
  keyOfRevision(n: number): string {
    return `rev-${n}`;
  }

  leaderPods(): Pod[] {
    return [...this.pods.values()];
  }

  get partition(): number | undefined {
    return this.leaderSts?.spec?.updateStrategy?.rollingUpdate?.partition;
  }

  get stsReplicas(): number | undefined {
    return this.leaderSts?.spec?.replicas;
  }

  condition(type: string): string | undefined {
    return this.lws.status?.conditions?.find((c) => c.type === type)?.status;
  }

  notes(): string[] {
    return this.events.map((e) => e.note);
  }

  // --- controllers -------------------------------------------------------------------------------------------

  /** Runs both reconcilers until the leader StatefulSet, worker StatefulSets and status stop changing. */
  reconcile(): void {
    for (let pass = 0; pass < 100; pass++) {
      const before = this.#fingerprint();
      this.lwsPass();
      this.podControllerPass();
      if (this.#fingerprint() === before) return;
    }
    throw new Error('controllers did not settle');
  }

  /** One LWS reconcile: rollout parameters, leader StatefulSet apply, status. */
  lwsPass(): void {
    const key = this.key;
    const previous = this.leaderSts;
    const lwsUpdated = !!previous && previous.metadata.labels?.[REVISION_KEY_LABEL] !== key;
    const workers = [...this.workers.values()];
    const states = groupStates(this.lws, previous, this.leaderPods(), workers, key);
    const rollout = rollingUpdateParameters(this.lws, previous, states, lwsUpdated);
    this.events.push(...rollout.events);
    const desired = buildLeaderStatefulSet(this.lws, {
      revisionKey: key,
      partition: rollout.partition,
      replicas: rollout.replicas,
    });
    this.events.push(...leaderStatefulSetEvents(this.lws, previous, rollout.partition, lwsUpdated));
    this.leaderSts = { ...desired, status: previous?.status ?? {} };
    const status = computeStatus(this.lws, this.leaderSts, this.leaderPods(), workers, key, NOW);
    if (status.changed) {
      this.lws.status = status.status;
      this.events.push(...status.events);
    }
  }

  /** The pod reconciler's worker StatefulSet creation, from each leader's own revision. */
  podControllerPass(): void {
    if (groupSize(this.lws) === 1) return;
    for (const pod of this.pods.values()) {
      const name = pod.metadata.name!;
      if (pod.metadata.deletionTimestamp || this.workers.has(name)) continue;
      const atRevision = this.revisions.get(pod.metadata.labels?.[REVISION_KEY_LABEL] ?? '');
      if (!atRevision) continue; // upstream requeues until the revision exists
      const sts = buildWorkerStatefulSet(atRevision, pod);
      sts.metadata.uid = `sts-${++this.#uid}`;
      sts.status = {};
      this.workers.set(name, sts);
      this.events.push(workerStatefulSetCreated(pod));
    }
  }

  #fingerprint(): string {
    return JSON.stringify([
      this.leaderSts?.spec?.replicas,
      this.partition,
      this.leaderSts?.metadata,
      this.lws.status,
      [...this.workers.keys()].sort(),
    ]);
  }

  // --- what upstream's test helpers do -----------------------------------------------------------------------

  /** CreateLeaderPods: leader pods `from..to-1` with the given revision key (the test's LWS copy decides it). */
  createLeaderPods(from: number, to: number, key = this.key): void {
    for (let i = from; i < to; i++) {
      const pod = makeLeaderPod(this.lws, i, { revision: key, uid: `pod-${++this.#uid}` });
      pod.status = { phase: 'Pending' }; // what the apiserver sets on create
      this.pods.set(pod.metadata.name!, pod);
    }
    this.reconcile();
  }

  /** SetPodGroupToReady, with the controller passes its separate writes trigger. */
  setGroupReady(index: number): void {
    const name = leaderPodName(lwsName(this.lws), index);
    const pod = this.pods.get(name);
    if (!pod) throw new Error(`no leader pod ${name}`);
    // 1. The leader takes the leader StatefulSet's revision (pods are not watched by the LWS reconciler).
    pod.metadata.labels = {
      ...pod.metadata.labels,
      [REVISION_KEY_LABEL]: this.leaderSts!.metadata.labels![REVISION_KEY_LABEL]!,
    };
    // 2. Its worker StatefulSet is deleted; the pod reconciler recreates it from the leader's revision.
    this.workers.delete(name);
    this.lwsPass();
    this.reconcile();
    // 3. The leader turns Running and Ready.
    pod.status = {
      phase: 'Running',
      conditions: [...(pod.status?.conditions ?? []), { type: 'Ready', status: 'True' }],
    };
    // 4. The worker StatefulSet reports all replicas available.
    const sts = this.workers.get(name);
    if (sts) {
      const replicas = sts.spec?.replicas ?? 1;
      sts.status = {
        replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        currentRevision: '',
        updateRevision: '',
      };
    }
    this.reconcile();
  }

  /** SetSuperPodToReady: every worker StatefulSet's group, in list (name) order. */
  setAllGroupsReady(): void {
    const names = [...this.workers.keys()].sort();
    for (const name of names) this.setGroupReady(Number(name.slice(lwsName(this.lws).length + 1)));
  }

  /** SetLeaderPodsToReady (size 1): leaders Running and Ready, then a leader StatefulSet status write. */
  setLeadersReady(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const pod = this.pods.get(leaderPodName(lwsName(this.lws), i))!;
      pod.metadata.labels = {
        ...pod.metadata.labels,
        [REVISION_KEY_LABEL]: this.leaderSts!.metadata.labels![REVISION_KEY_LABEL]!,
      };
      pod.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    }
    const replicas = this.leaderSts!.spec!.replicas!;
    this.leaderSts!.status = { replicas, readyReplicas: replicas, availableReplicas: replicas };
    this.reconcile();
  }

  /** SetStatefulsetToUnReady on worker StatefulSet `index`. */
  setWorkersUnready(index: number): void {
    const sts = this.workers.get(leaderPodName(lwsName(this.lws), index))!;
    sts.status = { ...sts.status, currentRevision: 'fuz', updateRevision: 'bar' };
    this.reconcile();
  }

  /** DeleteLeaderPod: leader pods `from..to-1` and their worker StatefulSets (on behalf of the GC). */
  deleteLeaderPods(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const name = leaderPodName(lwsName(this.lws), i);
      this.pods.delete(name);
      this.workers.delete(name);
    }
    this.reconcile();
  }

  /** DeleteLeaderPods: every leader pod at or above spec.replicas, with its worker StatefulSet. */
  deleteSurplusLeaderPods(): void {
    const max = Math.max(...[...this.pods.keys()].map((n) => Number(n.slice(lwsName(this.lws).length + 1))), -1);
    this.deleteLeaderPods(specReplicas(this.lws), max + 1);
  }

  /** Any LWS spec edit: generation bump, then the controllers react. */
  updateSpec(edit: (lws: LeaderWorkerSet) => void): void {
    edit(this.lws);
    this.lws.metadata.generation = (this.lws.metadata.generation ?? 0) + 1;
    this.reconcile();
  }

  updateWorkerTemplate(containerName = 'new-worker-name'): void {
    this.updateSpec((lws) => {
      lws.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.name = containerName;
    });
  }

  updateLeaderTemplate(): void {
    this.updateSpec((lws) => {
      lws.spec.leaderWorkerTemplate.leaderTemplate!.spec!.containers[0]!.name = 'new-leader-name';
    });
  }

  setReplicas(replicas: number): void {
    this.updateSpec((lws) => (lws.spec.replicas = replicas));
  }

  setPartition(partition: number): void {
    this.updateSpec((lws) => (lws.spec.rolloutStrategy!.rollingUpdateConfiguration!.partition = partition));
  }

  /** Worker StatefulSet of group `index` (undefined when absent). */
  worker(index: number): StatefulSet | undefined {
    return this.workers.get(leaderPodName(lwsName(this.lws), index));
  }
}
