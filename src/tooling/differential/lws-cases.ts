/**
 * @module testing/differential/lws-cases
 * Random LeaderWorkerSet admission cases: valid objects, objects breaking exactly one rule of upstream's
 * validator (with the values on both sides of each boundary), explicit nulls, validation without the
 * mutating webhook (upstream's panics), updates of a stored object (immutability rules), and free fuzzing.
 */
import type { Rng } from './prng.ts';
import type { Json, JsonObject, LwsCase } from './types.ts';

const P = 'leaderworkerset.sigs.k8s.io/';
export const SUBGROUP_EXCLUSIVE = `${P}subgroup-exclusive-topology`;
const MAX_INT32 = 2147483647;
const MIN_INT32 = -2147483648;

/** Intent of a generated object; reports count cases per category. */
type Built = { category: string; object: JsonObject; mutate?: false };

const obj = (v: Json | undefined): JsonObject => v as JsonObject;
const specOf = (lws: JsonObject) => obj(lws.spec);
const templateOf = (lws: JsonObject) => obj(specOf(lws).leaderWorkerTemplate);
const metaOf = (lws: JsonObject) => obj(lws.metadata);

/** Quantities in spellings Go's encoding keeps or rewrites (`1000m` becomes `1`, a number becomes a string). */
const QUANTITIES: Json[] = [
  '1',
  '500m',
  2,
  '1000m',
  '0.5',
  0.5,
  '1e3',
  '2k',
  '1.5Gi',
  '100Mi',
  '+1',
  '.5',
  '0',
  4,
  '4',
];

/** Optional container fields, some in a spelling Go's encoding changes or drops (empty values). */
const CONTAINER_EXTRAS: ((rng: Rng, c: JsonObject) => void)[] = [
  (rng, c) => (c.ports = [{ containerPort: rng.pick([8080, 8000, 6379]), protocol: 'TCP' }]),
  (_rng, c) => (c.ports = [{ containerPort: 8080, name: 'http' }]),
  (rng, c) => (c.env = [{ name: 'MODE', value: rng.pick(['leader', 'worker', '']) }]),
  (_rng, c) => (c.env = [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
  (_rng, c) => (c.args = []),
  (_rng, c) => (c.command = ['sh', '-c', 'sleep 1']),
  (_rng, c) => (c.securityContext = {}),
  (_rng, c) => (c.securityContext = { privileged: false, runAsUser: 1000 }),
  (rng, c) => (c.readinessProbe = { httpGet: { path: '/', port: rng.pick<Json>([8080, 'http']) }, periodSeconds: 5 }),
  (_rng, c) => (c.volumeMounts = [{ name: 'data', mountPath: '/data', readOnly: false }]),
  (_rng, c) => (c.imagePullPolicy = 'IfNotPresent'),
  (_rng, c) => (c.stdin = false),
  (_rng, c) => (c.resources = {}),
  (rng, c) => (c.resources = { limits: { 'google.com/tpu': rng.pick(QUANTITIES) } }),
  (rng, c) =>
    (c.resources = { requests: { cpu: rng.pick(QUANTITIES), memory: rng.pick(['1Gi', '512Mi', 1073741824]) } }),
];

/** Optional pod spec fields, likewise. */
const POD_EXTRAS: ((rng: Rng, spec: JsonObject) => void)[] = [
  (_rng, spec) => (spec.nodeSelector = {}),
  (_rng, spec) => (spec.nodeSelector = { pool: 'tpu' }),
  (_rng, spec) => (spec.tolerations = [{ operator: 'Exists' }]),
  (_rng, spec) => (spec.hostNetwork = false),
  (_rng, spec) => (spec.terminationGracePeriodSeconds = 30),
  (_rng, spec) => (spec.volumes = [{ name: 'data', emptyDir: {} }]),
  (_rng, spec) => (spec.volumes = [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }]),
  (_rng, spec) => (spec.securityContext = {}),
  (_rng, spec) => (spec.restartPolicy = 'Always'),
  (_rng, spec) => (spec.schedulerName = ''),
];

function container(rng: Rng, name: string): JsonObject {
  const c: JsonObject = { name, image: rng.pick(['nginx:1.27', 'busybox', 'vllm/vllm-openai:latest']) };
  for (let n = rng.pick([0, 0, 1, 2, 3]); n > 0; n--) rng.pick(CONTAINER_EXTRAS)(rng, c);
  return c;
}

function podTemplate(rng: Rng, role: string): JsonObject {
  const t: JsonObject = { spec: { containers: [container(rng, role)] } };
  if (rng.chance(0.3)) t.metadata = { labels: { app: role } };
  else if (rng.chance(0.1)) t.metadata = rng.pick<JsonObject>([{}, { annotations: {} }, { name: 'ignored' }]);
  if (rng.chance(0.1)) obj(t.spec).containers = [container(rng, role), container(rng, `${role}-sidecar`)];
  for (let n = rng.pick([0, 0, 0, 1, 2]); n > 0; n--) rng.pick(POD_EXTRAS)(rng, obj(t.spec));
  return t;
}

/** What a stored object's metadata carries (an update sends it back), times in several precisions. */
function storedMetadata(rng: Rng, metadata: JsonObject): void {
  metadata.uid = '6b1e3c2a-0f1d-4c57-9a7e-3b0c8f9d1e2a';
  metadata.resourceVersion = String(rng.int(1, 99999));
  metadata.generation = rng.int(1, 9);
  metadata.creationTimestamp = rng.pick([
    '2025-01-02T03:04:05Z',
    '2025-01-02T03:04:05.678Z',
    '2025-01-02T04:04:05+01:00',
  ]);
  if (rng.chance(0.5)) {
    metadata.managedFields = [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'leaderworkerset.x-k8s.io/v1',
        time: '2025-01-02T03:04:05Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
    ];
  }
}

/** A status as the controller writes it. */
function status(rng: Rng): JsonObject {
  const s: JsonObject = {
    replicas: rng.int(0, 4),
    readyReplicas: rng.int(0, 4),
    hpaPodSelector: 'leaderworkerset.sigs.k8s.io/name=x',
  };
  if (rng.chance(0.5)) s.updatedReplicas = 0;
  s.conditions = [
    {
      type: 'Available',
      status: 'True',
      lastTransitionTime: rng.pick(['2025-01-02T03:04:05Z', '2025-01-02T03:04:05.5Z']),
      reason: 'AllGroupsReady',
      message: 'All replicas are ready',
    },
  ];
  return s;
}

const VALID_NAMES = ['test-sample', 'my-lws', 'a', 'vllm', 'x1', 'a'.repeat(63), 'abc-123'];

/** A subGroupSize that upstream accepts for `size` (divides size or size-1, at most size). */
function validSubGroupSize(rng: Rng, size: number, leaderExcluded: boolean): number {
  const options: number[] = [];
  for (let s = 1; s <= Math.min(size, 64); s++) {
    if (leaderExcluded ? (size - 1) % s === 0 : size % s === 0 || (size - 1) % s === 0) options.push(s);
  }
  return rng.pick(options);
}

/** A LeaderWorkerSet upstream admits; optional fields left out at random for the defaults to fill. */
export function validLws(rng: Rng): JsonObject {
  const metadata: JsonObject = { name: rng.pick(VALID_NAMES), namespace: rng.pick(['default', 'ns-1', 'team-a']) };
  if (rng.chance(0.15)) metadata.labels = { team: 'ml' };
  const annotations: JsonObject = {};
  if (rng.chance(0.15)) annotations[`${P}exclusive-topology`] = rng.pick(['topology.kubernetes.io/zone', 'pool']);
  const size = rng.pick([1, 1, 2, 2, 3, 4, 5, 8, 9, 16, 17]);
  const template: JsonObject = { workerTemplate: podTemplate(rng, 'worker') };
  if (rng.chance(0.85) || size !== 1) template.size = size;
  if (rng.chance(0.4)) template.leaderTemplate = podTemplate(rng, 'leader');
  if (rng.chance(0.5)) {
    template.restartPolicy = rng.pick(['RecreateGroupOnPodRestart', 'RecreateGroupAfterStart', 'None', 'Default']);
  }
  if (rng.chance(0.3)) {
    const excluded = rng.chance(0.4);
    const policy: JsonObject = { subGroupSize: validSubGroupSize(rng, size, excluded) };
    if (excluded) policy.subGroupPolicyType = 'LeaderExcluded';
    else if (rng.chance(0.5)) policy.subGroupPolicyType = 'LeaderWorker';
    template.subGroupPolicy = policy;
    if (rng.chance(0.3)) annotations[SUBGROUP_EXCLUSIVE] = rng.pick(['cloud.google.com/gke-nodepool', 'rack']);
  }
  if (rng.chance(0.1)) {
    template.volumeClaimTemplates = [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ];
    if (rng.chance(0.5))
      template.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
  }
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const spec: JsonObject = { leaderWorkerTemplate: template };
  const replicas = rng.pick([undefined, 0, 1, 2, 3, 5, 10, 100]);
  if (replicas !== undefined) spec.replicas = replicas;
  if (rng.chance(0.5)) {
    const strategy: JsonObject = {};
    if (rng.chance(0.7)) strategy.type = 'RollingUpdate';
    if (rng.chance(0.7)) {
      const config: JsonObject = {};
      if (rng.chance(0.6)) config.partition = rng.pick([0, 1, 2, 10]);
      if (rng.chance(0.7)) config.maxUnavailable = rng.pick([1, 2, '25%', '50%', '100%']);
      if (rng.chance(0.6)) config.maxSurge = rng.pick([0, 1, '0%', '25%', '100%']);
      strategy.rollingUpdateConfiguration = config;
    }
    spec.rolloutStrategy = strategy;
  }
  if (rng.chance(0.5)) spec.startupPolicy = rng.pick(['LeaderCreated', 'LeaderReady']);
  if (rng.chance(0.5)) {
    spec.networkConfig = rng.chance(0.15) ? {} : { subdomainPolicy: rng.pick(['Shared', 'UniquePerReplica']) };
  }
  return { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata, spec };
}

function rollingConfig(lws: JsonObject): JsonObject {
  const spec = specOf(lws);
  const strategy = (spec.rolloutStrategy ??= {}) as JsonObject;
  strategy.type = 'RollingUpdate';
  return (strategy.rollingUpdateConfiguration ??= {}) as JsonObject;
}

const INVALID_PERCENTS = ['abc', '50 %', ' 50%', '%', '-5%', '5', '1.5%', '+5%', '', '5%%', '٥%', 'abc%', '0x10%'];
const PERCENT_EDGES = ['0%', '1%', '99%', '100%', '101%', '200%', '99999999999999999999%', '9223372036854775807%'];
const INT_EDGES = [MIN_INT32, -1, 0, 1, 2, 1000000, MAX_INT32];

/** Each rule of upstream's validator, broken (or put right at its edge) on an otherwise valid object. */
const RULES: Record<string, (rng: Rng, lws: JsonObject) => void> = {
  'name-invalid': (rng, lws) => {
    metaOf(lws).name = rng.pick([
      '2cube',
      'Abc',
      'a.b',
      'a_b',
      '-ab',
      'ab-',
      'a'.repeat(64),
      'é',
      'a b',
      'a'.repeat(63),
    ]);
  },
  'name-missing': (rng, lws) => {
    delete metaOf(lws).name;
    if (rng.chance(0.7)) metaOf(lws).generateName = rng.pick(['gen-', '2gen-', 'Gen-', 'g', '-', 'a.b-', 'ok']);
  },
  namespace: (rng, lws) => {
    const bad = rng.pick(['', 'Bad_NS', 'a.b', 'x'.repeat(64), 'UPPER', undefined]);
    if (bad === undefined) delete metaOf(lws).namespace;
    else metaOf(lws).namespace = bad;
  },
  generation: (rng, lws) => {
    metaOf(lws).generation = rng.pick([-1, 0, 3, -9007199254740991]);
  },
  'replicas-range': (rng, lws) => {
    specOf(lws).replicas = rng.pick([MIN_INT32, -1, 0, 1, 999999, 1000000, 1000001, MAX_INT32]);
  },
  size: (rng, lws) => {
    templateOf(lws).size = rng.pick([MIN_INT32, -1, 0, 1, MAX_INT32]);
    delete templateOf(lws).subGroupPolicy;
  },
  'replicas-times-size': (rng, lws) => {
    const [replicas, size] = rng.pick([
      [1000000, 2147],
      [1000000, 2148],
      [1000000, MAX_INT32],
      [46340, 46341],
      [46341, 46341],
      [65536, 32768],
      [65535, 32768],
      [1, MAX_INT32],
      [2, 1073741824],
      [2, 1073741823],
      [0, MAX_INT32],
    ] as const);
    specOf(lws).replicas = replicas;
    templateOf(lws).size = size;
    delete templateOf(lws).subGroupPolicy;
  },
  'max-unavailable': (rng, lws) => {
    rollingConfig(lws).maxUnavailable = rng.chance(0.5)
      ? rng.pick(INVALID_PERCENTS)
      : rng.pick([...PERCENT_EDGES, ...INT_EDGES]);
  },
  'max-surge': (rng, lws) => {
    rollingConfig(lws).maxSurge = rng.chance(0.5)
      ? rng.pick(INVALID_PERCENTS)
      : rng.pick([...PERCENT_EDGES, ...INT_EDGES]);
  },
  'both-zero': (rng, lws) => {
    const config = rollingConfig(lws);
    config.maxUnavailable = rng.pick([0, '0%', '1%', '9%', '10%', '49%']);
    config.maxSurge = rng.pick([0, '0%', '1%']);
    specOf(lws).replicas = rng.pick([0, 1, 2, 10, 11, 100]);
  },
  partition: (rng, lws) => {
    rollingConfig(lws).partition = rng.pick([MIN_INT32, -1, 0, 1, 5, MAX_INT32]);
  },
  'subgroup-size': (rng, lws) => {
    const size = rng.pick([1, 2, 3, 4, 5, 6, 7, 8, 9, 12]);
    templateOf(lws).size = size;
    const policy: JsonObject = {
      subGroupSize: rng.pick([MIN_INT32, -3, -1, 0, 1, 2, 3, 4, 5, size - 1, size, size + 1, MAX_INT32]),
    };
    const type = rng.pick([undefined, 'LeaderWorker', 'LeaderExcluded']);
    if (type !== undefined) policy.subGroupPolicyType = type;
    templateOf(lws).subGroupPolicy = policy;
  },
  'subgroup-divisibility': (rng, lws) => {
    // The edges of "size or size - 1 divisible" and "size - 1 divisible when LeaderExcluded".
    const subGroupSize = rng.pick([2, 3, 4]);
    const size = subGroupSize * rng.int(1, 4) + rng.pick([-1, 0, 1, 2]);
    templateOf(lws).size = Math.max(size, 1);
    templateOf(lws).subGroupPolicy = {
      subGroupSize,
      subGroupPolicyType: rng.pick(['LeaderWorker', 'LeaderExcluded']),
    };
  },
  'subgroup-size-missing': (rng, lws) => {
    templateOf(lws).subGroupPolicy = rng.pick<JsonObject>([{}, { subGroupPolicyType: 'LeaderExcluded' }]);
  },
  'subgroup-exclusive-annotation': (rng, lws) => {
    const annotations = (metaOf(lws).annotations ??= {}) as JsonObject;
    annotations[SUBGROUP_EXCLUSIVE] = rng.pick(['rack', '', 'a"b\n\u00a0<>&\u2028', 'é\t']);
    if (rng.chance(0.6)) delete templateOf(lws).subGroupPolicy;
  },
  'restart-policy': (rng, lws) => {
    templateOf(lws).restartPolicy = rng.pick(['', 'Default', 'None', 'RecreateGroupAfterStart', 'bogus']);
  },
  'rollout-type': (rng, lws) => {
    const strategy: JsonObject = { type: rng.pick(['', 'RollingUpdate', 'Recreate']) };
    if (rng.chance(0.5)) strategy.rollingUpdateConfiguration = { maxUnavailable: 1 };
    specOf(lws).rolloutStrategy = strategy;
  },
  'network-config': (rng, lws) => {
    specOf(lws).networkConfig = rng.pick<JsonObject>([
      {},
      { subdomainPolicy: 'UniquePerReplica' },
      { subdomainPolicy: 'bogus' },
    ]);
  },
  'startup-policy': (rng, lws) => {
    specOf(lws).startupPolicy = rng.pick(['', 'LeaderReady', 'bogus']);
  },
  nulls: (rng, lws) => {
    const spec = specOf(lws);
    const template = templateOf(lws);
    for (let n = rng.int(1, 3); n > 0; n--) {
      rng.pick([
        () => (spec.replicas = null),
        () => (spec.rolloutStrategy = null),
        () => (spec.networkConfig = null),
        () => (spec.startupPolicy = null),
        () => (template.size = null),
        () => (template.restartPolicy = null),
        () => (template.subGroupPolicy = null),
        () => (template.leaderTemplate = null),
        () => (rollingConfig(lws).partition = null),
        () => (rollingConfig(lws).maxSurge = null),
        () => (rollingConfig(lws).maxUnavailable = null),
        () => (rollingConfig(lws).partition = null),
        () => (spec.rolloutStrategy = { type: 'RollingUpdate', rollingUpdateConfiguration: null }),
        () => (spec.networkConfig = { subdomainPolicy: null }),
      ])();
    }
  },
};

export const LWS_RULES = Object.keys(RULES);

function breakRule(rng: Rng, base: JsonObject): Built {
  const rule = rng.pick(LWS_RULES);
  RULES[rule]!(rng, base);
  return { category: `rule:${rule}`, object: base };
}

/** Values anywhere in their range, nothing held valid: catches interactions between rules. */
function fuzzLws(rng: Rng): JsonObject {
  const lws = validLws(rng);
  for (let n = rng.int(2, 5); n > 0; n--) RULES[rng.pick(LWS_RULES)]!(rng, lws);
  return lws;
}

/** Upstream's validator as called without the mutating webhook before it: the CRD defaults only. */
function validateOnly(rng: Rng): Built {
  const built = rng.chance(0.4) ? { category: '', object: validLws(rng) } : breakRule(rng, validLws(rng));
  return { category: 'validate-only', object: built.object, mutate: false };
}

const UPDATES: Record<string, (rng: Rng, lws: JsonObject, old: JsonObject) => void> = {
  unchanged: () => {},
  scale: (rng, lws) => {
    specOf(lws).replicas = rng.pick([0, 1, 4, 1000000, 1000001]);
  },
  image: (_rng, lws) => {
    const containers = obj(obj(templateOf(lws).workerTemplate).spec).containers as JsonObject[];
    containers[0]!.image = 'nginx:1.28';
  },
  size: (rng, lws) => {
    templateOf(lws).size = rng.pick([1, 2, 3, 4, 6, 8]);
  },
  'subgroup-size-changed': (rng, lws, old) => {
    const size = 12;
    templateOf(old).size = size;
    templateOf(old).subGroupPolicy = { subGroupSize: rng.pick([2, 3, 4]) };
    templateOf(lws).size = size;
    templateOf(lws).subGroupPolicy = { subGroupSize: rng.pick([1, 2, 3, 4, 6, 0]) };
  },
  'subgroup-added': (rng, lws, old) => {
    delete templateOf(old).subGroupPolicy;
    templateOf(lws).size = 4;
    templateOf(lws).subGroupPolicy = rng.pick<JsonObject>([
      { subGroupSize: 2 },
      { subGroupSize: 4, subGroupPolicyType: 'LeaderWorker' },
    ]);
  },
  'subgroup-removed': (rng, lws, old) => {
    templateOf(old).size = 6;
    templateOf(old).subGroupPolicy = { subGroupSize: rng.pick([2, 3]) };
    delete templateOf(lws).subGroupPolicy;
    if (rng.chance(0.3)) templateOf(lws).subGroupPolicy = null;
  },
  'subgroup-type-changed': (rng, lws, old) => {
    templateOf(old).size = 5;
    templateOf(old).subGroupPolicy = { subGroupSize: 4, subGroupPolicyType: 'LeaderExcluded' };
    templateOf(lws).size = 5;
    templateOf(lws).subGroupPolicy = {
      subGroupSize: 4,
      subGroupPolicyType: rng.pick(['LeaderWorker', 'LeaderExcluded']),
    };
  },
  'subdomain-policy': (rng, lws) => {
    specOf(lws).networkConfig = rng.pick<JsonObject>([
      { subdomainPolicy: 'UniquePerReplica' },
      { subdomainPolicy: 'Shared' },
      {},
    ]);
  },
  'rule-broken': (rng, lws) => {
    RULES[rng.pick(LWS_RULES)]!(rng, lws);
  },
};

export const LWS_UPDATES = Object.keys(UPDATES);

function updateCase(rng: Rng): { built: Built; old: JsonObject } {
  const old = validLws(rng);
  if (rng.chance(0.6)) storedMetadata(rng, metaOf(old));
  if (rng.chance(0.4)) old.status = status(rng);
  const lws = structuredClone(old);
  const kind = rng.pick(LWS_UPDATES);
  UPDATES[kind]!(rng, lws, old);
  const built: Built = { category: `update:${kind}`, object: lws };
  // Without the mutating webhook an emptied networkConfig reaches the validator ("cannot set ... as null").
  if (rng.chance(0.15)) {
    built.mutate = false;
    if (rng.chance(0.5)) specOf(lws).networkConfig = {};
  }
  return { built, old };
}

export function generateLwsCase(rng: Rng, id: string): LwsCase {
  const roll = rng.next();
  if (roll < 0.25) {
    const { built, old } = updateCase(rng);
    return {
      id,
      category: built.category,
      kind: 'lws',
      operation: 'UPDATE',
      ...mutateFlag(built),
      object: built.object,
      old,
    };
  }
  let built: Built;
  if (roll < 0.45) built = { category: 'valid', object: validLws(rng) };
  else if (roll < 0.85) built = breakRule(rng, validLws(rng));
  else if (roll < 0.93) built = { category: 'fuzz', object: fuzzLws(rng) };
  else built = validateOnly(rng);
  return { id, category: built.category, kind: 'lws', operation: 'CREATE', ...mutateFlag(built), object: built.object };
}

const mutateFlag = (built: Built): { mutate?: false } => (built.mutate === false ? { mutate: false } : {});
