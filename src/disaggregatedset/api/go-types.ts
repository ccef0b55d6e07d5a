/**
 * @module disaggregatedset/api/go-types
 * The Go shape upstream's ComputeRevision marshals: a slice of its local `roleTemplate` struct (name, then the
 * role's LeaderWorkerTemplate), over the LeaderWorkerSet field table (lws/api/go-types.json).
 */
import { LEADER_WORKER_TEMPLATE } from '../../lws/api/go-types.ts';
import { goStruct, type GoType } from '../../k8s/go/gojson.ts';

export const ROLE_TEMPLATES: GoType = {
  kind: 'slice',
  elem: goStruct('roleTemplate', [
    ['name', { kind: 'string' }],
    ['template', LEADER_WORKER_TEMPLATE],
  ]),
};
