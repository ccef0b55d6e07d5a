/**
 * @module cli/kubectl-lws/view
 * Pure decisions and formatting of `kubectl lws`: the group tree of a LeaderWorkerSet, kubectl's ages
 * and tables, the rollout status message, revision history with what changed, and the group-by-group
 * plan of applying a file. Everything here takes plain objects (and `now`) and returns plain values.
 */
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import type { ControllerRevision, Pod } from '../../k8s/client/objects.ts';
import { GROUP_INDEX_LABEL, REVISION_KEY_LABEL, SET_NAME_LABEL, WORKER_INDEX_LABEL } from '../../lws/api/keys.ts';
import { highestRevision, matchesRevision, revisionKey, revisionKeyOf } from '../../lws/core/revision.ts';
import { isPodReady } from '../../lws/core/pod-readiness.ts';
import { groupSize, specReplicas } from '../../lws/core/lws-spec.ts';
import type { DisaggregatedSet } from '../../disaggregatedset/api/types.ts';
import {
  RevisionLabelKey as DS_REVISION_LABEL,
  RoleLabelKey as DS_ROLE_LABEL,
  SliceLabelKey as DS_SLICE_LABEL,
} from '../../disaggregatedset/api/keys.ts';

// ---------------------------------------------------------------------------------------------- ages

/** kubectl's duration.HumanDuration: "45s", "3m20s", "12m", "5h3m", "2d4h", "400d", "3y12d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const d = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return d === 0 ? `${y}y` : `${y}y${d}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The AGE column of an object: "<unknown>" without a creationTimestamp, as kubectl prints it. */
export function age(timestamp: string | undefined, now: Date): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(timestamp));
}

// ------------------------------------------------------------------------------------------- tables

/** kubectl's column layout: upper-case headers, columns padded to the widest cell plus three spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 3)))
      .join('')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

// -------------------------------------------------------------------------------------- group tree

export interface PodRow {
  name: string;
  role: 'leader' | 'worker';
  /** Worker index within the group (0 for the leader). */
  index: number;
  ready: boolean;
  phase: string;
  /** template-revision-hash of the pod. */
  revision: string;
  /** The pod is on the revision the LWS spec currently asks for. */
  current: boolean;
  node: string;
  restarts: number;
  age: string;
  ip: string;
  terminating: boolean;
}

export interface GroupRow {
  index: number;
  /** Every pod of the group exists, is Ready and none is terminating. */
  ready: boolean;
  readyPods: number;
  size: number;
  /** The leader's revision (the one the group was created at). */
  revision: string;
  current: boolean;
  pods: PodRow[];
}

export interface LwsTree {
  namespace: string;
  name: string;
  replicas: number;
  size: number;
  readyGroups: number;
  updatedGroups: number;
  currentRevision: string;
  /** ControllerRevision number of the current revision, when it exists yet. */
  currentRevisionNumber: number | undefined;
  conditions: string[];
  age: string;
  groups: GroupRow[];
}

/** Pods are counted in a group by the group-index label; leaders have no worker-index or index 0. */
const groupOf = (p: Pod): number => Number(p.metadata.labels?.[GROUP_INDEX_LABEL] ?? NaN);
const workerOf = (p: Pod): number => Number(p.metadata.labels?.[WORKER_INDEX_LABEL] ?? 0);

/** The revision the spec asks for: the key of the ControllerRevision it matches, else the spec's hash. */
export function currentRevision(
  lws: LeaderWorkerSet,
  revisions: readonly ControllerRevision[],
): { key: string; number: number | undefined } {
  const matching = highestRevision(revisions.filter((r) => safeMatches(lws, r)));
  if (matching) return { key: revisionKeyOf(matching), number: matching.revision };
  return { key: revisionKey(lws), number: undefined };
}

function safeMatches(lws: LeaderWorkerSet, r: ControllerRevision): boolean {
  try {
    return matchesRevision(lws, r);
  } catch {
    return false;
  }
}

const restartsOf = (p: Pod): number =>
  (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);

/** The tree `kubectl lws get` prints: one LWS, its groups, each group's leader and workers. */
export function lwsTree(
  lws: LeaderWorkerSet,
  pods: readonly Pod[],
  revisions: readonly ControllerRevision[],
  now: Date,
): LwsTree {
  const name = lws.metadata.name ?? '';
  const current = currentRevision(lws, revisions);
  const size = groupSize(lws);
  const mine = pods.filter((p) => p.metadata.labels?.[SET_NAME_LABEL] === name && Number.isInteger(groupOf(p)));
  const indexes = new Set<number>(mine.map(groupOf));
  for (let i = 0; i < specReplicas(lws); i++) indexes.add(i);
  const groups: GroupRow[] = [...indexes]
    .sort((a, b) => a - b)
    .map((index) => {
      const rows: PodRow[] = mine
        .filter((p) => groupOf(p) === index)
        .map((p) => {
          const revision = p.metadata.labels?.[REVISION_KEY_LABEL] ?? '';
          return {
            name: p.metadata.name ?? '',
            role: workerOf(p) === 0 ? ('leader' as const) : ('worker' as const),
            index: workerOf(p),
            ready: isPodReady(p) && !p.metadata.deletionTimestamp,
            phase: p.metadata.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? 'Pending'),
            revision,
            current: revision !== '' && revision === current.key,
            node: p.spec?.nodeName ?? '<none>',
            restarts: restartsOf(p),
            age: age(p.metadata.creationTimestamp, now),
            ip: p.status?.podIP ?? '<none>',
            terminating: Boolean(p.metadata.deletionTimestamp),
          };
        })
        .sort((a, b) => a.index - b.index || a.name.localeCompare(b.name));
      const leader = rows.find((r) => r.role === 'leader');
      const readyPods = rows.filter((r) => r.ready).length;
      return {
        index,
        ready: readyPods >= size && rows.every((r) => !r.terminating),
        readyPods,
        size,
        revision: leader?.revision ?? '',
        current: leader?.current ?? false,
        pods: rows,
      };
    });
  return {
    namespace: lws.metadata.namespace ?? '',
    name,
    replicas: specReplicas(lws),
    size,
    readyGroups: lws.status?.readyReplicas ?? 0,
    updatedGroups: lws.status?.updatedReplicas ?? 0,
    currentRevision: current.key,
    currentRevisionNumber: current.number,
    conditions: (lws.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type),
    age: age(lws.metadata.creationTimestamp, now),
    groups,
  };
}

/** The human form of a tree: a header line per LWS, then a table with the tree drawn in the NAME column. */
export function formatTree(tree: LwsTree, wide = false): string {
  const rev = `${tree.currentRevision}${tree.currentRevisionNumber === undefined ? '' : ` (#${tree.currentRevisionNumber})`}`;
  const head =
    `leaderworkerset/${tree.name}  groups ${tree.readyGroups}/${tree.replicas} ready, ${tree.updatedGroups}/${tree.replicas} updated` +
    `  size ${tree.size}  revision ${rev}  [${tree.conditions.join(',') || 'no conditions'}]  age ${tree.age}\n`;
  const header = ['NAME', 'READY', 'STATUS', 'REVISION', 'RESTARTS', 'AGE', 'NODE', ...(wide ? ['IP'] : [])];
  const rows: string[][] = [];
  tree.groups.forEach((g, gi) => {
    const lastGroup = gi === tree.groups.length - 1;
    rows.push([
      `${lastGroup ? '└─' : '├─'}group ${g.index}`,
      `${g.readyPods}/${g.size}`,
      g.pods.length === 0 ? 'Missing' : g.ready ? 'Ready' : 'NotReady',
      revisionCell(g.revision, g.current),
      '',
      '',
      '',
      ...(wide ? [''] : []),
    ]);
    g.pods.forEach((p, pi) => {
      const branch = pi === g.pods.length - 1 ? '└─' : '├─';
      rows.push([
        `${lastGroup ? '   ' : '│  '}${branch}${p.role === 'leader' ? 'leader' : `worker ${p.index}`} ${p.name}`,
        p.ready ? '1/1' : '0/1',
        p.phase,
        revisionCell(p.revision, p.current),
        String(p.restarts),
        p.age,
        p.node,
        ...(wide ? [p.ip] : []),
      ]);
    });
  });
  return head + table(header, rows);
}

const revisionCell = (revision: string, current: boolean): string =>
  revision === '' ? '<none>' : `${revision}${current ? ' (current)' : ' (old)'}`;

/** `kubectl lws get` without a name: one line per LWS, like kubectl get. */
export function formatList(trees: readonly LwsTree[], allNamespaces: boolean): string {
  const header = [
    ...(allNamespaces ? ['NAMESPACE'] : []),
    'NAME',
    'GROUPS',
    'READY',
    'UPDATED',
    'SIZE',
    'REVISION',
    'AGE',
  ];
  return table(
    header,
    trees.map((t) => [
      ...(allNamespaces ? [t.namespace] : []),
      t.name,
      String(t.replicas),
      `${t.readyGroups}/${t.replicas}`,
      `${t.updatedGroups}/${t.replicas}`,
      String(t.size),
      t.currentRevision,
      t.age,
    ]),
  );
}

// ---------------------------------------------------------------------------------- rollout status

export interface RolloutStatus {
  done: boolean;
  message: string;
}

/**
 * kubectl's rollout status viewer for a LeaderWorkerSet, in the words of the Deployment viewer with
 * groups for replicas: the spec must be observed, every group updated, every group ready, and no
 * UpdateInProgress condition left.
 */
export function rolloutStatus(lws: LeaderWorkerSet): RolloutStatus {
  const name = lws.metadata.name ?? '';
  const desired = specReplicas(lws);
  const status = lws.status ?? {};
  if ((status.observedGeneration ?? 0) < (lws.metadata.generation ?? 0))
    return { done: false, message: `Waiting for leaderworkerset "${name}" spec update to be observed...` };
  const updated = status.updatedReplicas ?? 0;
  const ready = status.readyReplicas ?? 0;
  const partition = lws.spec.rolloutStrategy?.rollingUpdateConfiguration?.partition ?? 0;
  const inProgress = (status.conditions ?? []).some((c) => c.type === 'UpdateInProgress' && c.status === 'True');
  const target = Math.max(0, desired - partition);
  if (partition > 0 && updated >= target && ready >= desired)
    return {
      done: true,
      message: `partitioned roll out complete: ${updated} new groups have been updated (partition ${partition})...`,
    };
  if (updated < desired && !(partition > 0 && updated >= target))
    return {
      done: false,
      message: `Waiting for leaderworkerset "${name}" rollout to finish: ${updated} out of ${desired} new groups have been updated...`,
    };
  if ((status.replicas ?? desired) > desired)
    return {
      done: false,
      message: `Waiting for leaderworkerset "${name}" rollout to finish: ${(status.replicas ?? 0) - desired} old groups are pending termination...`,
    };
  if (ready < desired)
    return {
      done: false,
      message: `Waiting for leaderworkerset "${name}" rollout to finish: ${ready} of ${desired} updated groups are ready...`,
    };
  if (inProgress)
    return { done: false, message: `Waiting for leaderworkerset "${name}" rollout to finish: update in progress...` };
  return { done: true, message: `leaderworkerset "${name}" successfully rolled out` };
}

// ----------------------------------------------------------------------------------------- changes

export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

/** Leaf-level differences between two JSON values, paths in kubectl's dotted/indexed form. */
export function changes(a: unknown, b: unknown, path = ''): Change[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const bothObjects = isObject(a) && isObject(b);
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  if (bothArrays) {
    const out: Change[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changes(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changes(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return [{ path, from: a, to: b }];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "spec.x: 1 → 2", "spec.y: <none> → {…}" */
export function formatChange(c: Change): string {
  return `${c.path}: ${short(c.from)} → ${short(c.to)}`;
}

function short(v: unknown): string {
  if (v === undefined) return '<none>';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The spec a revision records, without the strategic-merge directives. */
function revisionSpec(r: ControllerRevision): unknown {
  return stripDirectives((r.data as { spec?: unknown } | undefined)?.spec);
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== '$patch')
      .map(([k, x]) => [k, stripDirectives(x)]),
  );
}

export interface HistoryEntry {
  revision: number;
  name: string;
  key: string;
  current: boolean;
  /** Groups (leader pods) at this revision right now. */
  groups: number[];
  age: string;
  /** What changed from the previous revision (empty for the first). */
  changes: Change[];
}

/** ControllerRevisions of one LWS, oldest first, each with what changed since the one before. */
export function history(
  lws: LeaderWorkerSet,
  revisions: readonly ControllerRevision[],
  pods: readonly Pod[],
  now: Date,
): HistoryEntry[] {
  const current = currentRevision(lws, revisions);
  const sorted = [...revisions].sort((a, b) => a.revision - b.revision);
  const leaders = pods.filter((p) => workerOf(p) === 0 && !p.metadata.deletionTimestamp);
  return sorted.map((r, i) => ({
    revision: r.revision,
    name: r.metadata.name ?? '',
    key: revisionKeyOf(r),
    current: revisionKeyOf(r) === current.key,
    groups: leaders
      .filter((p) => p.metadata.labels?.[REVISION_KEY_LABEL] === revisionKeyOf(r))
      .map(groupOf)
      .sort((a, b) => a - b),
    age: age(r.metadata.creationTimestamp, now),
    changes: i === 0 ? [] : changes(revisionSpec(sorted[i - 1]!), revisionSpec(r)),
  }));
}

export function formatHistory(name: string, entries: readonly HistoryEntry[]): string {
  if (entries.length === 0) return `leaderworkerset.leaderworkerset.x-k8s.io/${name}: no revisions recorded yet\n`;
  const rows = entries.map((e) => [
    String(e.revision),
    e.key + (e.current ? ' (current)' : ''),
    e.groups.length === 0 ? '<none>' : e.groups.join(','),
    e.age,
    e.changes.length === 0 ? (e === entries[0] ? '<first recorded>' : '<none>') : formatChange(e.changes[0]!),
  ]);
  const out: string[][] = [];
  entries.forEach((e, i) => {
    out.push(rows[i]!);
    for (const c of e.changes.slice(1)) out.push(['', '', '', '', formatChange(c)]);
  });
  return (
    `leaderworkerset.leaderworkerset.x-k8s.io/${name}\n` +
    table(['REVISION', 'KEY', 'GROUPS', 'AGE', 'CHANGES (from the previous revision)'], out)
  );
}

/**
 * The revision `rollout undo` goes back to: `--to-revision N` when given, else the newest revision
 * with another key than the current one. Returns an error message when there is none.
 */
export function undoTarget(
  entries: readonly HistoryEntry[],
  toRevision: number | undefined,
): { revision: number } | { error: string } {
  if (toRevision !== undefined && toRevision !== 0) {
    const e = entries.find((x) => x.revision === toRevision);
    if (!e) return { error: `unable to find specified revision ${toRevision} in history` };
    if (e.current) return { error: `revision ${toRevision} is already the current revision` };
    return { revision: toRevision };
  }
  // Revisions are kept by key, so the current key may be recorded twice (after an undo): the previous
  // revision is the newest one with another key.
  const target = entries.filter((e) => !e.current).at(-1);
  if (!target)
    return {
      error:
        'no rollout history found: the controller keeps only the revisions still in use, so a finished rollout cannot be undone (change the spec back instead)',
    };
  return { revision: target.revision };
}

// -------------------------------------------------------------------------------------------- diff

export type GroupAction = 'unchanged' | 'recreate' | 'create' | 'delete';

export interface GroupPlan {
  index: number;
  action: GroupAction;
  from: string;
  to: string;
}

export interface ApplyPlan {
  namespace: string;
  name: string;
  exists: boolean;
  /** The template/network revision changes: groups are replaced by a rolling update. */
  rollingUpdate: boolean;
  fromRevision: string;
  toRevision: string;
  replicas: { from: number; to: number };
  /** Leaf differences in .spec (after defaulting both sides). */
  specChanges: Change[];
  /** Metadata label/annotation differences. */
  metadataChanges: Change[];
  groups: GroupPlan[];
  strategy: string;
}

/**
 * What applying `desired` (defaulted by the webhook, as `render` returns it) over `live` (undefined when
 * absent) would do, group by group. `groupRevisions` holds the revision each live group's leader is at.
 */
export function applyPlan(
  live: LeaderWorkerSet | undefined,
  desired: LeaderWorkerSet,
  liveRevisions: readonly ControllerRevision[],
  groupRevisions: ReadonlyMap<number, string>,
): ApplyPlan {
  const toKey = revisionKey(desired);
  const to = specReplicas(desired);
  const cfg = desired.spec.rolloutStrategy?.rollingUpdateConfiguration;
  const strategy = `RollingUpdate maxUnavailable=${String(cfg?.maxUnavailable ?? 1)} maxSurge=${String(cfg?.maxSurge ?? 0)} partition=${cfg?.partition ?? 0}`;
  const base = { namespace: desired.metadata.namespace ?? 'default', name: desired.metadata.name ?? '', strategy };
  if (!live) {
    return {
      ...base,
      exists: false,
      rollingUpdate: false,
      fromRevision: '',
      toRevision: toKey,
      replicas: { from: 0, to },
      specChanges: changes(undefined, desired.spec),
      metadataChanges: [],
      groups: Array.from({ length: to }, (_, index) => ({ index, action: 'create' as const, from: '', to: toKey })),
    };
  }
  const fromKey = currentRevision(live, liveRevisions).key;
  // The desired spec is compared the controller's way: does it match the live revision's stored patch?
  const liveRevision = liveRevisions.find((r) => revisionKeyOf(r) === fromKey);
  const sameRevision = liveRevision ? safeMatches(desired, liveRevision) : toKey === fromKey;
  const targetKey = sameRevision ? fromKey : toKey;
  const from = specReplicas(live);
  const partition = cfg?.partition ?? 0;
  const groups: GroupPlan[] = [];
  for (let index = 0; index < Math.max(from, to); index++) {
    const at = groupRevisions.get(index) ?? (index < from ? fromKey : '');
    if (index >= to) groups.push({ index, action: 'delete', from: at, to: '' });
    else if (index >= from) groups.push({ index, action: 'create', from: '', to: targetKey });
    else if (at === targetKey || index < partition) groups.push({ index, action: 'unchanged', from: at, to: at });
    else groups.push({ index, action: 'recreate', from: at, to: targetKey });
  }
  const meta = (l: LeaderWorkerSet) => ({ labels: l.metadata.labels ?? {}, annotations: l.metadata.annotations ?? {} });
  return {
    ...base,
    exists: true,
    rollingUpdate: !sameRevision,
    fromRevision: fromKey,
    toRevision: targetKey,
    replicas: { from, to },
    specChanges: changes(live.spec, desired.spec, 'spec'),
    metadataChanges: changes(meta(live), meta(desired), 'metadata').filter(
      (c) => !c.path.startsWith('metadata.annotations.kubectl.kubernetes.io/last-applied-configuration'),
    ),
    groups,
  };
}

export function formatPlan(plan: ApplyPlan): string {
  const lines: string[] = [];
  const id = `leaderworkerset/${plan.name} -n ${plan.namespace}`;
  if (!plan.exists) {
    lines.push(`${id}: would be created with ${plan.replicas.to} groups at revision ${plan.toRevision}`);
  } else if (plan.specChanges.length === 0 && plan.metadataChanges.length === 0) {
    lines.push(`${id}: no changes`);
  } else {
    lines.push(
      `${id}: ${plan.rollingUpdate ? `ROLLING UPDATE ${plan.fromRevision} → ${plan.toRevision} (${plan.strategy})` : 'no rolling update (revision unchanged)'}`,
    );
    if (plan.replicas.from !== plan.replicas.to) lines.push(`  replicas: ${plan.replicas.from} → ${plan.replicas.to}`);
    lines.push('  changes:');
    for (const c of [...plan.metadataChanges, ...plan.specChanges]) lines.push(`    ${formatChange(c)}`);
  }
  if (plan.exists || plan.groups.length > 0) {
    lines.push('  groups:');
    for (const g of plan.groups) lines.push(`    group ${g.index}: ${groupText(g)}`);
  }
  return lines.join('\n') + '\n';
}

function groupText(g: GroupPlan): string {
  switch (g.action) {
    case 'unchanged':
      return `unchanged (${g.from || 'no pods yet'})`;
    case 'recreate':
      return `recreated by the rolling update ${g.from || '?'} → ${g.to}`;
    case 'create':
      return `created at ${g.to}`;
    case 'delete':
      return `deleted (scale down, was ${g.from || '?'})`;
  }
}

// ------------------------------------------------------------------------------------ DisaggregatedSet

export interface DsChild {
  name: string;
  role: string;
  slice: string;
  /** disaggregatedset.x-k8s.io/revision of the child LWS. */
  revision: string;
  tree: LwsTree;
}

export interface DsView {
  namespace: string;
  name: string;
  slices: number;
  conditions: string[];
  age: string;
  roles: Array<{ name: string; replicas: number; ready: number; updated: number }>;
  /** The child LeaderWorkerSets, by role then slice then name; old revisions next to new ones during a rollout. */
  children: DsChild[];
}

/**
 * A DisaggregatedSet with its roles (from status.roleStatuses, else the spec) and the child LeaderWorkerSets the
 * controller made for it (label disaggregatedset.x-k8s.io/name), each as its group tree.
 */
export function dsView(
  ds: DisaggregatedSet,
  children: ReadonlyArray<{ lws: LeaderWorkerSet; tree: LwsTree }>,
  now: Date,
): DsView {
  const statuses = new Map((ds.status?.roleStatuses ?? []).map((r) => [r.name, r]));
  const label = (l: LeaderWorkerSet, key: string) => l.metadata.labels?.[key] ?? '';
  return {
    namespace: ds.metadata.namespace ?? '',
    name: ds.metadata.name ?? '',
    slices: ds.spec.slices ?? 1,
    conditions: (ds.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type),
    age: age(ds.metadata.creationTimestamp, now),
    roles: ds.spec.roles.map((r) => {
      const s = statuses.get(r.name);
      return {
        name: r.name,
        replicas: s?.replicas ?? r.spec?.replicas ?? 1,
        ready: s?.readyReplicas ?? 0,
        updated: s?.updatedReplicas ?? 0,
      };
    }),
    children: children
      .map(({ lws, tree }) => ({
        name: lws.metadata.name ?? '',
        role: label(lws, DS_ROLE_LABEL),
        slice: label(lws, DS_SLICE_LABEL),
        revision: label(lws, DS_REVISION_LABEL),
        tree,
      }))
      .sort((a, b) => a.role.localeCompare(b.role) || a.slice.localeCompare(b.slice) || a.name.localeCompare(b.name)),
  };
}

export function formatDs(view: DsView, wide = false): string {
  const head =
    `disaggregatedset/${view.name}  slices ${view.slices}  [${view.conditions.join(',') || 'no conditions'}]  age ${view.age}\n` +
    table(
      ['ROLE', 'REPLICAS', 'READY', 'UPDATED', 'LEADERWORKERSETS'],
      view.roles.map((r) => [
        r.name,
        String(r.replicas),
        `${r.ready}/${r.replicas}`,
        `${r.updated}/${r.replicas}`,
        view.children
          .filter((c) => c.role === r.name)
          .map((c) => `${c.name} (${c.revision || '?'})`)
          .join(', ') || '<none>',
      ]),
    );
  const trees = view.children.map(
    (c) =>
      `\n# role ${c.role}${c.slice ? `, slice ${c.slice}` : ''}, revision ${c.revision || '?'}\n${formatTree(c.tree, wide)}`,
  );
  return head + trees.join('');
}
