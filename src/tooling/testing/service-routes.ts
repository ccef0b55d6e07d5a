/**
 * @module testing/service-routes
 * Routing a Service port of a local test cluster to a process of the test run, so that the apiserver's
 * Service-based calls (webhook `clientConfig.service`, APIServices) reach it — e.g. the operator's
 * webhook configurations pointing at `openshift-lws-operator/lws-webhook-service:443` and a controller
 * started by the test on 127.0.0.1:<port>. The Service itself may be created before or after.
 *
 *   const unroute = await routeService(cluster.name, 'openshift-lws-operator', 'lws-webhook-service', 443, port);
 *   …
 *   await unroute();
 */
import { addRoute, parseServiceKey, parseTarget, removeRoute } from '../cluster/routes.ts';

/**
 * Routes `namespace/name:port` of cluster `clusterName` (e.g. TEST_CLUSTER_NAME, or a private cluster's
 * name) to `target`: a port on 127.0.0.1, or "host:port". Resolves with a function that removes the route
 * (which also closes the connections the apiserver keeps open through it).
 */
export async function routeService(
  clusterName: string,
  namespace: string,
  name: string,
  port: number,
  target: number | string,
): Promise<() => Promise<void>> {
  const service = parseServiceKey(`${namespace}/${name}:${port}`); // validated like the CLI's argument
  await addRoute(clusterName, service, parseTarget(String(target)));
  return async () => {
    await removeRoute(clusterName, service);
  };
}
