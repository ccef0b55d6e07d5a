/**
 * @module disaggregatedset/core/revision
 * The DisaggregatedSet revision hash (upstream utils.ComputeRevision).
 *
 * Upstream builds, for spec.roles in order, a Go slice of
 *
 *     struct { Name string `json:"name"`; Template LeaderWorkerTemplate `json:"template"` }
 *
 * (`template` = role.spec.leaderWorkerTemplate; replicas, rolloutStrategy, startupPolicy,
 * networkConfig, scaling and the role metadata are NOT hashed) and calls `json.Marshal` on it,
 * then takes `hex(sha256(bytes))[:8]`.
 *
 * The bytes are therefore Go's encoding/json output for typed structs:
 *  - compact, HTML-escaped strings (`<`, `>`, `&`, U+2028, U+2029 escaped), no trailing newline;
 *  - struct fields in Go declaration order (NOT sorted), `omitempty` honoured, zero values of
 *    non-omitempty fields emitted (a nil slice as `null`, e.g. `"containers":null`); the zero
 *    ObjectMeta.creationTimestamp is dropped (`omitempty,omitzero` in the k8s.io/apimachinery
 *    v0.10.0 vendors), so an empty pod-template metadata marshals as `"metadata":{}`;
 *  - Go map values (labels, annotations, nodeSelector, resource lists, ...) with keys sorted
 *    bytewise;
 *  - resource.Quantity in canonical form, IntOrString as number or string;
 *  - unknown fields dropped (the controller decoded the object into Go structs first).
 * An empty roles list marshals as `[]` (the slice is non-nil).
 *
 * That encoding is injected (`encodeRoleTemplates`), so the wiring can plug in the project's
 * Go-JSON encoder: decode each template with the LeaderWorkerTemplate field table and marshal it
 * keeping struct field order (sorting only Go-map keys). Only SHA-256 itself is computed here.
 */
import { createHash } from 'node:crypto';
import { RevisionLength } from '../api/keys.ts';
import type { DisaggregatedRoleSpec, LeaderWorkerTemplateLike } from '../api/types.ts';
import { ROLE_TEMPLATES } from '../api/go-types.ts';
import { encodeGoTyped } from '../../k8s/go/gojson.ts';

/** One element of the hashed array, in upstream field order: name, then template. */
export interface RoleTemplate {
  name: string;
  template: LeaderWorkerTemplateLike;
}

/** Returns Go's `json.Marshal([]roleTemplate{...})` bytes (see module doc). */
export type RoleTemplatesEncoder = (templates: readonly RoleTemplate[]) => string | Uint8Array;

/** The value upstream hashes, before encoding. A missing leaderWorkerTemplate is the zero struct `{}`. */
export function roleTemplates(roles: readonly DisaggregatedRoleSpec[]): RoleTemplate[] {
  return roles.map((role) => ({ name: role.name, template: role.spec?.leaderWorkerTemplate ?? {} }));
}

/** ComputeRevision: first 8 hex chars of SHA-256 over the encoded role templates. */
export function computeRevision(roles: readonly DisaggregatedRoleSpec[], encode: RoleTemplatesEncoder): string {
  const bytes = encode(roleTemplates(roles));
  const full = createHash('sha256').update(bytes).digest('hex');
  return full.length >= RevisionLength ? full.slice(0, RevisionLength) : full;
}

/**
 * The encoder the controller uses: Go's encoding/json of `[]roleTemplate` (struct fields in declaration order,
 * Go-map keys sorted), byte-identical to upstream (test/golden/ds-revision-keys.json, from upstream's own
 * ComputeRevision). Throws GoDecodeError on a template Go could not decode.
 */
export const goRoleTemplatesEncoder: RoleTemplatesEncoder = (templates) => encodeGoTyped(templates, ROLE_TEMPLATES);

/**
 * A stand-in encoder for tests and tooling only: JSON.stringify with object keys as given. It is
 * deterministic and sensitive to every template field, but it is NOT byte-identical to Go, so
 * revision names produced with it differ from upstream's.
 */
export const plainJSONEncoder: RoleTemplatesEncoder = (templates) => JSON.stringify(templates);
