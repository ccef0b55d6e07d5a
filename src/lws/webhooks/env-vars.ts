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

/** `{ name, value }` as Go's JSON encoding writes a corev1.EnvVar: an empty `value` is omitted. */
export function envVar(name: string, value: string): V1EnvVar {
  return value === '' ? { name } : { name, value };
}

/** Appends `name=value` variables (in Go's encoding, see envVar). */
export function appendEnv(container: V1Container, ...vars: { name: string; value: string }[]): void {
  container.env = [...(container.env ?? []), ...vars.map((v) => envVar(v.name, v.value))];
}

/** Containers, then init containers: the order upstream walks them in. */
export function allContainers(spec: V1PodSpec | undefined): V1Container[] {
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}
