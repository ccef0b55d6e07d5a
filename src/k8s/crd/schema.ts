/**
 * @module k8s/crd/schema
 * CRD schema building blocks shared by every product's CRD: the JSONSchemaProps subset, `$ref`s to built-in types by
 * their OpenAPI names, and the markers controller-gen renders that the apiserver's OpenAPI does not publish.
 */

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps (plus OpenAPI `$ref`/`allOf`/`oneOf` on input). */
export interface JSONSchemaProps {
  $ref?: string;
  allOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [extension: `x-${string}`]: unknown;
}

/** A `$ref` to a built-in schema by its OpenAPI name; `description` replaces the type's own, as for a Go field. */
export function ref(name: string, description?: string): JSONSchemaProps {
  const node: JSONSchemaProps = { $ref: `#/components/schemas/${name}` };
  if (description !== undefined) node.description = description;
  return node;
}

export const POD_TEMPLATE_SPEC = 'io.k8s.api.core.v1.PodTemplateSpec';
export const PERSISTENT_VOLUME_CLAIM = 'io.k8s.api.core.v1.PersistentVolumeClaim';
export const PVC_RETENTION_POLICY = 'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy';
export const CONDITION = 'io.k8s.apimachinery.pkg.apis.meta.v1.Condition';
export const LOCAL_OBJECT_REFERENCE = 'io.k8s.api.core.v1.LocalObjectReference';
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const TYPE_META_SOURCE = 'io.k8s.api.apps.v1.StatefulSet';

/**
 * Validation markers of metav1.Condition that openapi-gen does not publish but controller-gen renders
 * (k8s.io/apimachinery/pkg/apis/meta/v1/types.go); merged over the apiserver's Condition schema.
 */
export const CONDITION_VALIDATIONS: Record<string, JSONSchemaProps> = {
  type: {
    maxLength: 316,
    pattern:
      '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
  },
  status: { enum: ['True', 'False', 'Unknown'] },
  observedGeneration: { minimum: 0 },
  reason: { maxLength: 1024, minLength: 1, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' },
  message: { maxLength: 32768 },
};

/** controller-gen's pattern for resource.Quantity strings. */
export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/**
 * An ObjectMeta embedded below the root (pod template, claim templates) as controller-gen renders it with
 * generateEmbeddedObjectMeta: only the fields the apiserver keeps there, without descriptions.
 */
export const EMBEDDED_OBJECT_META: JSONSchemaProps = {
  type: 'object',
  properties: {
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    name: { type: 'string' },
    namespace: { type: 'string' },
  },
};
