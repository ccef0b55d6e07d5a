/**
 * @module webhooks/lws-env
 * LWS_LEADER_ADDRESS, LWS_GROUP_SIZE and LWS_WORKER_INDEX, put first (in that order) in every container and
 * init container. Existing entries with those names, and any repeated names, are dropped; the rest keep order.
 */
import type { V1Container, V1EnvVar } from '@kubernetes/client-node';
import type { Pod } from '../../k8s/client/objects.ts';
import {
  GROUP_INDEX_LABEL,
  LWS_GROUP_SIZE,
  LWS_LEADER_ADDRESS,
  LWS_WORKER_INDEX,
  SET_NAME_LABEL,
  SIZE_ANNOTATION,
  WORKER_INDEX_LABEL,
} from '../api/keys.ts';
import { AdmissionError } from '../../k8s/admission/errors.ts';
import { allContainers, envVar } from './env-vars.ts';

/** klog.KObj rendering: `namespace/name`, or `name` without a namespace. */
function podRef(pod: Pod): string {
  const { namespace, name = '' } = pod.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

function required(values: Record<string, string> | undefined, key: string, what: string, pod: Pod): string {
  const value = values?.[key];
  if (value === undefined) {
    throw new AdmissionError(`Failure constructing environment variables, no ${what} found for pod ${podRef(pod)}`);
  }
  return value;
}

function putFirst(container: V1Container, first: V1EnvVar[]): void {
  const seen = new Set(first.map((e) => e.name));
  const env = [...first];
  for (const entry of container.env ?? []) {
    if (seen.has(entry.name)) continue;
    seen.add(entry.name);
    env.push(entry);
  }
  container.env = env;
}

/** Adds the LWS variables to `pod` in place (pass a copy). */
export function addLWSVariables(pod: Pod): void {
  const { labels, annotations, namespace = '' } = pod.metadata;
  const lwsName = required(labels, SET_NAME_LABEL, 'name label', pod);
  const groupIndex = required(labels, GROUP_INDEX_LABEL, 'group index label', pod);
  const leaderAddress = `${lwsName}-${groupIndex}.${pod.spec?.subdomain ?? ''}.${namespace}`;
  const size = required(annotations, SIZE_ANNOTATION, 'size annotation', pod);
  const workerIndex = required(labels, WORKER_INDEX_LABEL, 'worker index label', pod);
  const vars = [
    { name: LWS_LEADER_ADDRESS, value: leaderAddress },
    { name: LWS_GROUP_SIZE, value: size },
    { name: LWS_WORKER_INDEX, value: workerIndex },
  ];
  for (const container of allContainers(pod.spec))
    putFirst(
      container,
      vars.map((v) => envVar(v.name, v.value)),
    );
}
