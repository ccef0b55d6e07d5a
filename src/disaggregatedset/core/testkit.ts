/**
 * @module disaggregatedset/core/testkit
 * Fixture builders mirroring upstream's test wrappers (test/wrappers/disaggregatedset_wrappers.go and
 * the helpers in the controller package tests), plus an in-memory "cluster" step used to replay the
 * upstream fake-client tests against the pure reconcile.
 */
import { GroupVersion, RevisionLabelKey, RoleLabelKey, SetNameLabelKey, SliceLabelKey } from '../api/keys.ts';
import type {
  DisaggregatedRoleSpec,
  DisaggregatedSet,
  IntOrString,
  LeaderWorkerSetLike,
  OwnerReference,
} from '../api/types.ts';
import type { World } from './reconcile.ts';

/** wrappers.BuildDisaggregatedSet(name, ns) (UID "<name>-uid") with roles and options. */
export function buildDS(
  name: string,
  roles: DisaggregatedRoleSpec[],
  opts: { namespace?: string; uid?: string; slices?: number } = {},
): DisaggregatedSet {
  const ds: DisaggregatedSet = {
    metadata: { name, namespace: opts.namespace ?? 'default', uid: opts.uid ?? `${name}-uid` },
    spec: { roles },
  };
  if (opts.slices !== undefined) ds.spec.slices = opts.slices;
  return ds;
}

/** WithRole(name, replicas, image): size 1, one container "c". */
export function withRole(name: string, replicas: number, image: string): DisaggregatedRoleSpec {
  return {
    name,
    spec: {
      replicas,
      leaderWorkerTemplate: { size: 1, workerTemplate: { spec: { containers: [{ name: 'c', image }] } } },
    },
  };
}

/** WithRoleNoReplicas(name, image): container "app", no size, no replicas. */
export function withRoleNoReplicas(name: string, image: string): DisaggregatedRoleSpec {
  return {
    name,
    spec: { leaderWorkerTemplate: { workerTemplate: { spec: { containers: [{ name: 'app', image }] } } } },
  };
}

/** MakeRoleSpec(name, replicas, podSpec, surge, unavail). */
export function makeRoleSpec(
  name: string,
  replicas: number,
  podSpec: Record<string, unknown>,
  surge: IntOrString,
  unavail: IntOrString,
): DisaggregatedRoleSpec {
  return {
    name,
    spec: {
      replicas,
      leaderWorkerTemplate: { size: 1, workerTemplate: { spec: structuredClone(podSpec) } },
      rolloutStrategy: { rollingUpdateConfiguration: { maxSurge: surge, maxUnavailable: unavail } },
    },
  };
}

export interface LWSFixture {
  labels?: Record<string, string>;
  /** Labels shortcut: role/revision/ds name/slice ("0" by default; null = no slice label). */
  role?: string;
  revision?: string;
  dsName?: string;
  slice?: string | null;
  replicas?: number;
  statusReplicas?: number;
  ready?: number;
  created?: string;
  annotations?: Record<string, string>;
  owner?: OwnerReference;
}

/** An LWS like upstream's BuildBasicLeaderWorkerSet(...).Labels(...).Replica(...)... */
export function lws(name: string, f: LWSFixture = {}): LeaderWorkerSetLike {
  const labels: Record<string, string> = { ...f.labels };
  if (f.role !== undefined) labels[RoleLabelKey] = f.role;
  if (f.revision !== undefined) labels[RevisionLabelKey] = f.revision;
  if (f.role !== undefined || f.dsName !== undefined) labels[SetNameLabelKey] = f.dsName ?? 'test';
  if (f.role !== undefined && f.slice !== null) labels[SliceLabelKey] = f.slice ?? '0';
  const obj: LeaderWorkerSetLike = { metadata: { name, namespace: 'default', labels }, spec: {}, status: {} };
  if (f.replicas !== undefined) obj.spec!.replicas = f.replicas;
  if (f.statusReplicas !== undefined) obj.status!.replicas = f.statusReplicas;
  if (f.ready !== undefined) obj.status!.readyReplicas = f.ready;
  if (f.created !== undefined) obj.metadata.creationTimestamp = f.created;
  if (f.annotations !== undefined) obj.metadata.annotations = { ...f.annotations };
  if (f.owner !== undefined) obj.metadata.ownerReferences = [f.owner];
  return obj;
}

/** The bare owner reference upstream's fixtures use (no controller flag). */
export function bareOwner(ds: DisaggregatedSet): OwnerReference {
  return {
    apiVersion: GroupVersion,
    kind: 'DisaggregatedSet',
    name: ds.metadata.name ?? '',
    uid: ds.metadata.uid ?? '',
  };
}

/** simulateAllReady: status.replicas = status.readyReplicas = spec.replicas for every LWS with replicas set. */
export function simulateAllReady(world: World): World {
  return {
    ...world,
    leaderWorkerSets: world.leaderWorkerSets.map((l) =>
      l.spec?.replicas === undefined
        ? l
        : { ...l, status: { ...l.status, replicas: l.spec.replicas, readyReplicas: l.spec.replicas } },
    ),
  };
}

/** getTestLWSReplicas: -1 when absent, spec.replicas (nil => 0) otherwise. */
export function replicasOf(world: Pick<World, 'leaderWorkerSets'>, name: string): number {
  const l = world.leaderWorkerSets.find((x) => x.metadata.name === name);
  if (l === undefined) return -1;
  return l.spec?.replicas ?? 0;
}

export function emptyWorld(ds: DisaggregatedSet, leaderWorkerSets: LeaderWorkerSetLike[] = []): World {
  return { ds, leaderWorkerSets, services: [], scalers: [] };
}
