/**
 * @module webhooks/lws-defaults
 * The LeaderWorkerSet mutating webhook (`mleaderworkerset.kb.io`), exactly upstream's `Default`. The CRD schema
 * defaults (replicas, size, startupPolicy, ...) are applied by the apiserver before this runs; see
 * `crd-defaults.ts` for those.
 */
import type { LeaderWorkerSet } from '../api/types.ts';

export function defaultLeaderWorkerSet(input: LeaderWorkerSet): LeaderWorkerSet {
  const lws = structuredClone(input);
  const template = lws.spec.leaderWorkerTemplate;
  // Go reads a missing or null string as "".
  if (!template.restartPolicy) template.restartPolicy = 'RecreateGroupOnPodRestart';
  if (template.restartPolicy === 'Default') template.restartPolicy = 'None';

  // rolloutStrategy is a non-pointer struct in Go: always there to default into.
  const strategy = (lws.spec.rolloutStrategy ??= {});
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate' && !strategy.rollingUpdateConfiguration) {
    strategy.rollingUpdateConfiguration = { partition: 0, maxUnavailable: 1, maxSurge: 0 };
  }

  if (!lws.spec.networkConfig) lws.spec.networkConfig = { subdomainPolicy: 'Shared' };
  else if (!lws.spec.networkConfig.subdomainPolicy) lws.spec.networkConfig.subdomainPolicy = 'Shared';
  return lws;
}
