/**
 * @module certs/ca-injector
 * Puts our CA into `clientConfig.caBundle` of every webhook of the LWS webhook configurations. Only the
 * caBundle fields change (a strategic-merge patch keyed by webhook name), and only when they differ, so
 * other writers of the configurations (installers, GitOps, the operator) keep their fields.
 */
import type { KubeClient } from '../kube/client.ts';
import { isNotFound } from '../kube/errors.ts';
import {
  MUTATING_WEBHOOK_CONFIGURATIONS,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
  type ResourceRef,
} from '../kube/resources.ts';
import { MUTATING_WEBHOOK_CONFIGURATION, VALIDATING_WEBHOOK_CONFIGURATION } from '../manifests/webhooks.ts';

interface WebhookConfiguration {
  metadata: { name?: string; deletionTimestamp?: string };
  webhooks?: Array<{ name: string; clientConfig?: { caBundle?: string } }>;
}

export interface InjectionTarget {
  ref: ResourceRef;
  name: string;
}

/** Upstream's two targets (pkg/cert/cert.go). */
export const LWS_WEBHOOK_CONFIGURATIONS: readonly InjectionTarget[] = [
  { ref: VALIDATING_WEBHOOK_CONFIGURATIONS, name: VALIDATING_WEBHOOK_CONFIGURATION },
  { ref: MUTATING_WEBHOOK_CONFIGURATIONS, name: MUTATING_WEBHOOK_CONFIGURATION },
];

export type InjectionResult = 'patched' | 'unchanged' | 'not-found' | 'deleting';

/** Ensures every webhook of `target` trusts `caPem`. */
export async function injectCABundle(
  client: KubeClient,
  target: InjectionTarget,
  caPem: string,
  signal?: AbortSignal,
): Promise<InjectionResult> {
  const caBundle = Buffer.from(caPem).toString('base64');
  let config: WebhookConfiguration;
  try {
    config = await client.get<WebhookConfiguration>(target.ref, { name: target.name }, { signal });
  } catch (e) {
    if (isNotFound(e)) return 'not-found';
    throw e;
  }
  if (config.metadata.deletionTimestamp) return 'deleting';
  const stale = (config.webhooks ?? []).filter((w) => w.clientConfig?.caBundle !== caBundle);
  if (stale.length === 0) return 'unchanged';
  const patch = { webhooks: stale.map((w) => ({ name: w.name, clientConfig: { caBundle } })) };
  await client.patch(target.ref, { name: target.name }, patch, { type: 'strategic', signal });
  return 'patched';
}
