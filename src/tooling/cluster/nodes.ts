/**
 * @module cluster/nodes
 * The fake nodes of the local cluster (kwok keeps them Ready; nothing runs on them).
 */
import type { Node } from '../../k8s/client/objects.ts';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** A second, coarser topology domain for exclusive placement tests: two nodes per pool. */
export const NODEPOOL_LABEL = 'cloud.google.com/gke-nodepool';
export const TPU_RESOURCE = 'google.com/tpu';

/** Node i of n: zones split the nodes in two halves, pools pair neighbours, every odd node has 4 TPUs. */
export function fakeNode(i: number, n: number): Node {
  const name = `kwok-node-${i}`;
  const capacity: Record<string, string> = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' };
  if (i % 2 === 1) capacity[TPU_RESOURCE] = '4';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        [HOSTNAME_LABEL]: name,
        [ZONE_LABEL]: i < Math.ceil(n / 2) ? 'zone-a' : 'zone-b',
        [NODEPOOL_LABEL]: `pool-${Math.floor(i / 2)}`,
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      allocatable: { ...capacity },
      capacity,
      // kwok fills conditions, addresses and nodeInfo.
    },
  };
}

export function fakeNodes(n: number): Node[] {
  return Array.from({ length: n }, (_, i) => fakeNode(i, n));
}
