/**
 * @module certs/ca-injector
 * Puts our CA into `clientConfig.caBundle` of every webhook of the LWS webhook configurations. Only the
 * caBundle fields change, and only when they differ; the object goes back exactly as read otherwise (raw
 * JSON, nothing dropped) with its resourceVersion as precondition, so a concurrent writer (installer,
 * GitOps, the operator) is never overwritten: on a conflict we re-read and try again. An update, not a
 * patch, because upstream's ClusterRole grants `update` on webhook configurations.
 */
import type { KubeClient } from '../client/client.ts';
import { isConflict, isNotFound } from '../client/errors.ts';
import type { ObjectMeta } from '../client/objects.ts';
import type { ResourceRef } from '../client/resources.ts';

interface WebhookConfiguration {
  metadata: ObjectMeta;
  webhooks?: Array<{ name: string; clientConfig?: { caBundle?: string } }>;
}

const MAX_CONFLICTS = 5;

export interface InjectionTarget {
  ref: ResourceRef;
  name: string;
}

/** Upstream's two targets (pkg/cert/cert.go). */
export type InjectionResult = 'patched' | 'unchanged' | 'not-found' | 'deleting';

/** Ensures every webhook of `target` trusts `caPem`. */
export async function injectCABundle(
  client: KubeClient,
  target: InjectionTarget,
  caPem: string,
  signal?: AbortSignal,
): Promise<InjectionResult> {
  const caBundle = Buffer.from(caPem).toString('base64');
  for (let attempt = 1; ; attempt++) {
    let config: WebhookConfiguration;
    try {
      config = await client.get<WebhookConfiguration>(target.ref, { name: target.name }, { signal });
    } catch (e) {
      if (isNotFound(e)) return 'not-found';
      throw e;
    }
    if (config.metadata.deletionTimestamp) return 'deleting';
    const webhooks = config.webhooks ?? [];
    if (webhooks.every((w) => w.clientConfig?.caBundle === caBundle)) return 'unchanged';
    for (const w of webhooks) w.clientConfig = { ...w.clientConfig, caBundle };
    try {
      await client.update(target.ref, config as WebhookConfiguration & { metadata: ObjectMeta }, { signal });
      return 'patched';
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_CONFLICTS) throw e;
    }
  }
}
