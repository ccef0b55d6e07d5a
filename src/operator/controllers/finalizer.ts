/**
 * @module operator/finalizer
 * Adding and removing the operator's finalizer on the instance: a merge patch of the whole list, guarded by the
 * resourceVersion the list was read at (a concurrent change makes it fail with Conflict, never lose a finalizer).
 */
import type { KubeClient } from '../../k8s/client/client.ts';
import type { KubeObject } from '../../k8s/client/objects.ts';
import { LEADERWORKERSET_OPERATORS } from '../api/resources.ts';
import { OPERATOR_FINALIZER } from '../core/plan.ts';

/** Pure: the finalizer list with ours present or absent; undefined when it already is. */
export function finalizersWith(finalizers: readonly string[] | undefined, present: boolean): string[] | undefined {
  const list = finalizers ?? [];
  if (list.includes(OPERATOR_FINALIZER) === present) return undefined;
  return present ? [...list, OPERATOR_FINALIZER] : list.filter((f) => f !== OPERATOR_FINALIZER);
}

/** Writes our finalizer's presence on `instance` (a no-op when it already is so). NotFound is the caller's. */
export async function setOperatorFinalizer(client: KubeClient, instance: KubeObject, present: boolean): Promise<void> {
  const next = finalizersWith(instance.metadata.finalizers, present);
  if (!next) return;
  await client.patch(
    LEADERWORKERSET_OPERATORS,
    { name: instance.metadata.name! },
    { metadata: { finalizers: next, resourceVersion: instance.metadata.resourceVersion } },
    { type: 'merge' },
  );
}
