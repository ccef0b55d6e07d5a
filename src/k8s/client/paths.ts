/**
 * @module kube/paths
 * REST paths and query strings for resources addressed by a ResourceRef.
 */
import type { ResourceRef } from './resources.ts';

export interface PathParts {
  /** Required for namespaced objects; omit on a namespaced collection to address all namespaces. */
  namespace?: string;
  name?: string;
  /** "status", "scale", ... */
  subresource?: string;
}

export class InvalidPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPathError';
  }
}

/** `/api/v1/namespaces/ns/pods/name/status` and the like; every segment is URL-encoded. */
export function resourcePath(ref: ResourceRef, parts: PathParts = {}): string {
  const { namespace, name, subresource } = parts;
  if (namespace !== undefined && !ref.namespaced) {
    throw new InvalidPathError(`${ref.resource} is cluster-scoped: no namespace allowed (got "${namespace}")`);
  }
  if (ref.namespaced && name !== undefined && !namespace) {
    throw new InvalidPathError(`${ref.resource} is namespaced: a namespace is required to address "${name}"`);
  }
  if (name === '') throw new InvalidPathError(`empty ${ref.kind} name`);
  if (subresource !== undefined && name === undefined) {
    throw new InvalidPathError(`subresource "${subresource}" needs an object name`);
  }
  const segments = [ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`];
  if (namespace) segments.push(`/namespaces/${encodeURIComponent(namespace)}`);
  segments.push(`/${ref.resource}`);
  if (name !== undefined) segments.push(`/${encodeURIComponent(name)}`);
  if (subresource) segments.push(`/${encodeURIComponent(subresource)}`);
  return segments.join('');
}

export type QueryValue = string | number | boolean | undefined;

/** `?a=1&b=x` from the defined entries, or "" when there are none. */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
