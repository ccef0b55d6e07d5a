/**
 * @module webhooks/env-vars
 * Container environment helpers shared by the TPU and LWS variable injection.
 */
import type { V1Container, V1EnvVar, V1PodSpec } from '@kubernetes/client-node';

/** The value of the first `name` entry (Go's "" for a valueFrom entry), or undefined when absent. */
export function envValue(container: V1Container, name: string): string | undefined {
  const entry = container.env?.find((e) => e.name === name);
  return entry ? (entry.value ?? '') : undefined;
}

export function appendEnv(container: V1Container, ...vars: V1EnvVar[]): void {
  container.env = [...(container.env ?? []), ...vars];
}

/** Containers, then init containers: the order upstream walks them in. */
export function allContainers(spec: V1PodSpec | undefined): V1Container[] {
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}
