/**
 * @module disaggregatedset/api/crd-schema
 * The DisaggregatedSet and DisaggregatedSetRoleScaler parts of the CRD schemas, written as OpenAPI fragments:
 * names, types, defaults, enums, bounds and CEL rules exactly as upstream's kubebuilder markers produce them
 * (v0.10.0, plus `status.observedGeneration` from main, #933), with our own descriptions. A role's `spec` is the
 * LeaderWorkerSet spec schema itself; built-in types are `$ref`s that crd.ts inlines from the apiserver's OpenAPI.
 */
import { leaderWorkerSetSpecSchema } from '../../lws/api/crd-schema.ts';
import { CONDITION, EMBEDDED_OBJECT_META, ref, type JSONSchemaProps } from '../../k8s/crd/schema.ts';
import {
  DefaultSlices,
  MaxRoles,
  MaxSlices,
  MinRoles,
  MinSlices,
  PlacementExclusiveSlice,
  PlacementExclusiveTopology,
  PlacementNone,
  RoleScalingExternal,
  RoleScalingStatic,
} from './keys.ts';

const int32 = (description: string): JSONSchemaProps => ({ description, type: 'integer', format: 'int32' });

const conditions = (description: string): JSONSchemaProps => ({
  description,
  type: 'array',
  items: ref(CONDITION),
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
});

/** The CEL rule on `.spec` (upstream's XValidation marker, verbatim: it is behaviour, not prose). */
export const REPLICAS_RULE =
  "self.roles.filter(r, !has(r.scaling) || r.scaling.mode != 'External').all(r, !has(r.spec.replicas) || " +
  "r.spec.replicas == 0) || self.roles.filter(r, !has(r.scaling) || r.scaling.mode != 'External').all(r, " +
  'has(r.spec.replicas) && r.spec.replicas > 0)';
export const REPLICAS_RULE_MESSAGE =
  'replicas must be zero for all non-External roles or non-zero for all non-External roles';

const role: JSONSchemaProps = {
  description: 'One role of the set: a LeaderWorkerSet template plus how its replica count is driven.',
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      description:
        'name identifies the role within the set (for example prefill or decode). It is part of the names and ' +
        'labels of the role’s LeaderWorkerSets and Services, so it must be a DNS label.',
      type: 'string',
      minLength: 1,
      maxLength: 63,
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    },
    scaling: {
      description: 'scaling says where the role’s replica count comes from. Omitted means Static.',
      type: 'object',
      properties: {
        mode: {
          description:
            'mode is Static when spec.replicas of the role is the count, or External when a ' +
            'DisaggregatedSetRoleScaler named <set>-<role> holds it (written by an autoscaler through /scale).',
          type: 'string',
          enum: [RoleScalingStatic, RoleScalingExternal],
          default: RoleScalingStatic,
        },
      },
    },
    metadata: {
      ...EMBEDDED_OBJECT_META,
      description: 'metadata holds labels and annotations copied onto each LeaderWorkerSet made for the role.',
    },
    spec: {
      ...leaderWorkerSetSpecSchema,
      description:
        'spec is the LeaderWorkerSet spec of the role. Only leaderWorkerTemplate takes part in the revision: ' +
        'changing it rolls every role to a new revision together.',
    },
  },
};

/** `.spec` of a DisaggregatedSet. */
export const disaggregatedSetSpecSchema: JSONSchemaProps = {
  description: 'spec is the desired state of the DisaggregatedSet.',
  type: 'object',
  required: ['roles'],
  properties: {
    roles: {
      description:
        'roles are the parts of the serving system (at least two, at most ten), each run as its own ' +
        'LeaderWorkerSet and rolled out together with the others. Role names are unique.',
      type: 'array',
      items: role,
      minItems: MinRoles,
      maxItems: MaxRoles,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
    slices: {
      description:
        'slices is the number of independent copies of the whole set of roles, each with its own ' +
        'LeaderWorkerSets and Services. Defaults to 1.',
      type: 'integer',
      format: 'int32',
      default: DefaultSlices,
      minimum: MinSlices,
      maximum: MaxSlices,
    },
    placementPolicy: {
      description:
        'placementPolicy co-locates the roles of a slice and keeps slices apart through pod affinity and ' +
        'anti-affinity added to the LeaderWorkerSet templates. It is applied when a LeaderWorkerSet is created, ' +
        'so a change takes effect with the next rollout.',
      type: 'object',
      properties: {
        type: {
          description: 'type is None (no placement), ExclusiveSlice or ExclusiveTopology. Defaults to None.',
          type: 'string',
          enum: [PlacementNone, PlacementExclusiveSlice, PlacementExclusiveTopology],
          default: PlacementNone,
        },
        topology: {
          description: 'topology is the node label key of a placement domain; required unless type is None.',
          type: 'string',
        },
      },
    },
  },
  'x-kubernetes-validations': [{ rule: REPLICAS_RULE, message: REPLICAS_RULE_MESSAGE }],
};

/** `.status` of a DisaggregatedSet. */
export const disaggregatedSetStatusSchema: JSONSchemaProps = {
  description: 'status is the state of the DisaggregatedSet as last observed by the controller.',
  type: 'object',
  properties: {
    observedGeneration: {
      description: 'observedGeneration is the metadata.generation this status was computed for.',
      type: 'integer',
      format: 'int64',
    },
    roleStatuses: {
      description: 'roleStatuses has one entry per role of spec.roles, in that order.',
      type: 'array',
      items: {
        description: 'The replica counts of one role, summed over its LeaderWorkerSets in every slice.',
        type: 'object',
        required: ['name'],
        properties: {
          name: { description: 'name is the role.', type: 'string' },
          replicas: int32('replicas is the number of groups of the role, on any revision.'),
          readyReplicas: int32('readyReplicas is the number of ready groups of the role, on any revision.'),
          updatedReplicas: int32('updatedReplicas is the number of groups of the role on the current revision.'),
        },
      },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
    conditions: conditions('conditions are the Available and Progressing conditions of the set.'),
  },
};

/** `.spec` of a DisaggregatedSetRoleScaler. */
export const roleScalerSpecSchema: JSONSchemaProps = {
  description: 'spec is the desired replica count of the role.',
  type: 'object',
  required: ['replicas'],
  properties: {
    replicas: {
      description:
        'replicas is the number of groups the role should have; the target of the scale subresource. The ' +
        'controller seeds it when it creates the scaler. Always present (default 0) so that /scale can read it.',
      type: 'integer',
      format: 'int32',
      default: 0,
      minimum: 0,
    },
  },
};

/** `.status` of a DisaggregatedSetRoleScaler. */
export const roleScalerStatusSchema: JSONSchemaProps = {
  description: 'status is the role as last observed by the DisaggregatedSet controller.',
  type: 'object',
  properties: {
    replicas: int32('replicas is the number of groups of the role over all revisions (reported through /scale).'),
    selector: {
      description:
        'selector selects the leader pod of every group of the role, for the metrics of a HorizontalPodAutoscaler.',
      type: 'string',
    },
    observedGeneration: {
      description: 'observedGeneration is the metadata.generation this status was computed for.',
      type: 'integer',
      format: 'int64',
    },
    conditions: conditions('conditions hold the Ready condition of the scaler.'),
  },
};

export const DISAGGREGATED_SET_DESCRIPTION =
  'DisaggregatedSet runs several roles (for example prefill and decode), each as LeaderWorkerSets, and rolls ' +
  'them out together.';
export const ROLE_SCALER_DESCRIPTION =
  'DisaggregatedSetRoleScaler is the scale target of one External role of a DisaggregatedSet, named ' +
  '<set>-<role> and created by the controller; autoscalers write spec.replicas through /scale.';
