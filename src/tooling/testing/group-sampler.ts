/**
 * @module testing/group-sampler
 * Watches a LeaderWorkerSet's groups while a scenario runs: samples the leader StatefulSet, the pods and
 * the LWS status every few hundred milliseconds through the API, so tests can assert on the whole
 * trajectory (largest surge, unavailable groups at any moment), not just the end state.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { GROUP_INDEX_LABEL, REVISION_KEY_LABEL, SET_NAME_LABEL, WORKER_INDEX_LABEL } from '../../lws/api/keys.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { KubeClient } from '../../k8s/client/client.ts';
import { isNotFound } from '../../k8s/client/errors.ts';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';
import { PODS, STATEFULSETS } from '../../k8s/client/resources.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';
import { testKubeconfig } from './cluster-fixture.ts';

export interface GroupSample {
  index: number;
  /** Leader and every worker exist, are Running and Ready. */
  available: boolean;
  /** Revision keys seen on the group's pods. */
  revisions: string[];
}

export interface Sample {
  at: number;
  leaderReplicas?: number;
  partition?: number;
  groups: GroupSample[];
  status?: LeaderWorkerSet['status'];
}

const ready = (p: Pod) =>
  !p.metadata.deletionTimestamp &&
  p.status?.phase === 'Running' &&
  (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Groups of a set from its pods: available when all `size` pods are there and ready. */
export function groupsFromPods(pods: readonly Pod[], size: number): GroupSample[] {
  const byGroup = new Map<number, Pod[]>();
  for (const p of pods) {
    const g = Number(p.metadata.labels?.[GROUP_INDEX_LABEL]);
    if (!Number.isInteger(g)) continue;
    byGroup.set(g, [...(byGroup.get(g) ?? []), p]);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, members]) => ({
      index,
      available:
        members.length === size &&
        members.some((p) => p.metadata.labels?.[WORKER_INDEX_LABEL] === '0') &&
        members.every(ready),
      revisions: [...new Set(members.map((p) => p.metadata.labels?.[REVISION_KEY_LABEL] ?? ''))],
    }));
}

export async function testClient(): Promise<KubeClient> {
  const kc = new KubeConfig();
  kc.loadFromFile(testKubeconfig());
  return KubeClient.fromKubeConfig(kc);
}

export class GroupSampler {
  readonly samples: Sample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  readonly #client: KubeClient;
  readonly #namespace: string;
  readonly #name: string;
  readonly #size: () => number;

  constructor(client: KubeClient, namespace: string, name: string, size: () => number) {
    this.#client = client;
    this.#namespace = namespace;
    this.#name = name;
    this.#size = size;
  }

  start(intervalMs = 100): this {
    this.#timer = setInterval(() => void this.sample(), intervalMs);
    return this;
  }

  stop(): Sample[] {
    clearInterval(this.#timer);
    return this.samples;
  }

  async sample(): Promise<Sample | undefined> {
    if (this.#busy) return undefined; // a slow apiserver answer: skip a tick rather than pile up
    this.#busy = true;
    try {
      const namespace = this.#namespace;
      const [sts, pods, lws] = await Promise.all([
        this.#client.get<StatefulSet>(STATEFULSETS, { namespace, name: this.#name }).catch((e) => {
          if (isNotFound(e)) return undefined;
          throw e;
        }),
        this.#client.list<Pod>(PODS, { namespace, labelSelector: `${SET_NAME_LABEL}=${this.#name}` }),
        this.#client.get<LeaderWorkerSet>(LEADERWORKERSETS, { namespace, name: this.#name }),
      ]);
      const sample: Sample = {
        at: Date.now(),
        leaderReplicas: sts?.spec?.replicas,
        partition: sts?.spec?.updateStrategy?.rollingUpdate?.partition,
        groups: groupsFromPods(pods.items, this.#size()),
        status: lws.status,
      };
      this.samples.push(sample);
      return sample;
    } catch {
      return undefined; // transient API errors only lose one sample
    } finally {
      this.#busy = false;
    }
  }
}
