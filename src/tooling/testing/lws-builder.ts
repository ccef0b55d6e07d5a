/**
 * @module testing/lws-builder
 * Builds LeaderWorkerSet objects for tests, like upstream's test wrappers: the same default object
 * (2 groups of 2, nginx leader + worker with port 8080, RecreateGroupOnPodRestart, LeaderCreated,
 * Shared) and small, chainable changes.
 */
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { API_VERSION, KIND } from '../../lws/api/keys.ts';

export function defaultLws(namespace: string, name = 'test-sample'): LeaderWorkerSet {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      startupPolicy: 'LeaderCreated',
      rolloutStrategy: {
        type: 'RollingUpdate',
        rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1, maxSurge: 0 },
      },
      networkConfig: { subdomainPolicy: 'Shared' },
      leaderWorkerTemplate: {
        size: 2,
        restartPolicy: 'RecreateGroupOnPodRestart',
        leaderTemplate: {
          spec: { containers: [{ name: 'leader', image: 'nginxinc/nginx-unprivileged:1.27' }] },
        },
        workerTemplate: {
          spec: {
            containers: [
              {
                name: 'worker',
                image: 'nginxinc/nginx-unprivileged:1.27',
                ports: [{ containerPort: 8080, protocol: 'TCP' }],
              },
            ],
          },
        },
      },
    },
  };
}

/** Returns a deep copy of `lws` with `change` applied to it. */
export function withChange(lws: LeaderWorkerSet, change: (copy: LeaderWorkerSet) => void): LeaderWorkerSet {
  const copy = structuredClone(lws);
  change(copy);
  return copy;
}
