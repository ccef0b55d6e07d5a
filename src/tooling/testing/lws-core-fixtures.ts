/**
 * @module core/test-fixtures
 * Test-only builders for the core's table tests, shaped after upstream's test/wrappers: a defaulted LWS as the
 * apiserver hands it to the controller (BuildLeaderWorkerSet: 2 replicas, size 2, maxUnavailable 1, maxSurge 0),
 * leader pods and worker StatefulSets in the states the integration tests put them in.
 */
import type { V1PodSpec } from '@kubernetes/client-node';
import {
  GROUP_INDEX_LABEL,
  GROUP_UNIQUE_HASH_LABEL,
  REPLICAS_ANNOTATION,
  REVISION_KEY_LABEL,
  SET_NAME_LABEL,
  SIZE_ANNOTATION,
  WORKER_INDEX_LABEL,
} from '../../lws/api/keys.ts';
import type { IntOrString, LeaderWorkerSet, SubdomainPolicy } from '../../lws/api/types.ts';
import type { Pod, StatefulSet } from '../../k8s/client/objects.ts';

const NGINX = 'docker.io/nginxinc/nginx-unprivileged:1.27';

export function makeWorkerPodSpec(): V1PodSpec {
  return { containers: [{ name: 'worker', image: NGINX, ports: [{ containerPort: 8080, protocol: 'TCP' }] }] };
}

export function makeLeaderPodSpec(): V1PodSpec {
  return { containers: [{ name: 'leader', image: NGINX }] };
}

export interface LwsOptions {
  name?: string;
  namespace?: string;
  replicas?: number;
  size?: number;
  maxUnavailable?: IntOrString;
  maxSurge?: IntOrString;
  partition?: number;
  generation?: number;
  subdomainPolicy?: SubdomainPolicy;
  leaderTemplate?: boolean;
}

/** Upstream wrappers.BuildLeaderWorkerSet, defaulted as the webhook would. */
export function makeLws(options: LwsOptions = {}): LeaderWorkerSet {
  const lws: LeaderWorkerSet = {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: {
      name: options.name ?? 'test-sample',
      namespace: options.namespace ?? 'default',
      uid: 'lws-uid',
      generation: options.generation ?? 1,
    },
    spec: {
      replicas: options.replicas ?? 2,
      leaderWorkerTemplate: {
        size: options.size ?? 2,
        restartPolicy: 'RecreateGroupOnPodRestart',
        workerTemplate: { spec: makeWorkerPodSpec() },
      },
      rolloutStrategy: {
        type: 'RollingUpdate',
        rollingUpdateConfiguration: {
          partition: options.partition ?? 0,
          maxUnavailable: options.maxUnavailable ?? 1,
          maxSurge: options.maxSurge ?? 0,
        },
      },
      startupPolicy: 'LeaderCreated',
      networkConfig: { subdomainPolicy: options.subdomainPolicy ?? 'Shared' },
    },
  };
  if (options.leaderTemplate !== false) lws.spec.leaderWorkerTemplate.leaderTemplate = { spec: makeLeaderPodSpec() };
  return lws;
}

export interface LeaderPodOptions {
  revision: string;
  ready?: boolean;
  uid?: string;
  deleting?: boolean;
}

/** A leader pod `<lws>-<index>` as upstream's test makeLeaderPod creates it, optionally Running and Ready. */
export function makeLeaderPod(lws: LeaderWorkerSet, index: number, options: LeaderPodOptions): Pod {
  const name = `${lws.metadata.name}-${index}`;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: lws.metadata.namespace!,
      uid: options.uid ?? `${name}-uid`,
      labels: {
        [SET_NAME_LABEL]: lws.metadata.name!,
        [WORKER_INDEX_LABEL]: '0',
        [GROUP_INDEX_LABEL]: String(index),
        [GROUP_UNIQUE_HASH_LABEL]: 'randomValue',
        [REVISION_KEY_LABEL]: options.revision,
      },
      annotations: { [SIZE_ANNOTATION]: String(lws.spec.leaderWorkerTemplate.size) },
    },
    spec: makeLeaderPodSpec(),
    status: options.ready
      ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }
      : { phase: 'Pending' },
  };
  if (options.deleting) pod.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return pod;
}

/** A worker StatefulSet of group `index`; ready means what upstream's SetPodGroupToReady writes. */
export function makeWorkerSts(
  lws: LeaderWorkerSet,
  index: number,
  options: { revision: string; ready?: boolean },
): StatefulSet {
  const replicas = (lws.spec.leaderWorkerTemplate.size ?? 1) - 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: `${lws.metadata.name}-${index}`,
      namespace: lws.metadata.namespace!,
      labels: {
        [SET_NAME_LABEL]: lws.metadata.name!,
        [GROUP_INDEX_LABEL]: String(index),
        [REVISION_KEY_LABEL]: options.revision,
      },
    },
    spec: { replicas, selector: {}, serviceName: lws.metadata.name!, template: {} },
    status: options.ready ? { replicas, readyReplicas: replicas, availableReplicas: replicas } : {},
  };
}

/** A leader StatefulSet as the controller last applied it. */
export function makeLeaderSts(
  lws: LeaderWorkerSet,
  options: { replicas: number; partition: number; revision: string; recordedReplicas?: number },
): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: lws.metadata.name!,
      namespace: lws.metadata.namespace!,
      labels: { [SET_NAME_LABEL]: lws.metadata.name!, [REVISION_KEY_LABEL]: options.revision },
      annotations: { [REPLICAS_ANNOTATION]: String(options.recordedReplicas ?? lws.spec.replicas) },
    },
    spec: {
      replicas: options.replicas,
      selector: {},
      serviceName: lws.metadata.name!,
      template: {},
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: options.partition } },
    },
  };
}
