/**
 * @module webhooks/test-fixtures
 * Test-only builders mirroring upstream's test/wrappers (BuildLeaderWorkerSet, Make*PodSpec), so ported test
 * cases read like the originals, and `admit`, which runs an object through the apiserver's admission order.
 */
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { API_VERSION, KIND, TPU_RESOURCE_NAME } from '../../lws/api/keys.ts';
import { applyCrdDefaults } from '../../lws/webhooks/crd-defaults.ts';
import { GoPanic, recoveredPanicMessage } from '../../k8s/admission/errors.ts';
import { formatFieldErrors } from '../../k8s/validation/field-errors.ts';
import { defaultLeaderWorkerSet } from '../../lws/webhooks/lws-defaults.ts';
import { validateLeaderWorkerSet } from '../../lws/webhooks/lws-validation.ts';

const NGINX = 'docker.io/nginxinc/nginx-unprivileged:1.27';

export function makeWorkerPodSpec(): V1PodSpec {
  return { containers: [{ name: 'worker', image: NGINX, ports: [{ containerPort: 8080, protocol: 'TCP' }] }] };
}

export function makeLeaderPodSpec(): V1PodSpec {
  return { containers: [{ name: 'leader', image: NGINX }] };
}

export function makeContainerWithTPU(name: string, env?: V1Container['env']): V1Container {
  const container: V1Container = { name, image: 'busybox', resources: { limits: { [TPU_RESOURCE_NAME]: '4' } } };
  if (env) container.env = env;
  return container;
}

export function makeLeaderPodSpecWithTPUResource(): V1PodSpec {
  return { containers: [makeContainerWithTPU('worker')], subdomain: 'default' };
}

export function makeWorkerPodSpecWithTPUResource(): V1PodSpec {
  return {
    containers: [
      {
        name: 'leader',
        image: NGINX,
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        resources: { requests: { [TPU_RESOURCE_NAME]: '4' }, limits: { [TPU_RESOURCE_NAME]: '4' } },
      },
    ],
    subdomain: 'default',
  };
}

export function makeLeaderPodSpecWithTPUResourceMultipleContainers(): V1PodSpec {
  return {
    containers: [
      makeContainerWithTPU('worker'),
      { name: 'leader', image: NGINX, ports: [{ containerPort: 8080, protocol: 'TCP' }] },
    ],
    subdomain: 'default',
  };
}

export function makePodSpecWithInitContainer(): V1PodSpec {
  const env = () => [
    { name: 'key1', value: 'value1' },
    { name: 'key2', value: 'value2' },
  ];
  return {
    containers: [{ name: 'test', image: 'busybox', env: env() }],
    initContainers: [{ name: 'init-test', image: 'busybox', env: env() }],
    subdomain: 'test-sample',
  };
}

/** Upstream's `BuildLeaderWorkerSet(ns)`: 2 groups of 2, every defaultable field already set. */
export function buildLeaderWorkerSet(namespace = 'default'): LeaderWorkerSet {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: 'test-sample', namespace },
    spec: {
      replicas: 2,
      leaderWorkerTemplate: {
        restartPolicy: 'RecreateGroupOnPodRestart',
        size: 2,
        leaderTemplate: { spec: makeLeaderPodSpec() },
        workerTemplate: { spec: makeWorkerPodSpec() },
      },
      rolloutStrategy: {
        type: 'RollingUpdate',
        rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1, maxSurge: 0 },
      },
      startupPolicy: 'LeaderCreated',
      networkConfig: { subdomainPolicy: 'Shared' },
    },
  };
}

/** A copy of `lws` changed by `change`. */
export function edit(lws: LeaderWorkerSet, change: (copy: LeaderWorkerSet) => void): LeaderWorkerSet {
  const copy = structuredClone(lws);
  change(copy);
  return copy;
}

export interface AdmissionOutcome {
  /** The object as stored (after defaulting) when allowed. */
  object?: LeaderWorkerSet;
  /** The denial text (upstream's aggregate message), or the recovered-panic message. */
  denied?: string;
}

/**
 * What the apiserver does with a LeaderWorkerSet write: CRD schema defaults, the mutating webhook, then the
 * validating webhook (schema enum/range checks are not simulated). `old` is the stored object on update.
 */
export function admit(lws: LeaderWorkerSet, old?: LeaderWorkerSet): AdmissionOutcome {
  const object = defaultLeaderWorkerSet(applyCrdDefaults(lws));
  try {
    const errors = validateLeaderWorkerSet(object, old);
    return errors.length > 0 ? { denied: formatFieldErrors(errors) } : { object };
  } catch (e) {
    if (e instanceof GoPanic) return { denied: recoveredPanicMessage(e) };
    throw e;
  }
}
