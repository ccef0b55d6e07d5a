/**
 * @module disaggregatedset/render/render
 * Offline rendering of a DisaggregatedSet: the schema defaults, the admission decision, then the objects the
 * controller creates for it from an empty namespace (child LeaderWorkerSets, RoleScalers, the per-role headless
 * Services it adds once every role is ready) and, for each child LeaderWorkerSet, everything the LeaderWorkerSet
 * controller and webhooks make of it (lws/render). Computed with the controllers' own pure functions.
 */
import type { KubeObject } from '../../k8s/client/objects.ts';
import { formatFieldErrors } from '../../k8s/validation/field-errors.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { render as renderLeaderWorkerSet, RenderError, type Rendered as RenderedLws } from '../../lws/render/render.ts';
import type { DisaggregatedSet, LeaderWorkerSetLike } from '../api/types.ts';
import { DisaggregatedSetKind } from '../api/keys.ts';
import { reconcile } from '../core/reconcile.ts';
import { buildService } from '../core/render.ts';
import { goRoleTemplatesEncoder } from '../core/revision.ts';
import { applyDisaggregatedSetCrdDefaults } from '../webhooks/crd-defaults.ts';
import { validateDisaggregatedSet } from '../webhooks/validation.ts';

export { RenderError };

export interface RenderedDisaggregatedSet {
  /** The set after schema defaults. */
  disaggregatedSet: DisaggregatedSet;
  revision: string;
  warnings: string[];
  /** Child LeaderWorkerSets, RoleScalers and Services, in the controller's order. */
  objects: KubeObject[];
  /** What the LeaderWorkerSet controller and webhooks make of each child LeaderWorkerSet. */
  children: RenderedLws[];
}

export function renderDisaggregatedSet(input: DisaggregatedSet): RenderedDisaggregatedSet {
  if (input.kind !== DisaggregatedSetKind) {
    throw new RenderError(`expected kind ${DisaggregatedSetKind}, got ${input.kind ?? 'none'}`);
  }
  const ds = applyDisaggregatedSetCrdDefaults(input);
  ds.metadata ??= {};
  ds.metadata.namespace ??= 'default';
  ds.metadata.uid ??= '';
  const { errors, warnings } = validateDisaggregatedSet(ds);
  if (errors.length > 0) throw new RenderError(`the DisaggregatedSet would be rejected: ${formatFieldErrors(errors)}`);

  const pass = reconcile(
    { ds, leaderWorkerSets: [], services: [], scalers: [] },
    {
      encodeRoleTemplates: goRoleTemplatesEncoder,
      now: '1970-01-01T00:00:00Z',
    },
  );
  const objects: KubeObject[] = [];
  const lwsObjects: LeaderWorkerSetLike[] = [];
  for (const a of pass.actions) {
    if (a.kind === 'CreateLWS') lwsObjects.push(a.object);
    else if (a.kind === 'CreateScaler') objects.push(a.object as KubeObject);
  }
  // The controller adds each Service once every role of the revision has a ready group.
  const services = lwsObjects.map((l) => ({ apiVersion: 'v1', kind: 'Service', ...buildService(ds, l) }) as KubeObject);
  const children = lwsObjects.map((l) => renderLeaderWorkerSet(structuredClone(l) as unknown as LeaderWorkerSet));
  return {
    disaggregatedSet: ds,
    revision: pass.revision,
    warnings,
    objects: [...(lwsObjects as KubeObject[]), ...objects, ...services],
    children,
  };
}
