/**
 * @module testing/differential/ds-cases
 * Random DisaggregatedSet admission cases for upstream's `vdisaggregatedset.kb.io` webhook: valid objects, objects
 * breaking one rule (values on both sides of each boundary: rollout types, partitions, maxSurge/maxUnavailable
 * formats and their zero-after-scaling combination, External scaling's scaler name, warning and slices rules,
 * placement policies and the exclusive-topology annotations wherever they take effect), explicit nulls, names
 * near the limits our generated-name rule adds, updates of a stored object, and free fuzzing.
 */
import type { Rng } from './prng.ts';
import type { DsCase, Json, JsonObject } from './types.ts';

const EXCLUSIVE = 'leaderworkerset.sigs.k8s.io/exclusive-topology';
const SUBGROUP_EXCLUSIVE = 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology';
const MAX_INT32 = 2147483647;
const MIN_INT32 = -2147483648;

type Built = { category: string; object: JsonObject };
const obj = (v: Json | undefined): JsonObject => v as JsonObject;
const rolesOf = (ds: JsonObject) => obj(ds.spec).roles as JsonObject[];
const roleSpec = (role: JsonObject) => (role.spec ??= {}) as JsonObject;

const ROLE_NAMES = ['prefill', 'decode', 'encode', 'a', 'gamma', 'decode-long-context', 'r1', 'zeta'];
const DS_NAMES = ['test', 'my-ds', 'llm', 'ds', 'placement-test', 'a.b', 'x1'];
const TOPOLOGIES = ['kubernetes.io/hostname', 'cloud.google.com/gke-nodepool', 'topology.kubernetes.io/zone'];
const BAD_TYPES = [
  'Recreate',
  'OnDelete',
  'rollingupdate',
  ' RollingUpdate',
  'Foo<>&',
  'ünï',
  'a"b',
  'RollingUpdate\n',
];
const PERCENTS_OK = ['0%', '1%', '25%', '50%', '99%', '100%'];
const PERCENTS_BAD = [
  '101%',
  '200%',
  '99999999999999999999%',
  'abc',
  '50 %',
  ' 50%',
  '%',
  '-5%',
  '5',
  '1.5%',
  '+5%',
  '',
  '5%%',
  '٥%',
  '0x10%',
];

function template(rng: Rng): JsonObject {
  const container: JsonObject = { name: 'main', image: rng.pick(['nginx:1.14.2', 'registry.k8s.io/pause:3.9']) };
  if (rng.chance(0.3)) container.ports = [{ containerPort: 8080, protocol: 'TCP' }];
  if (rng.chance(0.2)) container.resources = { limits: { cpu: '1' } };
  const t: JsonObject = { spec: { containers: [container] } };
  if (rng.chance(0.3)) t.metadata = { labels: { app: 'model' } };
  if (rng.chance(0.2)) t.metadata = { annotations: { 'example.com/a': 'b' } };
  return t;
}

function validRollout(rng: Rng, replicas: number): JsonObject | undefined {
  const r = rng.int(0, 5);
  if (r === 0) return undefined;
  if (r === 1) return { type: 'RollingUpdate' };
  const config: JsonObject = {};
  const maybe = (k: string, v: Json) => rng.chance(0.7) && (config[k] = v);
  maybe('maxSurge', rng.pick<Json>([0, 1, 2, 3, ...PERCENTS_OK]));
  maybe('maxUnavailable', rng.pick<Json>([1, 2, 0, '50%', '100%', '34%']));
  if (rng.chance(0.3)) config.partition = 0;
  // Keep it valid: both zero after scaling is a rule of its own.
  if (replicas > 0 && (config.maxSurge === 0 || config.maxSurge === '0%' || config.maxSurge === undefined)) {
    if (config.maxUnavailable === 0 || config.maxUnavailable === '0%') config.maxUnavailable = 1;
  }
  const strategy: JsonObject = { rollingUpdateConfiguration: config };
  if (rng.chance(0.6)) strategy.type = 'RollingUpdate';
  return strategy;
}

function role(rng: Rng, name: string, replicas: number | undefined): JsonObject {
  const spec: JsonObject = { leaderWorkerTemplate: { workerTemplate: template(rng) } };
  if (replicas !== undefined) spec.replicas = replicas;
  const lwt = obj(spec.leaderWorkerTemplate);
  if (rng.chance(0.4)) lwt.size = rng.pick([1, 2, 4]);
  if (rng.chance(0.3)) lwt.leaderTemplate = template(rng);
  if (rng.chance(0.2)) lwt.restartPolicy = rng.pick(['RecreateGroupOnPodRestart', 'None']);
  const rollout = validRollout(rng, replicas ?? 1);
  if (rollout) spec.rolloutStrategy = rollout;
  if (rng.chance(0.2)) spec.startupPolicy = rng.pick(['LeaderCreated', 'LeaderReady']);
  const r: JsonObject = { name, spec };
  if (rng.chance(0.3)) r.metadata = { labels: { 'kueue.x-k8s.io/queue-name': `${name}-queue` } };
  if (rng.chance(0.2)) r.metadata = { ...obj(r.metadata ?? {}), annotations: { 'custom-lws-annotation': 'x' } };
  if (rng.chance(0.15)) r.scaling = { mode: 'Static' };
  if (rng.chance(0.05)) r.scaling = {};
  return r;
}

function validDs(rng: Rng): JsonObject {
  const count = rng.pick([2, 2, 2, 3, 4]);
  const names = [...ROLE_NAMES];
  for (let i = names.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  names.length = count;
  const zero = rng.chance(0.1);
  const roles = names.map((n) => role(rng, n, zero ? rng.pick([0, undefined]) : rng.pick([1, 2, 3, 6, undefined])));
  const spec: JsonObject = { roles };
  if (rng.chance(0.3)) spec.slices = rng.pick([1, 2, 3, 100]);
  if (rng.chance(0.2)) {
    // External roles: slices must stay 1 to be valid.
    const r = rng.pick(roles);
    r.scaling = { mode: 'External' };
    if (rng.chance(0.5)) roleSpec(r).replicas = rng.pick([0, 1]);
    delete spec.slices;
  }
  if (rng.chance(0.3)) {
    spec.placementPolicy = rng.chance(0.2)
      ? { type: 'None' }
      : { type: rng.pick(['ExclusiveSlice', 'ExclusiveTopology']), topology: rng.pick(TOPOLOGIES) };
  } else if (rng.chance(0.15)) {
    rng.pick(roles).metadata = { annotations: { [rng.pick([EXCLUSIVE, SUBGROUP_EXCLUSIVE])]: 'rack' } };
  }
  const metadata: JsonObject = { name: rng.pick(DS_NAMES), namespace: 'default' };
  if (rng.chance(0.2)) metadata.labels = { team: 'ml' };
  return { apiVersion: 'disaggregatedset.x-k8s.io/v1', kind: 'DisaggregatedSet', metadata, spec };
}

const setReplicasPositive = (ds: JsonObject, r: JsonObject, n = 2) => {
  for (const x of rolesOf(ds))
    if ((x.scaling as JsonObject | null | undefined)?.mode !== 'External') roleSpec(x).replicas = n;
  roleSpec(r).replicas = n;
};

/** One rule broken, or put on its edge. */
const RULES: Record<string, (rng: Rng, ds: JsonObject) => void> = {
  'rollout-type': (rng, ds) => {
    const r = rng.pick(rolesOf(ds));
    const s = (roleSpec(r).rolloutStrategy ??= {}) as JsonObject;
    s.type = rng.pick<Json>([...BAD_TYPES, 'RollingUpdate', '']);
  },
  partition: (rng, ds) => {
    const r = rng.pick(rolesOf(ds));
    const s = (roleSpec(r).rolloutStrategy ??= {}) as JsonObject;
    const c = (s.rollingUpdateConfiguration ??= {}) as JsonObject;
    c.partition = rng.pick([MIN_INT32, -1, 0, 1, 2, 5, MAX_INT32]);
    if (rng.chance(0.3)) setReplicasPositive(ds, r, rng.pick([0, 1, 3]));
  },
  'max-surge-unavailable': (rng, ds) => {
    const r = rng.pick(rolesOf(ds));
    const s = (roleSpec(r).rolloutStrategy ??= { type: 'RollingUpdate' }) as JsonObject;
    const c = (s.rollingUpdateConfiguration ??= {}) as JsonObject;
    const value = (): Json =>
      rng.pick<() => Json>([
        () => rng.pick(PERCENTS_BAD),
        () => rng.pick(PERCENTS_OK),
        () => rng.pick([-1, MIN_INT32, 0, 1, 5, MAX_INT32]),
      ])();
    if (rng.chance(0.7)) c.maxSurge = value();
    if (rng.chance(0.7)) c.maxUnavailable = value();
    if (rng.chance(0.5)) setReplicasPositive(ds, r, rng.pick([0, 1, 2, 3, 100]));
  },
  'both-zero': (rng, ds) => {
    const r = rng.pick(rolesOf(ds));
    const zeroish = ['0%', 0, '1%', '10%', '49%', '50%', 1, '99%'];
    roleSpec(r).rolloutStrategy = {
      ...(rng.chance(0.5) ? { type: 'RollingUpdate' } : {}),
      rollingUpdateConfiguration: { maxSurge: rng.pick<Json>(zeroish), maxUnavailable: rng.pick<Json>(zeroish) },
    };
    const n = rng.pick([0, 1, 2, 3, 9, 10, 11, 100, 1000000]);
    if (rng.chance(0.8)) setReplicasPositive(ds, r, n);
    else delete roleSpec(r).replicas;
  },
  'external-scaler-name': (rng, ds) => {
    const r = rng.pick(rolesOf(ds));
    r.scaling = { mode: 'External' };
    const roleName = String(r.name);
    // len(ds) + 1 + len(role) around 253.
    const length = Math.max(1, 253 - 1 - roleName.length + rng.pick([-1, 0, 1, 2, 10]));
    obj(ds.metadata).name = 'a'.repeat(Math.min(length, 253));
    delete obj(ds.spec).slices;
  },
  'external-warning': (rng, ds) => {
    const r = rng.pick(rolesOf(ds));
    r.scaling = { mode: 'External' };
    const replicas = rng.pick<Json>([0, 1, 2, 3, 1000000, MAX_INT32, undefined as unknown as Json]);
    if (replicas === undefined) delete roleSpec(r).replicas;
    else roleSpec(r).replicas = replicas;
    if (rng.chance(0.3)) rng.pick(rolesOf(ds)).scaling = { mode: 'External' };
    delete obj(ds.spec).slices;
  },
  'external-slices': (rng, ds) => {
    if (rng.chance(0.85)) rng.pick(rolesOf(ds)).scaling = { mode: rng.pick(['External', 'External', 'Static']) };
    obj(ds.spec).slices = rng.pick([1, 2, 3, 100, 0, -1, MAX_INT32, MIN_INT32]);
  },
  'placement-topology': (rng, ds) => {
    const p: JsonObject = {};
    const type = rng.pick<Json>(['ExclusiveSlice', 'ExclusiveTopology', 'None', '', 'Other']);
    if (type !== '' || rng.chance(0.5)) p.type = type;
    if (rng.chance(0.5)) p.topology = rng.pick(['', ...TOPOLOGIES]);
    obj(ds.spec).placementPolicy = p;
  },
  'placement-annotation': (rng, ds) => {
    obj(ds.spec).placementPolicy = {
      type: rng.pick(['ExclusiveSlice', 'ExclusiveTopology', 'None']),
      ...(rng.chance(0.8) ? { topology: rng.pick(TOPOLOGIES) } : {}),
    };
    for (let k = rng.int(1, 3); k > 0; k--) {
      const r = rng.pick(rolesOf(ds));
      const key = rng.pick([EXCLUSIVE, SUBGROUP_EXCLUSIVE, 'leaderworkerset.sigs.k8s.io/other']);
      const where = rng.int(0, 2);
      const lwt = obj(roleSpec(r).leaderWorkerTemplate);
      const target =
        where === 0
          ? ((r.metadata ??= {}) as JsonObject)
          : where === 1
            ? ((obj((lwt.leaderTemplate ??= template(rng)) as JsonObject).metadata ??= {}) as JsonObject)
            : ((obj(lwt.workerTemplate).metadata ??= {}) as JsonObject);
      target.annotations = { ...obj(target.annotations ?? {}), [key]: rng.pick(['rack', '']) };
    }
  },
  'generated-names': (rng, ds) => {
    // Near upstream main's 63-character Service-name limit (v0.10.0 has no such rule).
    const slices = rng.pick([1, 1, 2, 10, 11, 100]);
    obj(ds.spec).slices = slices;
    for (const r of rolesOf(ds))
      if ((r.scaling as JsonObject | null | undefined)?.mode === 'External') delete r.scaling;
    const r = rng.pick(rolesOf(ds));
    const roleLength = rng.int(1, 20);
    r.name = 'r'.repeat(roleLength);
    const digits = String(slices - 1).length;
    obj(ds.metadata).name = 'd'.repeat(Math.max(1, 63 - 3 - digits - 8 - 4 - roleLength + rng.pick([-1, 0, 1, 5])));
  },
  nulls: (rng, ds) => {
    const r = rng.pick(rolesOf(ds));
    const spec = roleSpec(r);
    const choices: (() => void)[] = [
      () => (spec.rolloutStrategy = null),
      () => (spec.rolloutStrategy = { type: null, rollingUpdateConfiguration: null }),
      () =>
        (spec.rolloutStrategy = {
          rollingUpdateConfiguration: { maxSurge: null, maxUnavailable: null, partition: null },
        }),
      () => (spec.replicas = null),
      () => (r.scaling = null),
      () => (r.scaling = { mode: null }),
      () => (obj(ds.spec).slices = null),
      () => (obj(ds.spec).placementPolicy = null),
      () => (obj(ds.spec).placementPolicy = { type: null, topology: 'x' }),
      () => (r.metadata = { annotations: null }),
    ];
    for (let k = rng.int(1, 3); k > 0; k--) rng.pick(choices)();
  },
};
const RULE_NAMES = Object.keys(RULES);

function build(rng: Rng): Built {
  const ds = validDs(rng);
  const kind = rng.next();
  if (kind < 0.2) return { category: 'valid', object: ds };
  if (kind < 0.85) {
    const rule = rng.pick(RULE_NAMES);
    RULES[rule]!(rng, ds);
    return { category: `rule:${rule}`, object: ds };
  }
  for (let k = rng.int(2, 4); k > 0; k--) RULES[rng.pick(RULE_NAMES)]!(rng, ds);
  return { category: 'fuzz', object: ds };
}

const STATUS: JsonObject = {
  roleStatuses: [{ name: 'prefill', replicas: 2, readyReplicas: 1, updatedReplicas: 2 }],
  conditions: [
    {
      type: 'Available',
      status: 'True',
      reason: 'AllRolesReady',
      message: 'ok',
      lastTransitionTime: '2026-01-02T03:04:05Z',
    },
  ],
};

export function generateDsCase(rng: Rng, id: string): DsCase {
  if (rng.chance(0.25)) {
    // An update: a stored object (server-set metadata, a status) and a changed one.
    const oldObject = validDs(rng);
    Object.assign(obj(oldObject.metadata), {
      uid: '6f1c2a0e-0000-4000-8000-000000000001',
      resourceVersion: String(rng.int(1, 99999)),
      generation: rng.int(1, 9),
      creationTimestamp: '2026-01-02T03:04:05Z',
    });
    if (rng.chance(0.6)) oldObject.status = STATUS;
    const next = structuredClone(oldObject);
    let category: string;
    const kind = rng.int(0, 3);
    if (kind === 0) category = 'update:unchanged';
    else if (kind === 1) {
      category = 'update:scaled';
      for (const r of rolesOf(next)) roleSpec(r).replicas = rng.pick([0, 1, 5]);
    } else if (kind === 2) {
      category = 'update:image';
      const r = rng.pick(rolesOf(next));
      const containers = obj(obj(obj(roleSpec(r).leaderWorkerTemplate).workerTemplate).spec).containers as JsonObject[];
      containers[0]!.image = 'nginx:1.15';
    } else {
      const rule = rng.pick(RULE_NAMES);
      RULES[rule]!(rng, next);
      // The name of a stored object cannot change.
      obj(next.metadata).name = obj(oldObject.metadata).name!;
      category = `update:${rule}`;
    }
    if (rng.chance(0.3)) delete next.status;
    return { id, category, kind: 'ds', operation: 'UPDATE', object: next, old: oldObject };
  }
  const { category, object } = build(rng);
  return { id, category, kind: 'ds', operation: 'CREATE', object };
}
