/**
 * @module lws/api/crd-schema
 * The LeaderWorkerSet's own part of the CRD schema, written as an OpenAPI fragment: names, types, defaults,
 * enums and bounds exactly as upstream's kubebuilder markers produce them, with our own descriptions.
 * Built-in Kubernetes types appear as `$ref`s into the apiserver's OpenAPI v3 documents; crd.ts inlines them.
 */
import {
  RESTART_POLICIES,
  ROLLOUT_STRATEGY_TYPES,
  STARTUP_POLICIES,
  SUBDOMAIN_POLICIES,
  SUBGROUP_POLICY_TYPES,
} from './types.ts';
import {
  ref,
  POD_TEMPLATE_SPEC,
  PERSISTENT_VOLUME_CLAIM,
  PVC_RETENTION_POLICY,
  CONDITION,
  type JSONSchemaProps,
} from '../../k8s/crd/schema.ts';
export {
  ref,
  POD_TEMPLATE_SPEC,
  PERSISTENT_VOLUME_CLAIM,
  PVC_RETENTION_POLICY,
  CONDITION,
  LOCAL_OBJECT_REFERENCE,
  OBJECT_META,
  TYPE_META_SOURCE,
  CONDITION_VALIDATIONS,
  QUANTITY_PATTERN,
  EMBEDDED_OBJECT_META,
  type JSONSchemaProps,
} from '../../k8s/crd/schema.ts';

const intOrString = (description: string, defaultValue: number): JSONSchemaProps => ({
  description,
  default: defaultValue,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  'x-kubernetes-int-or-string': true,
});

const leaderWorkerTemplate: JSONSchemaProps = {
  description: 'leaderWorkerTemplate describes the pods of one group: a leader and size-1 workers.',
  type: 'object',
  required: ['workerTemplate'],
  properties: {
    leaderTemplate: ref(
      POD_TEMPLATE_SPEC,
      'leaderTemplate is the pod template of the leader (worker index 0). When omitted, the leader is built from ' +
        'workerTemplate.',
    ),
    workerTemplate: ref(
      POD_TEMPLATE_SPEC,
      'workerTemplate is the pod template of the workers (worker index 1 and up).',
    ),
    size: {
      description:
        'size is the number of pods in each group, the leader included; at least 1 (a leader without workers). ' +
        'Changing it rolls out new groups. Defaults to 1.',
      type: 'integer',
      format: 'int32',
      default: 1,
    },
    restartPolicy: {
      description:
        'restartPolicy says what happens when a pod of a group fails. RecreateGroupOnPodRestart deletes and recreates ' +
        'the whole group when any of its pods is deleted or any of its containers restarts. RecreateGroupAfterStart ' +
        'does the same, but only once every pod of the group has started. None lets the StatefulSets replace the ' +
        'failed pod alone. Default is a deprecated spelling of None.',
      type: 'string',
      enum: [...RESTART_POLICIES],
      default: 'RecreateGroupOnPodRestart',
    },
    subGroupPolicy: {
      description:
        'subGroupPolicy splits each group into subgroups of subGroupSize pods, labelled with their subgroup index ' +
        '(for example one subgroup per accelerator slice).',
      type: 'object',
      properties: {
        subGroupPolicyType: {
          description:
            'subGroupPolicyType says where the leader goes: LeaderWorker puts it in subgroup 0 with the first ' +
            'workers; LeaderExcluded keeps it out of every subgroup, so (size - 1) must be a multiple of ' +
            'subGroupSize.',
          type: 'string',
          enum: [...SUBGROUP_POLICY_TYPES],
          default: 'LeaderWorker',
        },
        subGroupSize: {
          description:
            'subGroupSize is the number of pods in each subgroup: at least 1, at most size, and a divisor of size or ' +
            'of size - 1. It cannot be changed after creation.',
          type: 'integer',
          format: 'int32',
        },
      },
    },
    volumeClaimTemplates: {
      description:
        'volumeClaimTemplates are claims that every leader and worker pod gets its own copy of, as in a StatefulSet. ' +
        'Each template needs a matching volume mount in the containers that use it.',
      type: 'array',
      items: ref(PERSISTENT_VOLUME_CLAIM),
    },
    persistentVolumeClaimRetentionPolicy: ref(
      PVC_RETENTION_POLICY,
      'persistentVolumeClaimRetentionPolicy says whether the claims made from volumeClaimTemplates are kept or ' +
        'deleted when the set is deleted or scaled down. It is passed to the leader and worker StatefulSets.',
    ),
  },
};

const rolloutStrategy: JSONSchemaProps = {
  description: 'rolloutStrategy controls how groups are replaced when leaderWorkerTemplate changes.',
  type: 'object',
  required: ['type'],
  properties: {
    type: {
      description: 'type is the kind of rollout; RollingUpdate is the only one.',
      type: 'string',
      enum: [...ROLLOUT_STRATEGY_TYPES],
      default: 'RollingUpdate',
    },
    rollingUpdateConfiguration: {
      description: 'rollingUpdateConfiguration tunes a RollingUpdate.',
      type: 'object',
      properties: {
        partition: {
          description:
            'partition keeps groups with an index below it on their old template; only groups partition to ' +
            'replicas-1 are updated. Lower it step by step for canary rollouts. Surge groups stay until the rollout ' +
            'has finished with partition back at 0. Defaults to 0.',
          type: 'integer',
          format: 'int32',
          default: 0,
        },
        maxUnavailable: intOrString(
          'maxUnavailable is how many groups may be unavailable at once during a rollout: a number, or a ' +
            'percentage of replicas rounded down. It cannot be 0 when maxSurge is 0. Defaults to 1.',
          1,
        ),
        maxSurge: intOrString(
          'maxSurge is how many extra groups may exist above replicas during a rollout: a number, or a ' +
            'percentage of replicas rounded up. The extra groups are removed when the rollout completes. ' +
            'Defaults to 0.',
          0,
        ),
      },
    },
  },
};

/** `.spec` of a LeaderWorkerSet. */
export const leaderWorkerSetSpecSchema: JSONSchemaProps = {
  description: 'spec is the desired state of the LeaderWorkerSet.',
  type: 'object',
  required: ['leaderWorkerTemplate'],
  properties: {
    replicas: {
      description:
        'replicas is the number of groups. It is the target of the scale subresource, so a HorizontalPodAutoscaler ' +
        'can drive it from the leader pods (see status.hpaPodSelector). Scaling down deletes the highest-indexed ' +
        'groups. Defaults to 1.',
      type: 'integer',
      format: 'int32',
      default: 1,
      minimum: 0,
      maximum: 1000000,
    },
    leaderWorkerTemplate,
    rolloutStrategy,
    startupPolicy: {
      description:
        'startupPolicy says when the workers of a group are created: LeaderCreated as soon as the leader pod ' +
        'exists, LeaderReady only once the leader pod is Ready.',
      type: 'string',
      enum: [...STARTUP_POLICIES],
      default: 'LeaderCreated',
    },
    networkConfig: {
      description: 'networkConfig controls the headless Services that give the pods their DNS names.',
      type: 'object',
      required: ['subdomainPolicy'],
      properties: {
        subdomainPolicy: {
          description:
            'subdomainPolicy is Shared for one headless Service named after the set, or UniquePerReplica for one ' +
            'headless Service per group, named after its leader pod.',
          type: 'string',
          enum: [...SUBDOMAIN_POLICIES],
        },
      },
    },
  },
};

/** `.status` of a LeaderWorkerSet. */
export const leaderWorkerSetStatusSchema: JSONSchemaProps = {
  description: 'status is the state of the LeaderWorkerSet as last observed by the controller.',
  type: 'object',
  properties: {
    conditions: {
      description: 'conditions are the Available, Progressing and UpdateInProgress conditions of the set.',
      type: 'array',
      items: ref(CONDITION),
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    },
    readyReplicas: {
      description: 'readyReplicas is the number of groups whose pods are all ready, on any template revision.',
      type: 'integer',
      format: 'int32',
    },
    updatedReplicas: {
      description: 'updatedReplicas is the number of groups on the current template revision, ready or not.',
      type: 'integer',
      format: 'int32',
    },
    replicas: {
      description: 'replicas is the number of groups that exist, on any revision, ready or not.',
      type: 'integer',
      format: 'int32',
    },
    hpaPodSelector: {
      description:
        'hpaPodSelector is the label selector of the leader pods, reported through the scale subresource so that ' +
        'a HorizontalPodAutoscaler reads the leaders’ metrics.',
      type: 'string',
    },
    observedGeneration: {
      description: 'observedGeneration is the metadata.generation this status was computed for.',
      type: 'integer',
      format: 'int64',
    },
  },
};

/** Root description of the CRD schema. */
export const LEADER_WORKER_SET_DESCRIPTION =
  'LeaderWorkerSet runs replicas groups of pods, each a leader and size-1 workers, that are created, ' +
  'updated, restarted and scaled as units.';
