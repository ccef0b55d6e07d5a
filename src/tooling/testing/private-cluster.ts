/**
 * @module testing/private-cluster
 * A second local cluster owned by one test file, for tests that must not share the run's cluster: they
 * run their own `lwsctl controller` replicas (the run's `lwsctl run` would reconcile too), restart the
 * apiserver, compact etcd or rewrite the webhook configurations. Named after the run's cluster
 * (`<LWS_TEST_CLUSTER>-<tag>`), so parallel runs with different names never collide.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { CRD_NAME, loadLeaderWorkerSetCRD } from '../../lws/api/crd.ts';
import { clusterDown, clusterUp, type ClusterScheduler } from '../cluster/cluster.ts';
import { readState } from '../cluster/state.ts';
import { applyObject, waitForCRD } from '../../k8s/client/apply.ts';
import { KubeClient } from '../../k8s/client/client.ts';
import { TEST_CLUSTER_NAME } from './cluster-fixture.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

export interface PrivateCluster {
  name: string;
  kubeconfig: string;
  dir: string;
  kubectl: Kubectl;
  client: KubeClient;
  down(): Promise<void>;
}

export async function startPrivateCluster(
  tag: string,
  options: {
    apiserverArgs?: string[];
    /** Install the LWS CRD (default true). */ lwsCRD?: boolean;
    nodes?: number;
    scheduler?: ClusterScheduler;
  } = {},
): Promise<PrivateCluster> {
  const name = `${TEST_CLUSTER_NAME}-${tag}`;
  if (await readState(name)) await clusterDown(name, { log: () => {} }); // left over by a killed run
  const state = await clusterUp({
    name,
    nodes: options.nodes ?? 4,
    scheduler: options.scheduler,
    apiserverArgs: options.apiserverArgs,
    log: (l) => process.stderr.write(`# ${l}\n`),
  });
  const kc = new KubeConfig();
  kc.loadFromFile(state.kubeconfig);
  const client = await KubeClient.fromKubeConfig(kc);
  try {
    if (options.lwsCRD !== false) {
      await applyObject(client, loadLeaderWorkerSetCRD());
      await waitForCRD(client, CRD_NAME);
    }
  } catch (e) {
    client.close();
    await clusterDown(name, { log: () => {} });
    throw e;
  }
  return {
    name,
    kubeconfig: state.kubeconfig,
    dir: state.dir,
    kubectl: kubectlFor(state.kubeconfig),
    client,
    down: async () => {
      client.close();
      await clusterDown(name, { log: () => {} });
    },
  };
}
