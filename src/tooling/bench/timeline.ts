/**
 * @module bench/timeline
 * `npm run bench -- --timeline DIR`: every pod, StatefulSet and LeaderWorkerSet watch event of a session's
 * namespace with the time it arrived, written to DIR/<session>.jsonl, and each LeaderWorkerSet's path from created
 * to Available taken apart into steps (median and max over the sets), so a slow phase can be told apart: a busy
 * controller queue (long "LWS → leader StatefulSet" or "StatefulSets Ready → Available" steps) from slow Kubernetes
 * components (pods created, scheduled, Ready). docs/benchmarks.md ("Where the create phase's time goes") used it.
 */
import { appendFileSync } from 'node:fs';
import type { KubeClient } from '../../k8s/client/client.ts';
import type { KubeObject } from '../../k8s/client/objects.ts';
import type { ResourceRef } from '../../k8s/client/resources.ts';
import { PODS, STATEFULSETS } from '../../k8s/client/resources.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';

export type TimelineKind = 'lws' | 'sts' | 'pod';

/** One watch event, reduced to what the steps need. */
export interface TimelineEvent {
  /** Epoch milliseconds at arrival. */
  t: number;
  kind: TimelineKind;
  type: string;
  name: string;
  /** Pods: Ready condition true. StatefulSets: readyReplicas = replicas > 0. LWS: Available condition true. */
  ready: boolean;
}

const REFS: Record<TimelineKind, ResourceRef> = { lws: LEADERWORKERSETS, sts: STATEFULSETS, pod: PODS };

interface Conditioned {
  spec?: { replicas?: number };
  status?: { conditions?: Array<{ type: string; status: string }>; readyReplicas?: number };
}

function readyOf(kind: TimelineKind, o: KubeObject & Conditioned): boolean {
  const condition = (type: string) => o.status?.conditions?.some((c) => c.type === type && c.status === 'True');
  if (kind === 'pod') return condition('Ready') ?? false;
  if (kind === 'lws') return condition('Available') ?? false;
  const replicas = o.spec?.replicas ?? 0;
  return replicas > 0 && (o.status?.readyReplicas ?? 0) === replicas;
}

/** Watches the namespace until `stop()`; events are also appended to `file` when given. */
export function recordTimeline(client: KubeClient, namespace: string, file?: string) {
  const events: TimelineEvent[] = [];
  const abort = new AbortController();
  const loops = (Object.keys(REFS) as TimelineKind[]).map(async (kind) => {
    while (!abort.signal.aborted) {
      try {
        for await (const ev of client.watch<KubeObject & Conditioned>(REFS[kind], { namespace }, abort.signal)) {
          if (ev.type === 'BOOKMARK') continue;
          const e: TimelineEvent = {
            t: Date.now(),
            kind,
            type: ev.type,
            name: ev.object.metadata.name ?? '',
            ready: readyOf(kind, ev.object),
          };
          events.push(e);
          if (file) appendFileSync(file, JSON.stringify(e) + '\n');
        }
      } catch {
        if (!abort.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });
  return {
    async stop(): Promise<TimelineEvent[]> {
      abort.abort();
      await Promise.allSettled(loops);
      return events;
    },
  };
}

/** The steps from a LeaderWorkerSet's creation to Available, in order. */
export const STEPS = [
  'LWS → leader StatefulSet',
  'leader StatefulSet → leader pods',
  'leader pods → worker StatefulSets',
  'worker StatefulSets → worker pods',
  'pods created → all Ready',
  'pods Ready → StatefulSets Ready',
  'StatefulSets Ready → Available',
  'total',
] as const;

export type StepFigures = Record<(typeof STEPS)[number], { medianMs: number; maxMs: number; sets: number }>;

/**
 * Per-set step durations over the default naming (leader StatefulSet = set name, leader pods `<set>-<group>`,
 * worker StatefulSets `<set>-<group>`, worker pods `<set>-<group>-<index>`): each step ends when the last object
 * of the next stage reaches it. Sets that never became Available in the events are left out.
 */
export function stepsOf(events: readonly TimelineEvent[]): StepFigures {
  const first = new Map<string, number>();
  const mark = (key: string, t: number) => {
    if (!first.has(key)) first.set(key, t);
  };
  const sets = new Set<string>();
  const childrenOf = new Map<string, Set<string>>(); // `${kind}/${set}` → names
  for (const e of events) {
    if (e.type === 'DELETED') continue;
    mark(`${e.kind}+/${e.name}`, e.t);
    if (e.ready) mark(`${e.kind}*/${e.name}`, e.t);
    if (e.kind === 'lws') sets.add(e.name);
  }
  for (const e of events) {
    if (e.kind === 'lws') continue;
    for (const set of sets) {
      if (e.name === set || e.name.startsWith(`${set}-`)) {
        const rest = e.name === set ? [] : e.name.slice(set.length + 1).split('-');
        if (!rest.every((p) => /^\d+$/.test(p))) continue;
        const role =
          e.kind === 'sts'
            ? rest.length === 0
              ? 'leaderSts'
              : 'workerSts'
            : rest.length === 1
              ? 'leaderPod'
              : 'workerPod';
        const key = `${role}/${set}`;
        (childrenOf.get(key) ?? childrenOf.set(key, new Set()).get(key)!).add(e.name);
      }
    }
  }
  const durations: Record<string, number[]> = Object.fromEntries(STEPS.map((s) => [s, []]));
  for (const set of sets) {
    const available = first.get(`lws*/${set}`);
    const created = first.get(`lws+/${set}`);
    if (available === undefined || created === undefined) continue;
    const names = (role: string) => [...(childrenOf.get(`${role}/${set}`) ?? [])];
    const latest = (keys: string[]) => Math.max(...keys.map((k) => first.get(k) ?? NaN));
    const pods = [...names('leaderPod'), ...names('workerPod')];
    const allSts = [...names('leaderSts'), ...names('workerSts')];
    const marks = [
      created,
      latest(names('leaderSts').map((n) => `sts+/${n}`)),
      latest(names('leaderPod').map((n) => `pod+/${n}`)),
      latest(names('workerSts').map((n) => `sts+/${n}`)),
      latest(names('workerPod').map((n) => `pod+/${n}`)),
      latest(pods.map((n) => `pod*/${n}`)),
      latest(allSts.map((n) => `sts*/${n}`)),
      available,
    ];
    for (let i = 0; i + 1 < marks.length; i++) durations[STEPS[i]!]!.push(marks[i + 1]! - marks[i]!);
    durations.total!.push(available - created);
  }
  const figures = {} as StepFigures;
  for (const step of STEPS) {
    const values = durations[step]!.filter(Number.isFinite).sort((a, b) => a - b);
    figures[step] = {
      medianMs: values.length ? values[(values.length - 1) >> 1]! : NaN,
      maxMs: values.length ? values.at(-1)! : NaN,
      sets: values.length,
    };
  }
  return figures;
}

/** One line for the bench log: "step median/max ms" for each step. */
export function formatSteps(figures: StepFigures): string {
  return STEPS.map((s) => `${s} ${figures[s].medianMs}/${figures[s].maxMs}`).join(', ') + ' (ms, median/max over sets)';
}
