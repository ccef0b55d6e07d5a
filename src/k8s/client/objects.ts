/**
 * @module kube/objects
 * Plain-JSON shapes of the Kubernetes objects this project reads and writes.
 *
 * We never route built-in objects through client-node's typed serializer (it drops fields its
 * model does not know and turns timestamps into `Date`), so these types describe the wire JSON:
 * timestamps are RFC 3339 strings. Pod and StatefulSet *specs* reuse client-node's model types,
 * which carry no timestamps.
 */
import type {
  V1PodSpec,
  V1StatefulSetSpec,
  V1ServiceSpec,
  V1PersistentVolumeClaimSpec,
  V1ContainerStatus,
  V1NodeSpec,
  V1NodeAddress,
} from '@kubernetes/client-node';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: V1PodSpec;
}

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface Pod extends KubeObject {
  spec?: V1PodSpec;
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: V1ContainerStatus[];
    initContainerStatuses?: V1ContainerStatus[];
    podIP?: string;
    hostIP?: string;
  };
}

export interface PersistentVolumeClaim {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: V1PersistentVolumeClaimSpec;
}

export interface StatefulSet extends KubeObject {
  spec?: Omit<V1StatefulSetSpec, 'template' | 'volumeClaimTemplates'> & {
    template: PodTemplateSpec;
    volumeClaimTemplates?: PersistentVolumeClaim[];
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentReplicas?: number;
    updatedReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
}

export interface Service extends KubeObject {
  spec?: V1ServiceSpec;
}

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

export interface Node extends KubeObject {
  spec?: V1NodeSpec;
  status?: {
    conditions?: Array<{ type: string; status: string }>;
    addresses?: V1NodeAddress[];
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
  };
}
