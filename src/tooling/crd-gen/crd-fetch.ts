/**
 * @module tooling/crd-gen/crd-fetch
 * Reads the apiserver's OpenAPI v3 documents with a kubeconfig's credentials, for the CRD generator and the
 * test that checks the committed CRD is current. Supports what our local clusters write: the current
 * context's server, CA and client certificate (inline or as files), or a bearer token.
 */

import type { OpenAPIDocument } from '../../k8s/crd/openapi.ts';
import { loadKubeConfig } from '../../k8s/client/kubeconfig.ts';
import { KubeClient } from '../../k8s/client/client.ts';
import { OPENAPI_PATHS } from '../../lws/api/crd.ts';

/** Fetches /openapi/v3/<path> for every path of OPENAPI_PATHS, in that order. */
export async function fetchOpenAPIDocs(kubeconfigPath: string): Promise<OpenAPIDocument[]> {
  const client = await KubeClient.fromKubeConfig(loadKubeConfig(kubeconfigPath));
  try {
    return await Promise.all(OPENAPI_PATHS.map((p) => client.request<OpenAPIDocument>('GET', `/openapi/v3/${p}`)));
  } finally {
    client.close();
  }
}
