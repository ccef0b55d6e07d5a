/**
 * @module lws/api/go-types
 * The Go types of the LeaderWorkerSet API as the Go-compatible JSON encoder sees them (field order, omitempty),
 * from go-types.json, which hack/golden generates from upstream's own types.
 */
import schema from './go-types.json' with { type: 'json' };
import { goTypeTable, type GoTypeSchema } from '../../k8s/go/gojson.ts';

const table = goTypeTable(schema as unknown as GoTypeSchema);

export const LEADER_WORKER_TEMPLATE = table.root('LeaderWorkerTemplate');
export const NETWORK_CONFIG = table.root('NetworkConfig');
export const LEADER_WORKER_SET = table.root('LeaderWorkerSet');
