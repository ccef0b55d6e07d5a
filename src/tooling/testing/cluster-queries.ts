/**
 * @module testing/cluster-queries
 * Typed reads of a namespace's LWS-related objects through kubectl, for scenario tests.
 */
import type { Pod, Service, StatefulSet, ControllerRevision } from '../../k8s/client/objects.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import type { Kubectl } from './kubectl.ts';

interface List<T> {
  items: T[];
}

export interface EventJson {
  type: string;
  reason: string;
  note?: string;
  action?: string;
  regarding?: { kind?: string; name?: string };
  related?: { kind?: string; name?: string };
}

export function queries(kubectl: Kubectl, namespace: string) {
  const list = async <T>(kind: string, ...extra: string[]) =>
    (await kubectl.json<List<T>>('get', kind, '-n', namespace, ...extra)).items;
  const byName = <T extends { metadata: { name?: string } }>(items: T[]) =>
    items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return {
    pods: async (selector?: string) => byName(await list<Pod>('pods', ...(selector ? ['-l', selector] : []))),
    statefulSets: async () => byName(await list<StatefulSet>('statefulsets')),
    services: async () => byName(await list<Service>('services')),
    revisions: async () => byName(await list<ControllerRevision>('controllerrevisions')),
    lws: (name: string) => kubectl.json<LeaderWorkerSet>('get', 'leaderworkersets', name, '-n', namespace),
    events: () => list<EventJson>('events.events.k8s.io'),
    apply: (object: unknown) =>
      kubectl.withInput(JSON.stringify(object), 'apply', '--server-side', '--force-conflicts', '-f', '-'),
    create: (object: unknown) => kubectl.withInput(JSON.stringify(object), 'create', '-f', '-'),
  };
}

export const names = (items: Array<{ metadata: { name?: string } }>) => items.map((i) => i.metadata.name);

export const isRunningReady = (p: Pod) =>
  p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
