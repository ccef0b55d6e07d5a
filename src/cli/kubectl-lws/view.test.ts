import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import type { ControllerRevision, Pod } from '../../k8s/client/objects.ts';
import { GROUP_INDEX_LABEL, REVISION_KEY_LABEL, SET_NAME_LABEL, WORKER_INDEX_LABEL } from '../../lws/api/keys.ts';
import { buildControllerRevision, revisionKey } from '../../lws/core/revision.ts';
import { defaultLws, withChange } from '../../tooling/testing/lws-builder.ts';
import type { DisaggregatedSet } from '../../disaggregatedset/api/types.ts';
import {
  applyPlan,
  changes,
  dsView,
  formatDs,
  formatHistory,
  formatPlan,
  formatTree,
  history,
  humanDuration,
  lwsTree,
  rolloutStatus,
  table,
  undoTarget,
} from './view.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration follows kubectl', () => {
  const cases: Array<[number, string]> = [
    [-5 * S, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 20 * S, '3m20s'],
    [10 * M, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [5 * H + 3 * M, '5h3m'],
    [8 * H, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [2 * D + 4 * H, '2d4h'],
    [400 * D, '400d'],
    [3 * 365 * D + 12 * D, '3y12d'],
    [9 * 365 * D, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('table pads columns like kubectl (three spaces, no trailing blanks)', () => {
  assert.equal(
    table(
      ['NAME', 'AGE'],
      [
        ['a', '1s'],
        ['longer', ''],
      ],
    ),
    'NAME     AGE\na        1s\nlonger\n',
  );
});

const withStatus = (lws: LeaderWorkerSet, status: LeaderWorkerSet['status'], generation = 1): LeaderWorkerSet =>
  withChange(lws, (l) => {
    l.metadata.generation = generation;
    l.status = status;
  });

test('rolloutStatus', () => {
  const base = defaultLws('ns', 'x'); // 2 groups
  const inProgress = [
    { type: 'UpdateInProgress', status: 'True' as const, reason: '', message: '', lastTransitionTime: '' },
  ];
  const cases: Array<[string, LeaderWorkerSet, boolean, string]> = [
    [
      'spec not observed',
      withStatus(base, { observedGeneration: 1 }, 2),
      false,
      'Waiting for leaderworkerset "x" spec update to be observed...',
    ],
    [
      'groups not updated',
      withStatus(base, { observedGeneration: 1, updatedReplicas: 1, readyReplicas: 2 }),
      false,
      'Waiting for leaderworkerset "x" rollout to finish: 1 out of 2 new groups have been updated...',
    ],
    [
      'surge groups left',
      withStatus(base, { observedGeneration: 1, updatedReplicas: 2, readyReplicas: 2, replicas: 3 }),
      false,
      'Waiting for leaderworkerset "x" rollout to finish: 1 old groups are pending termination...',
    ],
    [
      'not ready',
      withStatus(base, { observedGeneration: 1, updatedReplicas: 2, readyReplicas: 1 }),
      false,
      'Waiting for leaderworkerset "x" rollout to finish: 1 of 2 updated groups are ready...',
    ],
    [
      'condition still set',
      withStatus(base, { observedGeneration: 1, updatedReplicas: 2, readyReplicas: 2, conditions: inProgress }),
      false,
      'Waiting for leaderworkerset "x" rollout to finish: update in progress...',
    ],
    [
      'done',
      withStatus(base, { observedGeneration: 1, updatedReplicas: 2, readyReplicas: 2, replicas: 2 }),
      true,
      'leaderworkerset "x" successfully rolled out',
    ],
    [
      'partition reached',
      withStatus(
        withChange(base, (l) => (l.spec.rolloutStrategy!.rollingUpdateConfiguration!.partition = 1)),
        { observedGeneration: 1, updatedReplicas: 1, readyReplicas: 2 },
      ),
      true,
      'partitioned roll out complete: 1 new groups have been updated (partition 1)...',
    ],
  ];
  for (const [name, lws, done, message] of cases) assert.deepEqual(rolloutStatus(lws), { done, message }, name);
});

test('changes lists leaf differences with paths', () => {
  assert.deepEqual(changes({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } }), [
    { path: 'b.c[1]', from: 2, to: 3 },
  ]);
  assert.deepEqual(changes({ a: 1 }, { b: 'x' }, 'spec'), [
    { path: 'spec.a', from: 1, to: undefined },
    { path: 'spec.b', from: undefined, to: 'x' },
  ]);
  assert.deepEqual(changes([1], [1, 2]), [{ path: '[1]', from: undefined, to: 2 }]);
  assert.deepEqual(changes({ a: { b: 1 } }, { a: { b: 1 } }), []);
});

// -- a live set: two revisions, group 1 already on the new one, group 0 still old.

const V1 = withChange(defaultLws('ns', 'x'), (l) => {
  l.metadata.uid = 'uid-1';
  l.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
});
const V2 = withChange(V1, (l) => {
  l.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.image = 'nginx:2';
});
const NOW = new Date('2026-01-01T01:00:00Z');
const rev = (lws: LeaderWorkerSet, n: number, created: string): ControllerRevision =>
  withChange(buildControllerRevision(lws, n) as unknown as LeaderWorkerSet, (r) => {
    r.metadata.creationTimestamp = created;
  }) as unknown as ControllerRevision;
const REVS = [rev(V1, 1, '2026-01-01T00:00:00Z'), rev(V2, 2, '2026-01-01T00:50:00Z')];
const K1 = revisionKey(V1);
const K2 = revisionKey(V2);

function pod(group: number, worker: number, key: string, ready: boolean, extra: Partial<Pod['metadata']> = {}): Pod {
  return {
    metadata: {
      name: worker === 0 ? `x-${group}` : `x-${group}-${worker}`,
      namespace: 'ns',
      creationTimestamp: '2026-01-01T00:59:00Z',
      labels: {
        [SET_NAME_LABEL]: 'x',
        [GROUP_INDEX_LABEL]: String(group),
        [WORKER_INDEX_LABEL]: String(worker),
        [REVISION_KEY_LABEL]: key,
      },
      ...extra,
    },
    spec: { nodeName: `kwok-node-${group}`, containers: [] },
    status: {
      phase: 'Running',
      podIP: `10.0.${group}.${worker}`,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'c', restartCount: worker, ready, image: '', imageID: '' } as never],
    },
  };
}

const PODS = [pod(0, 0, K1, true), pod(0, 1, K1, true), pod(1, 0, K2, true), pod(1, 1, K2, false)];

test('lwsTree: groups with their leader and workers, revision and whether it is current', () => {
  const live = withStatus(V2, { readyReplicas: 1, updatedReplicas: 1 });
  const tree = lwsTree(live, PODS, REVS, NOW);
  assert.equal(tree.currentRevision, K2);
  assert.equal(tree.currentRevisionNumber, 2);
  assert.deepEqual(
    tree.groups.map((g) => [g.index, g.ready, g.readyPods, g.current, g.pods.map((p) => `${p.role}:${p.name}`)]),
    [
      [0, true, 2, false, ['leader:x-0', 'worker:x-0-1']],
      [1, false, 1, true, ['leader:x-1', 'worker:x-1-1']],
    ],
  );
  assert.deepEqual(
    tree.groups[1]!.pods.map((p) => [p.node, p.restarts, p.age]),
    [
      ['kwok-node-1', 0, '60s'],
      ['kwok-node-1', 1, '60s'],
    ],
  );
  const text = formatTree(tree);
  assert.match(text, /^leaderworkerset\/x {2}groups 1\/2 ready, 1\/2 updated {2}size 2 {2}revision \S+ \(#2\)/);
  assert.match(text, new RegExp(`├─group 0 +2/2 +Ready +${K1} \\(old\\)`));
  assert.match(text, new RegExp(`│  └─worker 1 x-0-1 +1/1 +Running +${K1} \\(old\\) +1 +60s +kwok-node-0`));
  assert.match(text, new RegExp(`└─group 1 +1/2 +NotReady +${K2} \\(current\\)`));
  assert.doesNotMatch(text, /10\.0\./, 'IP only with -o wide');
  assert.match(formatTree(tree, true), /10\.0\.1\.1/);
});

test('lwsTree: a group without pods yet is listed as Missing', () => {
  const tree = lwsTree(
    withChange(V1, (l) => (l.spec.replicas = 3)),
    PODS.slice(0, 2),
    REVS.slice(0, 1),
    NOW,
  );
  assert.deepEqual(
    tree.groups.map((g) => g.pods.length),
    [2, 0, 0],
  );
  assert.match(formatTree(tree), /└─group 2 +0\/2 +Missing +<none>/);
});

test('history: revisions oldest first with the groups on each and what changed', () => {
  const entries = history(V2, REVS, PODS, NOW);
  assert.deepEqual(
    entries.map((e) => [e.revision, e.current, e.groups, e.age]),
    [
      [1, false, [0], '60m'],
      [2, true, [1], '10m'],
    ],
  );
  assert.deepEqual(entries[1]!.changes, [
    {
      path: 'leaderWorkerTemplate.workerTemplate.spec.containers[0].image',
      from: 'nginxinc/nginx-unprivileged:1.27',
      to: 'nginx:2',
    },
  ]);
  const text = formatHistory('x', entries);
  assert.match(text, /CHANGES/);
  assert.match(
    text,
    /leaderWorkerTemplate\.workerTemplate\.spec\.containers\[0\]\.image: nginxinc\/nginx-unprivileged:1\.27 → nginx:2/,
  );
  assert.match(formatHistory('x', []), /no revisions recorded yet/);
});

test('undoTarget', () => {
  const entries = history(V2, REVS, PODS, NOW);
  assert.deepEqual(undoTarget(entries, undefined), { revision: 1 });
  assert.deepEqual(undoTarget(entries, 1), { revision: 1 });
  assert.deepEqual(undoTarget(entries, 7), { error: 'unable to find specified revision 7 in history' });
  assert.deepEqual(undoTarget(entries, 2), { error: 'revision 2 is already the current revision' });
  assert.match((undoTarget(entries.slice(1), undefined) as { error: string }).error, /no rollout history found/);
});

test('applyPlan: image change is a rolling update of every group not yet on the new revision', () => {
  const groups = new Map([
    [0, K1],
    [1, K1],
  ]);
  const plan = applyPlan(V1, V2, REVS.slice(0, 1), groups);
  assert.equal(plan.rollingUpdate, true);
  assert.equal(plan.fromRevision, K1);
  assert.equal(plan.toRevision, K2);
  assert.deepEqual(
    plan.groups.map((g) => g.action),
    ['recreate', 'recreate'],
  );
  assert.match(formatPlan(plan), /ROLLING UPDATE/);
  assert.match(formatPlan(plan), /group 1: recreated by the rolling update/);
});

test('applyPlan: scaling is no rolling update; partition keeps low groups', () => {
  const scaled = applyPlan(
    V1,
    withChange(V1, (l) => (l.spec.replicas = 3)),
    REVS.slice(0, 1),
    new Map([
      [0, K1],
      [1, K1],
    ]),
  );
  assert.equal(scaled.rollingUpdate, false);
  assert.deepEqual(
    scaled.groups.map((g) => g.action),
    ['unchanged', 'unchanged', 'create'],
  );
  assert.deepEqual(scaled.specChanges, [{ path: 'spec.replicas', from: 2, to: 3 }]);
  const down = applyPlan(
    V1,
    withChange(V1, (l) => (l.spec.replicas = 1)),
    REVS.slice(0, 1),
    new Map(),
  );
  assert.deepEqual(
    down.groups.map((g) => g.action),
    ['unchanged', 'delete'],
  );
  const partitioned = applyPlan(
    V1,
    withChange(V2, (l) => (l.spec.rolloutStrategy!.rollingUpdateConfiguration!.partition = 1)),
    REVS.slice(0, 1),
    new Map(),
  );
  assert.deepEqual(
    partitioned.groups.map((g) => g.action),
    ['unchanged', 'recreate'],
  );
  const same = applyPlan(V1, V1, REVS.slice(0, 1), new Map());
  assert.equal(same.specChanges.length, 0);
  assert.match(formatPlan(same), /no changes/);
});

test('applyPlan: an absent set is created group by group', () => {
  const plan = applyPlan(undefined, V1, [], new Map());
  assert.equal(plan.exists, false);
  assert.deepEqual(
    plan.groups.map((g) => [g.action, g.to]),
    [
      ['create', K1],
      ['create', K1],
    ],
  );
  assert.match(formatPlan(plan), /would be created with 2 groups/);
});

test('dsView: roles from status (spec as fallback), children by role and slice, each with its tree', () => {
  const ds = {
    metadata: { name: 'llm', namespace: 'ns', creationTimestamp: '2026-01-01T00:58:00Z' },
    spec: {
      roles: [
        { name: 'prefill', spec: { replicas: 2 } },
        { name: 'decode', spec: { replicas: 3 } },
      ],
    },
    status: {
      roleStatuses: [{ name: 'prefill', replicas: 2, readyReplicas: 1, updatedReplicas: 2 }],
      conditions: [{ type: 'Progressing', status: 'True' }],
    },
  } as unknown as DisaggregatedSet;
  const child = (role: string, revision: string, name: string) =>
    withChange(V1, (l) => {
      l.metadata.name = name;
      l.metadata.labels = {
        'disaggregatedset.x-k8s.io/role': role,
        'disaggregatedset.x-k8s.io/slice': '0',
        'disaggregatedset.x-k8s.io/revision': revision,
      };
    });
  const children = [child('prefill', 'bbbb', 'llm-0-bbbb-prefill'), child('decode', 'aaaa', 'llm-0-aaaa-decode')].map(
    (lws) => ({ lws, tree: lwsTree(lws, [], [], NOW) }),
  );
  const view = dsView(ds, children, NOW);
  assert.deepEqual(view.roles, [
    { name: 'prefill', replicas: 2, ready: 1, updated: 2 },
    { name: 'decode', replicas: 3, ready: 0, updated: 0 },
  ]);
  assert.deepEqual(
    view.children.map((c) => [c.role, c.slice, c.revision, c.name]),
    [
      ['decode', '0', 'aaaa', 'llm-0-aaaa-decode'],
      ['prefill', '0', 'bbbb', 'llm-0-bbbb-prefill'],
    ],
  );
  const text = formatDs(view);
  assert.match(text, /^disaggregatedset\/llm {2}slices 1 {2}\[Progressing\] {2}age 2m\n/);
  assert.match(text, /prefill +2 +1\/2 +2\/2 +llm-0-bbbb-prefill \(bbbb\)/);
  assert.match(text, /# role decode, slice 0, revision aaaa\nleaderworkerset\/llm-0-aaaa-decode /);
});
