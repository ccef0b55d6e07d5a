/**
 * Replays every case of upstream pkg/controllers/disaggregatedset/executor_test.go (v0.10.0). The
 * fake-client tests run the pure reconcile / executor decisions against an in-memory object list.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  InitialReplicasAnnotationKey,
  RevisionLabelKey,
  RoleLabelKey,
  SetNameLabelKey,
  SliceLabelKey,
} from '../api/keys.ts';
import type { DisaggregatedRoleSpec, DisaggregatedSet, IntOrString, LeaderWorkerSetLike } from '../api/types.ts';
import {
  decideRollingUpdate,
  isRevisionStable,
  planScaleDownOld,
  planScaleUpNew,
  sortByNewestTimestamp,
  type ScaleOp,
} from './executor.ts';
import { extractRollingUpdateConfig } from './rollout.ts';
import { reconcile, ReconcileSession, type World } from './reconcile.ts';
import { computeRevision, plainJSONEncoder } from './revision.ts';
import { bareOwner, buildDS, emptyWorld, lws, makeRoleSpec, replicasOf, simulateAllReady } from './testkit.ts';
import { getRoleConfigs, getTotalReplicasPerRole, type RevisionRoles, type RevisionRolesList } from './utils.ts';

const encode = plainJSONEncoder;
const base = Date.parse('2025-01-01T00:00:00Z');
const at = (minutes: number): string => new Date(base + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const rev = (revision: string, roles: Record<string, LeaderWorkerSetLike>): RevisionRoles => ({
  revision,
  roles: new Map(Object.entries(roles)),
});
const roleNames = ['prefill', 'decode'];

/** Applies scale ops to name -> replicas, requiring each target to exist (a fake-client Get). */
function applyOps(state: Map<string, number>, ops: readonly ScaleOp[]): void {
  for (const op of ops) {
    assert.ok(state.has(op.name), `scale of missing LWS ${op.name}`);
    state.set(op.name, op.to);
  }
}

describe('executor: TestReconcilerIntegration', () => {
  const cases: {
    name: string;
    deployName: string;
    target: number;
    oldSpec: number;
    oldReady: number;
    newSpec: number;
    newReady: number;
    maxSurge?: number;
    maxUnavailable?: number;
    expectRequeue?: boolean;
    expectOldDeleted?: boolean;
    expectOldScaledDown?: boolean;
    expectNewCreated?: boolean;
  }[] = [
    {
      name: 'completes and cleans up old workloads',
      deployName: 'test-complete',
      target: 2,
      oldSpec: 0,
      oldReady: 0,
      newSpec: 2,
      newReady: 2,
      expectRequeue: false,
      expectOldDeleted: true,
    },
    {
      name: 'advances through rolling update',
      deployName: 'test-advance',
      target: 2,
      oldSpec: 2,
      oldReady: 2,
      newSpec: -1,
      newReady: -1,
      expectRequeue: true,
      expectNewCreated: true,
    },
    {
      name: 'no scale down until new ready',
      deployName: 'test-maxunavail',
      target: 4,
      oldSpec: 4,
      oldReady: 4,
      newSpec: 2,
      newReady: 0,
      maxSurge: 2,
      maxUnavailable: 0,
      expectOldScaledDown: false,
    },
    {
      name: 'scales down when new ready',
      deployName: 'test-partial',
      target: 4,
      oldSpec: 4,
      oldReady: 4,
      newSpec: 4,
      newReady: 4,
      maxSurge: 2,
      maxUnavailable: 0,
      expectOldScaledDown: true,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };
      const mkRole = (name: string): DisaggregatedRoleSpec => ({
        name,
        spec: {
          replicas: tc.target,
          leaderWorkerTemplate: { size: 2, workerTemplate: { spec: structuredClone(podSpec) } },
          rolloutStrategy:
            tc.maxSurge === undefined
              ? {}
              : { rollingUpdateConfiguration: { maxSurge: tc.maxSurge, maxUnavailable: tc.maxUnavailable! } },
        },
      });
      const roles = [mkRole('prefill'), mkRole('decode')];
      const ds = buildDS(tc.deployName, roles, { uid: 'uid' });
      const newRevision = computeRevision(roles, encode);
      const objs: LeaderWorkerSetLike[] = [];
      for (const [revision, spec, ready] of [
        ['oldhash', tc.oldSpec, tc.oldReady],
        [newRevision, tc.newSpec, tc.newReady],
      ] as const) {
        if (spec < 0) continue;
        for (const role of roleNames) {
          objs.push(
            lws(`${tc.deployName}-0-${revision}-${role}`, {
              role,
              revision,
              dsName: tc.deployName,
              replicas: spec,
              statusReplicas: spec,
              ready,
              owner: bareOwner(ds),
            }),
          );
        }
      }
      const r = reconcile(emptyWorld(ds, objs), { encodeRoleTemplates: encode });
      assert.deepEqual(r.errors, []);
      if (tc.expectRequeue) assert.notEqual(r.requeueAfterMs, 0);
      for (const role of roleNames) {
        const oldName = `${tc.deployName}-0-oldhash-${role}`;
        if (tc.expectOldDeleted) assert.equal(replicasOf(r.world, oldName), -1, `old ${role} should be deleted`);
        if (tc.expectOldScaledDown)
          assert.ok(replicasOf(r.world, oldName) < tc.oldSpec, `old ${role} should scale down`);
        if (tc.expectOldScaledDown === false) assert.equal(replicasOf(r.world, oldName), tc.oldSpec);
        if (tc.expectNewCreated) {
          assert.notEqual(
            replicasOf(r.world, `${tc.deployName}-0-${newRevision}-${role}`),
            -1,
            `new ${role} should be created`,
          );
        }
      }
    });
  }
});

describe('executor: TestSortByNewestTimestamp', () => {
  const mk = (hash: string, offset: number): RevisionRoles =>
    rev(hash, { prefill: lws('', { created: at(offset) }), decode: lws('', { created: at(offset) }) });
  const cases: [string, string[], number[], string[]][] = [
    ['empty list', [], [], []],
    ['single workload', ['hash1'], [0], ['hash1']],
    ['three workloads unsorted', ['newest', 'oldest', 'middle'], [120, 0, 60], ['newest', 'middle', 'oldest']],
    ['four workloads unsorted', ['d', 'a', 'c', 'b'], [30, 0, 20, 10], ['d', 'c', 'b', 'a']],
  ];
  for (const [name, hashes, offsets, expected] of cases) {
    it(name, () => {
      const input = hashes.map((h, i) => mk(h, offsets[i]!));
      assert.deepEqual(
        sortByNewestTimestamp(input, roleNames).map((r) => r.revision),
        expected,
      );
    });
  }
  it('does not modify original slice', () => {
    const input = [mk('second', 60), mk('first', 0)];
    sortByNewestTimestamp(input, roleNames);
    assert.equal(input[0]!.revision, 'second');
  });
  it('uses max timestamp across roles', () => {
    const input: RevisionRolesList = [
      rev('A', { prefill: lws('', { created: at(0) }), decode: lws('', { created: at(20) }) }),
      rev('B', { prefill: lws('', { created: at(10) }), decode: lws('', { created: at(10) }) }),
    ];
    assert.deepEqual(
      sortByNewestTimestamp(input, roleNames).map((r) => r.revision),
      ['A', 'B'],
    );
  });
});

describe('executor: TestIsRevisionStable', () => {
  const cases: [string, number, number, number, number, boolean][] = [
    ['all roles stable', 3, 3, 2, 2, true],
    ['prefill unstable', 3, 2, 2, 2, false],
    ['decode unstable', 3, 3, 2, 1, false],
    ['both roles unstable', 3, 1, 2, 0, false],
    ['zero replicas stable', 0, 0, 0, 0, true],
  ];
  for (const [name, pr, prr, dr, drr, expected] of cases) {
    it(name, () => {
      const r = rev('hash1', {
        prefill: lws('', { replicas: pr, ready: prr }),
        decode: lws('', { replicas: dr, ready: drr }),
      });
      assert.equal(isRevisionStable(r, roleNames), expected);
    });
  }
});

describe('executor: TestGetRoleConfigs', () => {
  it('maps role name to its spec', () => {
    const ds = buildDS('x', [
      { name: 'prefill', spec: { replicas: 3 } },
      { name: 'decode', spec: { replicas: 5 } },
    ]);
    const configs = getRoleConfigs(ds);
    assert.equal(configs.get('prefill')!.spec!.replicas, 3);
    assert.equal(configs.get('decode')!.spec!.replicas, 5);
  });
});

function rolloutDS(
  prefill: { replicas: number; surge?: IntOrString; unavail?: IntOrString; has: boolean },
  decode: { replicas: number; surge?: IntOrString; unavail?: IntOrString; has: boolean },
): DisaggregatedSet {
  const mk = (name: string, r: typeof prefill): DisaggregatedRoleSpec => {
    const rc: Record<string, IntOrString> = {};
    if (r.surge !== undefined) rc.maxSurge = r.surge;
    if (r.unavail !== undefined) rc.maxUnavailable = r.unavail;
    return { name, spec: { replicas: r.replicas, rolloutStrategy: r.has ? { rollingUpdateConfiguration: rc } : {} } };
  };
  return buildDS('x', [mk('prefill', prefill), mk('decode', decode)]);
}

describe('executor: TestExtractRollingUpdateConfig', () => {
  type P = number | undefined;
  const cases: [string, P, P, P, P, number, number, number, number][] = [
    ['defaults when nil', undefined, undefined, undefined, undefined, 1, 0, 1, 0],
    ['custom prefill only', 3, 1, undefined, undefined, 3, 1, 1, 0],
    ['custom decode only', undefined, undefined, 2, 0, 1, 0, 2, 0],
    ['partial prefill (surge only)', 5, 0, undefined, undefined, 5, 0, 1, 0],
    ['both custom', 2, 1, 3, 2, 2, 1, 3, 2],
    ['surge=0 with unavail allows zero surge', 0, 4, 0, 2, 0, 4, 0, 2],
    ['surge=0 without unavail keeps default', 0, 0, 0, 0, 1, 0, 1, 0],
  ];
  for (const [name, ps, pu, dsur, du, eps, epu, eds, edu] of cases) {
    it(name, () => {
      const ds = rolloutDS(
        { replicas: 3, surge: ps, unavail: pu, has: ps !== undefined || pu !== undefined },
        { replicas: 2, surge: dsur, unavail: du, has: dsur !== undefined || du !== undefined },
      );
      assert.deepEqual(extractRollingUpdateConfig(ds, roleNames, undefined), [
        { maxSurge: eps, maxUnavailable: epu },
        { maxSurge: eds, maxUnavailable: edu },
      ]);
    });
  }
});

describe('executor: TestExtractRollingUpdateConfigWithPercentages', () => {
  const cases: [string, number, number, string, string, string, string, number, number, number, number][] = [
    ['50% surge on 4 replicas = 2', 4, 4, '50%', '0', '50%', '0', 2, 0, 2, 0],
    ['25% unavailable on 4 replicas = 1', 4, 4, '0', '25%', '0', '25%', 0, 1, 0, 1],
    ['surge rounds up, unavail rounds down', 10, 10, '25%', '25%', '25%', '25%', 3, 2, 3, 2],
    ['100% surge', 5, 5, '100%', '0', '100%', '0', 5, 0, 5, 0],
  ];
  for (const [name, pr, dr, ps, pu, dsur, du, eps, epu, eds, edu] of cases) {
    it(name, () => {
      const ds = rolloutDS(
        { replicas: pr, surge: ps, unavail: pu, has: true },
        { replicas: dr, surge: dsur, unavail: du, has: true },
      );
      assert.deepEqual(extractRollingUpdateConfig(ds, roleNames, undefined), [
        { maxSurge: eps, maxUnavailable: epu },
        { maxSurge: eds, maxUnavailable: edu },
      ]);
    });
  }
});

describe('executor: TestScaleDownOld', () => {
  interface Def {
    revision: string;
    prefill: number;
    decode: number;
    ageHours: number;
    expectedPrefill: number;
    expectedDecode: number;
  }
  const cases: [string, Def[], number, number][] = [
    [
      'single workload scales down',
      [{ revision: 'hash1', prefill: 4, decode: 4, ageHours: 0, expectedPrefill: 2, expectedDecode: 2 }],
      2,
      2,
    ],
    [
      'multiple workloads drain newest first',
      [
        { revision: 'oldest', prefill: 2, decode: 2, ageHours: 0, expectedPrefill: 2, expectedDecode: 2 },
        { revision: 'newer', prefill: 2, decode: 2, ageHours: 1, expectedPrefill: 0, expectedDecode: 0 },
      ],
      2,
      2,
    ],
    [
      'coordinated drain when one role reaches zero',
      [{ revision: 'hash1', prefill: 3, decode: 2, ageHours: 0, expectedPrefill: 0, expectedDecode: 0 }],
      1,
      2,
    ],
    [
      'budget exhaustion stops mid-workload',
      [{ revision: 'hash1', prefill: 6, decode: 6, ageHours: 0, expectedPrefill: 4, expectedDecode: 4 }],
      2,
      2,
    ],
    [
      'three workloads drain newest then middle',
      [
        { revision: 'oldest', prefill: 2, decode: 2, ageHours: 0, expectedPrefill: 2, expectedDecode: 2 },
        { revision: 'middle', prefill: 2, decode: 2, ageHours: 1, expectedPrefill: 0, expectedDecode: 0 },
        { revision: 'newest', prefill: 2, decode: 2, ageHours: 2, expectedPrefill: 0, expectedDecode: 0 },
      ],
      4,
      4,
    ],
    [
      'partial drain of newest without coordinated trigger',
      [
        { revision: 'hashA', prefill: 1, decode: 2, ageHours: 0, expectedPrefill: 1, expectedDecode: 2 },
        { revision: 'hashB', prefill: 3, decode: 3, ageHours: 1, expectedPrefill: 2, expectedDecode: 2 },
      ],
      1,
      1,
    ],
    [
      'drains newest without spilling to older',
      [
        { revision: 'oldest', prefill: 1, decode: 1, ageHours: 0, expectedPrefill: 1, expectedDecode: 1 },
        { revision: 'newer', prefill: 3, decode: 3, ageHours: 1, expectedPrefill: 1, expectedDecode: 1 },
      ],
      2,
      2,
    ],
  ];
  for (const [name, defs, prefillBudget, decodeBudget] of cases) {
    it(name, () => {
      const state = new Map<string, number>();
      const grouped: RevisionRolesList = defs.map((d) => {
        const baseName = `test-0-${d.revision}`;
        state.set(`${baseName}-prefill`, d.prefill);
        state.set(`${baseName}-decode`, d.decode);
        return rev(d.revision, {
          prefill: lws(`${baseName}-prefill`, { replicas: d.prefill, created: at(d.ageHours * 60) }),
          decode: lws(`${baseName}-decode`, { replicas: d.decode, created: at(d.ageHours * 60) }),
        });
      });
      const current = [getTotalReplicasPerRole(grouped, 'prefill'), getTotalReplicasPerRole(grouped, 'decode')];
      const target = [current[0]! - prefillBudget, current[1]! - decodeBudget];
      applyOps(state, planScaleDownOld(grouped, roleNames, current, target));
      for (const d of defs) {
        assert.equal(state.get(`test-0-${d.revision}-prefill`), d.expectedPrefill);
        assert.equal(state.get(`test-0-${d.revision}-decode`), d.expectedDecode);
      }
    });
  }
});

describe('executor: TestScaleDownOldWithMissingRole', () => {
  const cases: [string, number, number, number, number, number][] = [
    ['missing role should not trigger coordinated drain', 0, 1, 0, 4, 3],
    ['normal drain with missing role', 1, 1, 0, 3, 3],
    ['coordinated drain only when existing role reaches zero', 4, 0, 0, 0, 0],
  ];
  for (const [name, pb, db, eb, ep, ed] of cases) {
    it(name, () => {
      const state = new Map([
        ['test-0-oldhash-prefill', 4],
        ['test-0-oldhash-decode', 4],
      ]);
      const grouped = [
        rev('oldhash', {
          prefill: lws('test-0-oldhash-prefill', { replicas: 4, created: at(0) }),
          decode: lws('test-0-oldhash-decode', { replicas: 4, created: at(0) }),
        }),
      ];
      const three = ['prefill', 'decode', 'encode'];
      const current = three.map((r) => getTotalReplicasPerRole(grouped, r));
      const target = [current[0]! - pb, current[1]! - db, current[2]! - eb];
      applyOps(state, planScaleDownOld(grouped, three, current, target));
      assert.equal(state.get('test-0-oldhash-prefill'), ep, 'prefill replicas mismatch');
      assert.equal(state.get('test-0-oldhash-decode'), ed, 'decode replicas mismatch');
    });
  }
});

describe('executor: TestScaleUpNew', () => {
  const cases: [string, number, number, number, number, number, number, number, number][] = [
    ['scales up prefill only', 2, 4, 2, 4, 4, 4, 4, 4],
    ['scales up decode only', 4, 2, 4, 2, 4, 4, 4, 4],
    ['scales up both roles', 1, 2, 1, 2, 4, 4, 4, 4],
    ['no-op when at target', 4, 4, 4, 4, 4, 4, 4, 4],
  ];
  for (const [name, ip, id, wp, wd, tp, td, ep, ed] of cases) {
    it(name, () => {
      const state = new Map([
        ['test-0-newhash-prefill', ip],
        ['test-0-newhash-decode', id],
      ]);
      const newRevision = rev('newhash', { prefill: lws('', { replicas: wp }), decode: lws('', { replicas: wd }) });
      const ops = planScaleUpNew('test', 0, newRevision, roleNames, new Set(roleNames), [wp, wd], [tp, td]);
      applyOps(state, ops);
      assert.equal(state.get('test-0-newhash-prefill'), ep);
      assert.equal(state.get('test-0-newhash-decode'), ed);
    });
  }
});

describe('executor: TestEnsureNewLWSExists', () => {
  for (const [name, existing, expectedCreated, expectedReplicas] of [
    ['creates workload when missing', -1, true, 2],
    ['no-op when workload already exists', 3, false, 3],
  ] as const) {
    it(name, () => {
      const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };
      const role = (n: string): DisaggregatedRoleSpec => ({
        name: n,
        spec: { replicas: 4, leaderWorkerTemplate: { size: 1, workerTemplate: { spec: structuredClone(podSpec) } } },
      });
      const ds = buildDS('test', [role('prefill'), role('decode')], { uid: 'test-uid' });
      const objs =
        existing >= 0
          ? [
              lws('test-0-newhash-prefill', {
                role: 'prefill',
                revision: 'newhash',
                replicas: existing,
                statusReplicas: existing,
                ready: existing,
                created: at(0),
              }),
            ]
          : [];
      const session = new ReconcileSession(emptyWorld(ds, objs), { encodeRoleTemplates: encode });
      assert.equal(session.ensureNewLWSExists(0, 'newhash', 'prefill', 2), expectedCreated);
      assert.equal(replicasOf(session.snapshot(), 'test-0-newhash-prefill'), expectedReplicas);
    });
  }
});

describe('executor: TestReconcileRollingUpdateABCScenario', () => {
  const cases: {
    name: string;
    a: [number, number];
    b: [number, number];
    c: [number, number];
    eA: [number, number];
    eB: [number, number];
    eC: [number, number];
  }[] = [
    {
      name: 'first step scales up C without drain',
      a: [2, 2],
      b: [2, 2],
      c: [0, 0],
      eA: [2, 2],
      eB: [2, 2],
      eC: [1, 1],
    },
    { name: 'C scales up while B stays', a: [0, 0], b: [2, 2], c: [2, 2], eA: [0, 0], eB: [2, 2], eC: [3, 3] },
    { name: 'drains newest old workload first', a: [2, 2], b: [2, 2], c: [2, 2], eA: [2, 2], eB: [1, 1], eC: [2, 2] },
  ];
  const initAnnot = { [InitialReplicasAnnotationKey]: '2' };
  for (const tc of cases) {
    it(tc.name, () => {
      const state = new Map<string, number>();
      const aPresent = tc.a[0] > 0 || tc.a[1] > 0;
      if (aPresent) {
        state.set('test-0-hashA-prefill', tc.a[0]);
        state.set('test-0-hashA-decode', tc.a[1]);
      }
      for (const [h, v] of [
        ['hashB', tc.b],
        ['hashC', tc.c],
      ] as const) {
        state.set(`test-0-${h}-prefill`, v[0]);
        state.set(`test-0-${h}-decode`, v[1]);
      }
      const ds = buildDS('test', [
        { name: 'prefill', spec: { replicas: 4 } },
        { name: 'decode', spec: { replicas: 4 } },
      ]);
      const old: RevisionRolesList = (
        [
          ['hashA', tc.a, 0],
          ['hashB', tc.b, 60],
        ] as const
      ).map(([h, v, t]) =>
        rev(h, {
          prefill: lws(`test-0-${h}-prefill`, { replicas: v[0], ready: v[0], annotations: initAnnot, created: at(t) }),
          decode: lws(`test-0-${h}-decode`, { replicas: v[1], ready: v[1], annotations: initAnnot, created: at(t) }),
        }),
      );
      const cur = rev('hashC', {
        prefill: lws('', { replicas: tc.c[0], ready: tc.c[0] }),
        decode: lws('', { replicas: tc.c[1], ready: tc.c[1] }),
      });
      const d = decideRollingUpdate(ds, 0, old, cur, undefined);
      assert.equal(d.kind, 'step');
      if (d.kind !== 'step') return;
      applyOps(state, d.scaleUp);
      applyOps(state, d.scaleDown);
      if (aPresent) {
        assert.equal(state.get('test-0-hashA-prefill'), tc.eA[0]);
        assert.equal(state.get('test-0-hashA-decode'), tc.eA[1]);
      }
      assert.equal(state.get('test-0-hashB-prefill'), tc.eB[0]);
      assert.equal(state.get('test-0-hashB-decode'), tc.eB[1]);
      assert.equal(state.get('test-0-hashC-prefill'), tc.eC[0]);
      assert.equal(state.get('test-0-hashC-decode'), tc.eC[1]);
    });
  }
});

/** setupABCScenario: revisions A, B (existing) and C (spec) differing only by image. */
function setupABC(
  target: [number, number],
  a: [number, number],
  b: [number, number],
  prefill: [number, number],
  decode: [number, number],
): { world: World; revisions: { A: string; B: string; C: string } } {
  const pod = (img: string) => ({ containers: [{ name: 'c', image: `img:${img}` }] });
  const roles = (img: string) => [
    makeRoleSpec('prefill', target[0], pod(img), prefill[0], prefill[1]),
    makeRoleSpec('decode', target[1], pod(img), decode[0], decode[1]),
  ];
  const revisions = {
    A: computeRevision(roles('a'), encode),
    B: computeRevision(roles('b'), encode),
    C: computeRevision(roles('c'), encode),
  };
  const ds = buildDS('test', roles('c'), { uid: 'uid' });
  const objs: LeaderWorkerSetLike[] = [];
  for (const [r, v] of [
    [revisions.A, a],
    [revisions.B, b],
  ] as const) {
    if (v[0] <= 0 && v[1] <= 0) continue;
    for (const [i, role] of roleNames.entries()) {
      objs.push(
        lws(`test-0-${r}-${role}`, {
          labels: { [RoleLabelKey]: role, [SetNameLabelKey]: 'test', [SliceLabelKey]: '0', [RevisionLabelKey]: r },
          replicas: v[i]!,
          statusReplicas: v[i]!,
          ready: v[i]!,
          owner: bareOwner(ds),
        }),
      );
    }
  }
  return { world: emptyWorld(ds, objs), revisions };
}

const drained = (world: World, revision: string, role: string): boolean => {
  const r = replicasOf(world, `test-0-${revision}-${role}`);
  return r === 0 || r === -1;
};

describe('executor: multi-step A→B→C scenarios', () => {
  it('TestMidRolloutABC', () => {
    const { world: w0, revisions } = setupABC([2, 4], [1, 2], [1, 2], [1, 0], [1, 0]);
    let world = w0;
    for (let i = 0; i < 20; i++) {
      const r = reconcile(world, { encodeRoleTemplates: encode });
      assert.deepEqual(r.errors, [], `iteration ${i}`);
      world = simulateAllReady(r.world);
    }
    for (const role of roleNames) {
      assert.ok(drained(world, revisions.A, role));
      assert.ok(drained(world, revisions.B, role));
    }
    assert.equal(replicasOf(world, `test-0-${revisions.C}-prefill`), 2);
    assert.equal(replicasOf(world, `test-0-${revisions.C}-decode`), 4);
  });

  it('TestAsymmetricSizesCoordinatedDrain', () => {
    const { world: w0, revisions } = setupABC([4, 3], [1, 2], [3, 1], [1, 0], [2, 0]);
    let world = w0;
    const norm = (v: number): number => (v === -1 ? 0 : v);
    for (let i = 0; i < 20; i++) {
      const r = reconcile(world, { encodeRoleTemplates: encode });
      assert.deepEqual(r.errors, [], `iteration ${i}`);
      world = simulateAllReady(r.world);
      for (const x of [revisions.A, revisions.B]) {
        const p = norm(replicasOf(world, `test-0-${x}-prefill`));
        const d = norm(replicasOf(world, `test-0-${x}-decode`));
        assert.equal(p === 0, d === 0, `step ${i}: ${x} orphaned - prefill=${p}, decode=${d}`);
      }
    }
    for (const role of roleNames) {
      assert.ok(drained(world, revisions.A, role));
      assert.ok(drained(world, revisions.B, role));
    }
    assert.equal(replicasOf(world, `test-0-${revisions.C}-prefill`), 4);
    assert.equal(replicasOf(world, `test-0-${revisions.C}-decode`), 3);
  });
});
