/**
 * @module install/apply
 * Server-side apply of install objects (CRDs, webhook configurations, RBAC…) with one field manager,
 * and waiting for a CRD to be Established.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';
import { CRDS, resourceFor } from './resources.ts';

export const INSTALL_FIELD_MANAGER = 'lwsctl';

/** Applies `object` (its apiVersion/kind pick the resource), taking ownership of every field it sets. */
export async function applyObject<T = KubeObject>(
  client: KubeClient,
  object: KubeObject,
  fieldManager = INSTALL_FIELD_MANAGER,
) {
  const ref = resourceFor(object.apiVersion ?? '', object.kind ?? '');
  if (!ref) throw new Error(`no known resource for ${object.apiVersion} ${object.kind}`);
  return client.apply<T>(ref, object, { fieldManager, force: true });
}

interface CrdStatus {
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

/** Waits until the CRD serves its API (condition Established), failing with the apiserver's reason. */
export async function waitForCRD(client: KubeClient, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no conditions yet';
  while (Date.now() < deadline) {
    const crd = await client.get<CrdStatus>(CRDS, { name });
    const conditions = crd.status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
    const names = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
    if (names) throw new Error(`CRD ${name} names not accepted: ${names.message}`);
    last = conditions.map((c) => `${c.type}=${c.status}`).join(', ') || last;
    await sleep(100);
  }
  throw new Error(`CRD ${name} not Established after ${timeoutMs / 1000}s (${last})`);
}
