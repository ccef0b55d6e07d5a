/**
 * @module testing/stand-in-crds
 * Stand-in CRDs for optional APIs the local cluster lacks (cert-manager, the Prometheus Operator): the same
 * group/version/kind/plural, any spec accepted. Enough for discovery and for applying objects of those kinds;
 * nothing acts on them (no certificate is issued, nothing is scraped) — a test plays that part itself.
 */
import { waitForCRD } from '../../k8s/client/apply.ts';
import type { KubeClient } from '../../k8s/client/client.ts';
import type { KubeObject } from '../../k8s/client/objects.ts';
import { CRDS } from '../../k8s/client/resources.ts';

export function standInCRD(group: string, kind: string, plural: string, marker = 'a test'): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.${group}`,
      annotations: { 'lws.x-k8s.io/stand-in': `${marker}: not the real CRD of this API` },
    },
    spec: {
      group,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  } as KubeObject;
}

export const CERT_MANAGER_STAND_INS = (marker?: string) => [
  standInCRD('cert-manager.io', 'Issuer', 'issuers', marker),
  standInCRD('cert-manager.io', 'Certificate', 'certificates', marker),
];
export const PROMETHEUS_OPERATOR_STAND_INS = (marker?: string) => [
  standInCRD('monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors', marker),
  standInCRD('monitoring.coreos.com', 'PrometheusRule', 'prometheusrules', marker),
];

/** Creates the CRDs and waits until they are served. */
export async function installStandIns(client: KubeClient, crds: KubeObject[]): Promise<void> {
  for (const crd of crds) await client.create(CRDS, crd);
  for (const crd of crds) await waitForCRD(client, crd.metadata.name!);
}
