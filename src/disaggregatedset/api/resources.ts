/**
 * @module disaggregatedset/api/resources
 * The DisaggregatedSet-group resources for the generic client.
 */
import { defineResource } from '../../k8s/client/resources.ts';
import {
  DisaggregatedSetKind,
  DisaggregatedSetPlural,
  DisaggregatedSetRoleScalerKind,
  DisaggregatedSetRoleScalerPlural,
  Group,
  Version,
} from './keys.ts';

export const DISAGGREGATEDSETS = defineResource(Group, Version, DisaggregatedSetPlural, DisaggregatedSetKind, true);
export const ROLE_SCALERS = defineResource(
  Group,
  Version,
  DisaggregatedSetRoleScalerPlural,
  DisaggregatedSetRoleScalerKind,
  true,
);
