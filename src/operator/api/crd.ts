/**
 * @module operator/crd
 * The `leaderworkersetoperators.operator.openshift.io` CustomResourceDefinition, built from code (no apiserver
 * needed) and committed as config/crd/operator.openshift.io_leaderworkersetoperators.yaml by
 * `npm run gen:operator-crd`. The schema follows openshift/api's OperatorSpec/OperatorStatus plus `nodePlacement`;
 * the singleton rule is a CEL validation on the root.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { JSONSchemaProps } from '../../lws/api/crd-schema.ts';
import {
  LOG_LEVELS,
  MANAGEMENT_STATES,
  OPERATOR_CRD_NAME,
  OPERATOR_GROUP,
  OPERATOR_INSTANCE_NAME,
  OPERATOR_KIND,
  OPERATOR_LIST_KIND,
  OPERATOR_PLURAL,
  OPERATOR_SINGULAR,
  OPERATOR_VERSION,
  SINGLETON_MESSAGE,
} from './types.ts';

/** The committed CRD, relative to the repository root. */
export const OPERATOR_CRD_FILE = `config/crd/${OPERATOR_GROUP}_${OPERATOR_PLURAL}.yaml`;
const CRD_URL = new URL(`../../../${OPERATOR_CRD_FILE}`, import.meta.url);

export interface OperatorCustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string };
    scope: 'Cluster';
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources: { status: Record<string, never> };
    }>;
  };
}

const logLevel = (what: string): JSONSchemaProps => ({
  description:
    `${what}. Valid values are: "Normal", "Debug", "Trace", "TraceAll" (an empty value means "Normal"). ` +
    'Defaults to "Normal".',
  type: 'string',
  default: 'Normal',
  enum: [...LOG_LEVELS],
});

const freeForm = (description: string): JSONSchemaProps =>
  ({
    description,
    type: 'object',
    nullable: true,
    'x-kubernetes-preserve-unknown-fields': true,
  }) as JSONSchemaProps;

const toleration: JSONSchemaProps = {
  description:
    'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> ' +
    'using the matching operator <operator>.',
  type: 'object',
  properties: {
    effect: {
      description: 'Effect indicates the taint effect to match. Empty means match all taint effects.',
      type: 'string',
      enum: ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'],
    },
    key: {
      description:
        'Key is the taint key that the toleration applies to. Empty means match all taint keys; then the operator ' +
        'must be Exists.',
      type: 'string',
    },
    operator: {
      description: "Operator represents a key's relationship to the value: Exists or Equal. Defaults to Equal.",
      type: 'string',
      enum: ['Exists', 'Equal'],
    },
    tolerationSeconds: {
      description: 'TolerationSeconds is how long a NoExecute toleration tolerates the taint; unset means forever.',
      type: 'integer',
      format: 'int64',
    },
    value: {
      description: 'Value is the taint value the toleration matches to; empty when the operator is Exists.',
      type: 'string',
    },
  },
};

const condition: JSONSchemaProps = {
  description: 'OperatorCondition is just the standard condition fields.',
  type: 'object',
  required: ['lastTransitionTime', 'status', 'type'],
  properties: {
    lastTransitionTime: {
      description: 'lastTransitionTime is the last time the condition transitioned from one status to another.',
      type: 'string',
      format: 'date-time',
    },
    message: { type: 'string' },
    reason: { type: 'string' },
    status: {
      description: 'status of the condition, one of True, False, Unknown.',
      type: 'string',
      enum: ['True', 'False', 'Unknown'],
    },
    type: { description: 'type of condition in CamelCase.', type: 'string' },
  },
};

const generation: JSONSchemaProps = {
  description:
    'GenerationStatus keeps track of the generation for a given resource so that decisions about forced ' +
    'updates can be made.',
  type: 'object',
  required: ['group', 'name', 'namespace', 'resource'],
  properties: {
    group: { description: 'group is the group of the thing you are tracking', type: 'string' },
    hash: {
      description: 'hash is an optional field set for resources without generation that are content sensitive',
      type: 'string',
    },
    lastGeneration: {
      description: 'lastGeneration is the last generation of the workload controller involved',
      type: 'integer',
      format: 'int64',
    },
    name: { description: 'name is the name of the thing you are tracking', type: 'string' },
    namespace: { description: 'namespace is where the thing you are tracking is', type: 'string' },
    resource: { description: 'resource is the resource type of the thing you are tracking', type: 'string' },
  },
};

const specSchema: JSONSchemaProps = {
  description: 'spec holds user settable values for configuration',
  type: 'object',
  properties: {
    logLevel: logLevel('logLevel is an intent based logging for the operand (the LWS controller manager)'),
    managementState: {
      description:
        'managementState indicates whether and how the operator should manage the component: Managed (reconcile), ' +
        'Unmanaged (leave everything as it is), Removed (remove the operand but keep the LeaderWorkerSet CRD and ' +
        'every LeaderWorkerSet), Force (treated as Managed).',
      type: 'string',
      enum: [...MANAGEMENT_STATES],
    },
    nodePlacement: {
      description:
        'nodePlacement controls where the operand pods run. Omitted fields keep the defaults of the operand ' +
        'Deployment.',
      type: 'object',
      properties: {
        nodeSelector: {
          description: 'nodeSelector replaces the operand pod nodeSelector when non-empty.',
          type: 'object',
          additionalProperties: { type: 'string' },
        },
        tolerations: {
          description: 'tolerations replace the operand pod tolerations when set (an empty list clears them).',
          type: 'array',
          items: toleration,
          'x-kubernetes-list-type': 'atomic',
        },
      },
    },
    observedConfig: freeForm(
      'observedConfig holds a sparse config that controller has observed from the cluster state. Not used.',
    ),
    operatorLogLevel: logLevel('operatorLogLevel is an intent based logging for the operator itself'),
    unsupportedConfigOverrides: freeForm(
      'unsupportedConfigOverrides overrides the final configuration that was computed by the operator. Not used.',
    ),
  },
};

const statusSchema: JSONSchemaProps = {
  description: 'status holds observed values from the cluster. They may not be overridden.',
  type: 'object',
  properties: {
    conditions: {
      description: 'conditions is a list of conditions and their status',
      type: 'array',
      items: condition,
      'x-kubernetes-list-map-keys': ['type'],
      'x-kubernetes-list-type': 'map',
    },
    generations: {
      description: 'generations are used to determine when an item needs to be reconciled or has changed.',
      type: 'array',
      items: generation,
      'x-kubernetes-list-map-keys': ['group', 'resource', 'namespace', 'name'],
      'x-kubernetes-list-type': 'map',
    },
    latestAvailableRevision: {
      description: 'latestAvailableRevision is the deploymentID of the most recent deployment',
      type: 'integer',
      format: 'int32',
    },
    observedGeneration: {
      description: 'observedGeneration is the last generation change you have seen',
      type: 'integer',
      format: 'int64',
    },
    readyReplicas: {
      description: 'readyReplicas indicates how many replicas of the operand Deployment are available',
      type: 'integer',
      format: 'int32',
    },
    version: { description: 'version is the level this availability applies to', type: 'string' },
  },
};

/** The operator CRD. Pure. */
export function buildOperatorCRD(): OperatorCustomResourceDefinition {
  const root: JSONSchemaProps = {
    description:
      'LeaderWorkerSetOperator is the Schema for the leaderworkersetoperators API. It is a singleton: the only ' +
      `accepted name is '${OPERATOR_INSTANCE_NAME}'.`,
    type: 'object',
    required: ['spec'],
    properties: {
      apiVersion: {
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert ' +
          'recognized schemas to the latest internal value, and may reject unrecognized values.',
        type: 'string',
      },
      kind: {
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this ' +
          'from the endpoint the client submits requests to. In CamelCase.',
        type: 'string',
      },
      metadata: { type: 'object' },
      spec: specSchema,
      status: statusSchema,
    },
    'x-kubernetes-validations': [
      { rule: `self.metadata.name == '${OPERATOR_INSTANCE_NAME}'`, message: SINGLETON_MESSAGE },
    ],
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: OPERATOR_CRD_NAME },
    spec: {
      group: OPERATOR_GROUP,
      names: {
        kind: OPERATOR_KIND,
        listKind: OPERATOR_LIST_KIND,
        plural: OPERATOR_PLURAL,
        singular: OPERATOR_SINGULAR,
      },
      scope: 'Cluster',
      versions: [
        {
          name: OPERATOR_VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: root },
          subresources: { status: {} },
        },
      ],
    },
  };
}

/** The YAML written to OPERATOR_CRD_FILE (same style as the LWS CRD: sorted keys, YAML 1.1-safe quoting). */
export function renderOperatorCRD(crd: OperatorCustomResourceDefinition = buildOperatorCRD()): string {
  const header =
    '# Generated by `npm run gen:operator-crd` (hack/gen-operator-crd.ts) from src/operator/api/crd.ts. Do not edit.\n';
  return header + '---\n' + stringify(crd, { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}

/** The committed operator CRD (what `lwsctl operator` installs when missing). Returns a fresh copy. */
export function loadOperatorCRD(): OperatorCustomResourceDefinition {
  return parse(readFileSync(fileURLToPath(CRD_URL), 'utf8'), { version: '1.1' }) as OperatorCustomResourceDefinition;
}
