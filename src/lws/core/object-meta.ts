/**
 * @module core/object-meta
 * Metadata helpers shared by the object builders: label/annotation merging and controller owner references.
 */
import type { KubeObject, OwnerReference } from '../../k8s/client/objects.ts';

/**
 * User metadata overlaid with the controller's (controller keys win); undefined when both are empty, as
 * upstream's mergeMetadata returns nil and the field is then left out.
 */
export function mergeMetadata(
  user: Record<string, string> | undefined,
  controller: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (Object.keys(user ?? {}).length === 0 && Object.keys(controller ?? {}).length === 0) return undefined;
  return { ...user, ...controller };
}

/** A controller reference as controller-runtime's SetControllerReference writes it. */
export function controllerReference(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The owner reference marked controller, like metav1.GetControllerOf. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}
