/**
 * @module testing/differential/pod-cases
 * Random pod admission cases for the pod mutating webhook: leader and worker pods as the LWS StatefulSets
 * create them (labels, annotations, subdomain), with subgroups of both policy types, TPU containers (one or
 * several, in init containers too, leader with or without TPUs), exclusive topology for groups and subgroups,
 * the UniquePerReplica subdomain, environment and affinity already present, re-admission of a mutated pod, and
 * broken inputs (missing or malformed annotations and labels, names without an ordinal, pods of no LWS).
 *
 * Pods are written the way the apiserver serialises them to a webhook (every container has `resources`,
 * `status` is `{}`, no empty strings or maps), which the oracle checks.
 */
import { groupKey } from '../../lws/core/names.ts';
import type { Rng } from './prng.ts';
import type { JsonObject, PodCase } from './types.ts';

const P = 'leaderworkerset.sigs.k8s.io/';
const NAME = `${P}name`;
const GROUP_INDEX = `${P}group-index`;
const WORKER_INDEX = `${P}worker-index`;
const GROUP_KEY = `${P}group-key`;
const SUBGROUP_INDEX = `${P}subgroup-index`;
const SUBGROUP_KEY = `${P}subgroup-key`;
const SIZE = `${P}size`;
const LEADER_NAME = `${P}leader-name`;
const EXCLUSIVE = `${P}exclusive-topology`;
const SUBGROUP_EXCLUSIVE = `${P}subgroup-exclusive-topology`;
const SUBGROUP_SIZE = `${P}subgroup-size`;
const SUBGROUP_TYPE = `${P}subgroup-policy-type`;
const SUBDOMAIN_POLICY = `${P}subdomainPolicy`;
const LEADER_TPUS = `${P}leader-requests-tpus`;

/** What the LWS (and the StatefulSet behind the pod) would carry. */
interface Shape {
  lws: string;
  namespace: string;
  group: number;
  size: number;
  worker: number;
  subGroupSize?: number;
  leaderExcluded?: boolean;
  exclusive?: string;
  subGroupExclusive?: string;
  unique?: boolean;
  /** TPU containers in this pod (0: none). */
  tpus: number;
  leaderTpus: boolean;
  initTpus: boolean;
}

function shape(rng: Rng): Shape {
  const size = rng.pick([1, 2, 2, 3, 4, 5, 6, 8, 9, 16, 17]);
  const s: Shape = {
    lws: rng.pick(['test-sample', 'lws', 'vllm', 'a-b-c', 'x9']),
    namespace: rng.pick(['default', 'ns-1', 'team-a']),
    group: rng.pick([0, 0, 1, 2, 7, 10, 123]),
    size,
    worker: rng.chance(0.4) || size === 1 ? 0 : rng.int(1, size - 1),
    tpus: 0,
    leaderTpus: rng.chance(0.5),
    initTpus: false,
  };
  if (rng.chance(0.35)) {
    s.leaderExcluded = rng.chance(0.4);
    const options: number[] = [];
    for (let n = 1; n <= size; n++) {
      if (s.leaderExcluded ? (size - 1) % n === 0 : size % n === 0 || (size - 1) % n === 0) options.push(n);
    }
    s.subGroupSize = rng.pick(options);
  }
  if (rng.chance(0.2)) s.exclusive = rng.pick(['topology.kubernetes.io/zone', 'cloud.google.com/gke-nodepool']);
  if (s.subGroupSize !== undefined && rng.chance(0.3))
    s.subGroupExclusive = rng.pick(['rack', 'kubernetes.io/hostname']);
  if (rng.chance(0.25)) s.unique = true;
  return s;
}

function container(rng: Rng, name: string, tpu: boolean): JsonObject {
  const c: JsonObject = { name, image: rng.pick(['busybox', 'nginx:1.27']) };
  if (tpu) {
    const kind = rng.pick(['limits', 'requests', 'both']);
    const count = rng.pick(['4', '1', '8', '500m']);
    c.resources =
      kind === 'both'
        ? { limits: { 'google.com/tpu': count }, requests: { 'google.com/tpu': count } }
        : { [kind]: { 'google.com/tpu': count } };
  } else if (rng.chance(0.2)) {
    c.resources = rng.pick<JsonObject>([
      { limits: { cpu: '1' } },
      { limits: { 'google.com/tpu': '0' } },
      { requests: { 'google.com/tpu': '0' }, limits: { cpu: '2' } },
    ]);
  } else c.resources = {};
  if (rng.chance(0.2)) c.ports = [{ containerPort: 8080, protocol: 'TCP' }];
  return c;
}

const ENV_CHOICES: JsonObject[] = [
  { name: 'key1', value: 'value1' },
  { name: 'key2', value: 'v2' },
  { name: 'key1', value: 'duplicate' },
  { name: 'LWS_WORKER_INDEX', value: 'stale' },
  { name: 'LWS_LEADER_ADDRESS', value: 'old.address' },
  { name: 'LWS_GROUP_SIZE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
  { name: 'TPU_PROCESS_PORT', value: '9000' },
  { name: 'TPU_PROCESS_PORT', value: '8478' },
  { name: 'TPU_WORKER_ID', value: '9' },
  { name: 'TPU_WORKER_HOSTNAMES', value: 'a,b' },
  { name: 'TPU_NAME', value: 'old' },
  { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
];

function addEnv(rng: Rng, c: JsonObject): void {
  const env: JsonObject[] = [];
  for (let n = rng.int(1, 4); n > 0; n--) env.push(structuredClone(rng.pick(ENV_CHOICES)));
  c.env = env;
}

function affinityTerm(key: string, value: string, topologyKey: string): JsonObject {
  return { labelSelector: { matchExpressions: [{ key, operator: 'In', values: [value] }] }, topologyKey };
}

/** The pod a StatefulSet of the LWS controller would create for this shape. */
function podOf(rng: Rng, s: Shape): JsonObject {
  const leaderName = `${s.lws}-${s.group}`;
  const leader = s.worker === 0;
  const name = leader ? leaderName : `${leaderName}-${s.worker}`;
  const labels: JsonObject = { [NAME]: s.lws, [`${P}template-revision-hash`]: 'abc123' };
  const annotations: JsonObject = { [SIZE]: String(s.size) };
  if (leader) labels[WORKER_INDEX] = '0';
  else {
    labels[GROUP_INDEX] = String(s.group);
    labels[GROUP_KEY] = groupKey(s.namespace, leaderName);
    annotations[LEADER_NAME] = leaderName;
  }
  if (s.exclusive !== undefined && leader) annotations[EXCLUSIVE] = s.exclusive;
  if (s.subGroupSize !== undefined) {
    annotations[SUBGROUP_SIZE] = String(s.subGroupSize);
    if (s.leaderExcluded) annotations[SUBGROUP_TYPE] = 'LeaderExcluded';
    else if (rng.chance(0.5)) annotations[SUBGROUP_TYPE] = 'LeaderWorker';
    if (s.subGroupExclusive !== undefined) annotations[SUBGROUP_EXCLUSIVE] = s.subGroupExclusive;
  }
  if (s.unique && leader) annotations[SUBDOMAIN_POLICY] = 'UniquePerReplica';
  if (s.tpus > 0 && !leader && s.leaderTpus) annotations[LEADER_TPUS] = 'true';
  const containers: JsonObject[] = [];
  for (let i = 0; i < Math.max(1, s.tpus); i++) containers.push(container(rng, `c${i}`, i < s.tpus));
  if (s.tpus > 0 && rng.chance(0.2)) containers.push(container(rng, 'sidecar', false));
  const spec: JsonObject = { containers };
  if (s.initTpus || rng.chance(0.15)) spec.initContainers = [container(rng, 'init', s.initTpus)];
  spec.hostname = name;
  spec.subdomain = s.unique && !leader ? leaderName : s.lws;
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace: s.namespace, labels, annotations },
    spec,
    status: {},
  };
}

const meta = (pod: JsonObject) => pod.metadata as JsonObject;
const labelsOf = (pod: JsonObject) => meta(pod).labels as JsonObject;
const annotationsOf = (pod: JsonObject) => meta(pod).annotations as JsonObject;
const specOf = (pod: JsonObject) => pod.spec as JsonObject;
const containersOf = (pod: JsonObject) => specOf(pod).containers as JsonObject[];

/** Damage that upstream answers with an error (or a panic), or that changes which branch runs. */
const BREAKS: Record<string, (rng: Rng, pod: JsonObject) => void> = {
  'size-missing': (_rng, pod) => {
    delete annotationsOf(pod)[SIZE];
  },
  'size-malformed': (rng, pod) => {
    annotationsOf(pod)[SIZE] = rng.pick(['abc', '', '+3', '-1', '0', '3.0', '99999999999999999999', ' 3']);
  },
  'subgroup-size-malformed': (rng, pod) => {
    annotationsOf(pod)[SUBGROUP_SIZE] = rng.pick(['0', 'x', '', '-2', '100']);
  },
  'group-index-missing': (_rng, pod) => {
    delete labelsOf(pod)[GROUP_INDEX];
  },
  'leader-name-missing': (_rng, pod) => {
    delete annotationsOf(pod)[LEADER_NAME];
  },
  'worker-index-label': (rng, pod) => {
    const value = rng.pick(['0', '00', '1', 'x', undefined]);
    if (value === undefined) delete labelsOf(pod)[WORKER_INDEX];
    else labelsOf(pod)[WORKER_INDEX] = value;
  },
  'name-without-ordinal': (rng, pod) => {
    meta(pod).name = rng.pick([
      'invalidname',
      'x-',
      '-5',
      'a-99999999999',
      'a-2147483648',
      'a-2147483647',
      'x-007',
      'x-0-00',
    ]);
  },
  'namespace-missing': (_rng, pod) => {
    delete meta(pod).namespace;
  },
  'not-lws': (rng, pod) => {
    delete labelsOf(pod)[NAME];
    if (rng.chance(0.5)) delete meta(pod).annotations;
  },
  'subgroup-index-preset': (rng, pod) => {
    labelsOf(pod)[SUBGROUP_INDEX] = rng.pick(['1', '0', '7']);
    if (rng.chance(0.5)) labelsOf(pod)[SUBGROUP_KEY] = 'preset';
  },
  'group-key-preset': (_rng, pod) => {
    labelsOf(pod)[GROUP_KEY] = 'preset-key';
  },
  'leader-requests-tpus-value': (rng, pod) => {
    annotationsOf(pod)[LEADER_TPUS] = rng.pick(['false', 'True', 'yes']);
  },
  'subdomain-missing': (_rng, pod) => {
    delete specOf(pod).subdomain;
  },
};

export const POD_BREAKS = Object.keys(BREAKS);

type Scenario = (rng: Rng) => { category: string; pod: JsonObject };

const SCENARIOS: Record<string, Scenario> = {
  plain: (rng) => {
    const s = shape(rng);
    return { category: s.worker === 0 ? 'leader' : 'worker', pod: podOf(rng, s) };
  },
  subgroup: (rng) => {
    const s = shape(rng);
    s.size = rng.pick([2, 3, 4, 5, 6, 7, 8, 9, 12, 13]);
    s.leaderExcluded = rng.chance(0.4);
    const options: number[] = [];
    for (let n = 1; n <= s.size; n++) {
      if (s.leaderExcluded ? (s.size - 1) % n === 0 : s.size % n === 0 || (s.size - 1) % n === 0) options.push(n);
    }
    s.subGroupSize = rng.pick(options);
    s.worker = rng.chance(0.25) ? 0 : rng.int(1, s.size - 1);
    if (rng.chance(0.3)) s.subGroupExclusive = 'rack';
    const role = s.worker === 0 ? 'leader' : 'worker';
    return {
      category: `subgroup-${s.leaderExcluded ? 'leader-excluded' : 'leader-worker'}-${role}`,
      pod: podOf(rng, s),
    };
  },
  tpu: (rng) => {
    const s = shape(rng);
    s.tpus = rng.pick([1, 1, 2, 3]);
    s.initTpus = rng.chance(0.15);
    const pod = podOf(rng, s);
    const role = s.worker === 0 ? 'leader' : 'worker';
    const sub = s.subGroupSize === undefined ? '' : '-subgroup';
    return { category: `tpu-${s.tpus === 1 ? 'one' : 'several'}${sub}-${role}`, pod };
  },
  exclusive: (rng) => {
    const s = shape(rng);
    s.worker = 0;
    s.exclusive = rng.pick(['topology.kubernetes.io/zone', 'pool']);
    if (rng.chance(0.4)) {
      s.size = 4;
      s.subGroupSize = 2;
      s.subGroupExclusive = rng.pick(['rack', s.exclusive]);
    }
    return { category: 'exclusive-topology', pod: podOf(rng, s) };
  },
  'subgroup-exclusive': (rng) => {
    const s = shape(rng);
    s.size = rng.pick([4, 5, 8, 9]);
    s.subGroupSize = rng.pick([2, 4]);
    s.leaderExcluded = s.size % 2 === 1 && rng.chance(0.5);
    s.subGroupExclusive = 'rack';
    s.worker = rng.int(0, s.size - 1);
    return { category: 'subgroup-exclusive-topology', pod: podOf(rng, s) };
  },
  unique: (rng) => {
    const s = shape(rng);
    s.unique = true;
    if (rng.chance(0.3)) s.tpus = 1;
    return { category: `unique-per-replica-${s.worker === 0 ? 'leader' : 'worker'}`, pod: podOf(rng, s) };
  },
  env: (rng) => {
    const s = shape(rng);
    if (rng.chance(0.5)) s.tpus = rng.pick([1, 2]);
    const pod = podOf(rng, s);
    for (const c of containersOf(pod)) if (rng.chance(0.7)) addEnv(rng, c);
    const init = specOf(pod).initContainers as JsonObject[] | undefined;
    if (init && rng.chance(0.5)) addEnv(rng, init[0]!);
    return { category: 'existing-env', pod };
  },
  affinity: (rng) => {
    const s = shape(rng);
    s.worker = rng.chance(0.7) ? 0 : s.worker;
    s.exclusive ??= 'topology.kubernetes.io/zone';
    const pod = podOf(rng, s);
    const topo = rng.pick([s.exclusive, 'other-key', 'rack']);
    const affinity: JsonObject = {};
    if (rng.chance(0.8)) {
      affinity.podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm('app', 'x', topo)] };
    }
    if (rng.chance(0.6)) {
      affinity.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm('app', 'y', topo)] };
    }
    if (rng.chance(0.3)) {
      affinity.nodeAffinity = {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['a'] }] }],
        },
      };
    }
    if (Object.keys(affinity).length > 0) specOf(pod).affinity = affinity;
    return { category: 'existing-affinity', pod };
  },
  broken: (rng) => {
    const s = shape(rng);
    if (rng.chance(0.4)) s.tpus = rng.pick([1, 2]);
    if (rng.chance(0.3)) s.subGroupSize ??= 1;
    const pod = podOf(rng, s);
    const kind = rng.pick(POD_BREAKS);
    BREAKS[kind]!(rng, pod);
    return { category: `broken:${kind}`, pod };
  },
};

const WEIGHTS: [string, number][] = [
  ['plain', 14],
  ['subgroup', 14],
  ['tpu', 18],
  ['exclusive', 7],
  ['subgroup-exclusive', 6],
  ['unique', 7],
  ['env', 10],
  ['affinity', 7],
  ['broken', 17],
];
const TOTAL = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);

/** The apiserver omits empty label and annotation maps; a broken case may have emptied one. */
function omitEmptyMaps(pod: JsonObject): JsonObject {
  for (const key of ['labels', 'annotations']) {
    const map = meta(pod)[key] as JsonObject | undefined;
    if (map && Object.keys(map).length === 0) delete meta(pod)[key];
  }
  return pod;
}

export function generatePodCase(rng: Rng, id: string): PodCase {
  let roll = rng.next() * TOTAL;
  let name = WEIGHTS[0]![0];
  for (const [scenario, weight] of WEIGHTS) {
    if (roll < weight) {
      name = scenario;
      break;
    }
    roll -= weight;
  }
  const { category, pod } = SCENARIOS[name]!(rng);
  return { id, category, kind: 'pod', object: omitEmptyMaps(pod) };
}
