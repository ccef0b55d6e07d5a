/**
 * @module webhooks/tpu
 * TPU environment for LWS pods requesting `google.com/tpu` (upstream pkg/utils/accelerators): every TPU host of
 * the group (or of the pod's subgroup) in TPU_WORKER_HOSTNAMES, this pod's TPU_WORKER_ID, TPU_NAME (the leader
 * pod name), TPU_PROCESS_ADDRESSES and TPU_PROCESS_PORT. Hostnames carry the pod subdomain but no namespace.
 */
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import type { Pod } from '../../k8s/client/objects.ts';
import {
  LEADER_REQUESTS_TPUS_ANNOTATION,
  SUBGROUP_INDEX_LABEL,
  SUBGROUP_SIZE_ANNOTATION,
  TPU_NAME,
  TPU_PROCESS_ADDRESSES,
  TPU_PROCESS_DEFAULT_PORT,
  TPU_PROCESS_PORT,
  TPU_RESOURCE_NAME,
  TPU_WORKER_HOSTNAMES,
  TPU_WORKER_ID,
  WORKER_INDEX_LABEL,
} from '../api/keys.ts';
import { AdmissionError, goDiv, goRem } from '../../k8s/admission/errors.ts';
import { allContainers, appendEnv, envValue } from './env-vars.ts';
import { atoi } from '../../k8s/go/format.ts';
import { isNonZeroQuantity } from '../../k8s/go/quantity.ts';
import { statefulPodOrdinal } from './stateful-ordinal.ts';

/** Limits decide when they name a non-zero TPU count; requests otherwise. */
export function containerRequestsTPUs(container: V1Container): boolean {
  const resources = container.resources;
  return (
    isNonZeroQuantity(resources?.limits?.[TPU_RESOURCE_NAME]) ||
    isNonZeroQuantity(resources?.requests?.[TPU_RESOURCE_NAME])
  );
}

export function podRequestsTPUs(spec: V1PodSpec | undefined): boolean {
  return allContainers(spec).some(containerRequestsTPUs);
}

export function tpuContainers(spec: V1PodSpec | undefined): V1Container[] {
  return allContainers(spec).filter(containerRequestsTPUs);
}

/** Presence of either variable means a previous injection (or the user) already set them all. */
function alreadyInjected(container: V1Container): boolean {
  return envValue(container, TPU_WORKER_HOSTNAMES) !== undefined || envValue(container, TPU_WORKER_ID) !== undefined;
}

function leaderNameOfWorker(pod: Pod): string {
  const name = pod.metadata.name ?? '';
  const parent = statefulPodOrdinal(name)?.parent ?? '';
  if (parent === '') throw new AdmissionError(`parsing parent name from pod ${name}`);
  return parent;
}

/**
 * Adds the TPU variables to `pod` in place (pass a copy); `size` is the group size. Throws AdmissionError with
 * upstream's text on unparseable labels/annotations, GoPanic for a zero subgroup size.
 */
export function addTPUVariables(pod: Pod, size: number): void {
  if (SUBGROUP_SIZE_ANNOTATION in (pod.metadata.annotations ?? {})) return addTPUVariablesSubGroup(pod);
  const containers = tpuContainers(pod.spec);
  if (containers.length === 0 || alreadyInjected(containers[0]!)) return;

  const labels = pod.metadata.labels ?? {};
  const leaderRequestsTPUs = pod.metadata.annotations?.[LEADER_REQUESTS_TPUS_ANNOTATION] === 'true';
  const isLeader = labels[WORKER_INDEX_LABEL] === '0';
  let leaderName: string;
  let podIndex: number;
  if (isLeader) {
    leaderName = pod.metadata.name ?? '';
    podIndex = 0;
  } else {
    leaderName = leaderNameOfWorker(pod);
    podIndex = statefulPodOrdinal(pod.metadata.name ?? '')!.ordinal;
    // Without leader TPUs only workers are TPU hosts, so ids start at the first worker.
    if (!leaderRequestsTPUs) podIndex -= 1;
  }

  const subdomain = pod.spec?.subdomain ?? '';
  const ports = containers.map((c, i) => envValue(c, TPU_PROCESS_PORT) ?? String(TPU_PROCESS_DEFAULT_PORT + i));
  const hostnames: string[] = [];
  const addresses: string[] = [];
  const addHost = (host: string) => {
    // One entry per TPU container; assumes the leader has as many TPU containers as this pod.
    ports.forEach((port) => {
      hostnames.push(host);
      addresses.push(`${host}:${port}`);
    });
  };
  if (leaderRequestsTPUs || isLeader) addHost(`${leaderName}.${subdomain}`);
  for (let i = 1; i <= size - 1; i++) addHost(`${leaderName}-${i}.${subdomain}`);

  containers.forEach((container, i) => {
    const portDefined = envValue(container, TPU_PROCESS_PORT) !== undefined;
    appendEnv(
      container,
      { name: TPU_WORKER_HOSTNAMES, value: hostnames.join(',') },
      { name: TPU_WORKER_ID, value: String(podIndex * containers.length + i) },
      { name: TPU_NAME, value: leaderName },
      { name: TPU_PROCESS_ADDRESSES, value: addresses.join(',') },
    );
    if (!portDefined) appendEnv(container, { name: TPU_PROCESS_PORT, value: ports[i]! });
  });
}

/** With subgroups only the first TPU container is set up, and hostnames cover the pod's subgroup. */
function addTPUVariablesSubGroup(pod: Pod): void {
  const container = tpuContainers(pod.spec)[0];
  if (!container || alreadyInjected(container)) return;

  const labels = pod.metadata.labels ?? {};
  const annotations = pod.metadata.annotations ?? {};
  let leaderName = pod.metadata.name ?? '';
  const subGroupSize = atoi(annotations[SUBGROUP_SIZE_ANNOTATION]!);
  let subGroupIndex = atoi(labels[SUBGROUP_INDEX_LABEL] ?? '');
  const workerIndex = atoi(labels[WORKER_INDEX_LABEL] ?? '');
  const leaderRequestsTPUs = annotations[LEADER_REQUESTS_TPUS_ANNOTATION] === 'true';
  let tpuWorkerId = goRem(workerIndex, subGroupSize);
  if (workerIndex !== 0 && !leaderRequestsTPUs) {
    tpuWorkerId = goRem(workerIndex - 1, subGroupSize);
    subGroupIndex = goDiv(workerIndex - 1, subGroupSize);
  }

  const port = envValue(container, TPU_PROCESS_PORT);
  const effectivePort = port ?? String(TPU_PROCESS_DEFAULT_PORT);
  const subdomain = pod.spec?.subdomain ?? '';
  let start = subGroupSize * subGroupIndex + 1;
  let end = subGroupSize * (subGroupIndex + 1);
  const hostnames: string[] = [];
  if (labels[WORKER_INDEX_LABEL] === '0') {
    // A leader with TPUs is the first host of subgroup 0.
    hostnames.push(`${leaderName}.${subdomain}`);
    end -= 1;
  } else {
    leaderName = leaderNameOfWorker(pod);
    if (leaderRequestsTPUs && subGroupIndex === 0) {
      end -= 1;
      hostnames.push(`${leaderName}.${subdomain}`);
    } else if (leaderRequestsTPUs) {
      // The leader took a slot in subgroup 0, shifting every later subgroup by one.
      start -= 1;
      end -= 1;
    }
  }
  for (let i = start; i <= end; i++) hostnames.push(`${leaderName}-${i}.${subdomain}`);

  appendEnv(
    container,
    { name: TPU_WORKER_HOSTNAMES, value: hostnames.join(',') },
    { name: TPU_WORKER_ID, value: String(tpuWorkerId) },
    { name: TPU_NAME, value: leaderName },
    { name: TPU_PROCESS_ADDRESSES, value: hostnames.map((h) => `${h}:${effectivePort}`).join(',') },
  );
  if (port === undefined) appendEnv(container, { name: TPU_PROCESS_PORT, value: effectivePort });
}
