/**
 * @module k8s/client/kubeconfig
 * The one place a kubeconfig is chosen and loaded, with controller-runtime's precedence (GetConfig):
 * an explicit path, else $KUBECONFIG, else the in-cluster service account, else ~/.kube/config.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { KubeClient, type ClientOptions } from './client.ts';
import { UsageError } from '../go/errors.ts';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function loadKubeConfig(kubeconfig: string | undefined, env = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfig) {
    if (!existsSync(kubeconfig)) throw new UsageError(`--kubeconfig: no such file ${kubeconfig}`);
    kc.loadFromFile(kubeconfig);
  } else if (!env.KUBECONFIG && env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster();
  } else {
    kc.loadFromDefault();
  }
  return kc;
}

/** A client for `--kubeconfig PATH` (or the defaults above). */
export async function clientFor(kubeconfig: string | undefined, options: ClientOptions = {}): Promise<KubeClient> {
  return KubeClient.fromKubeConfig(loadKubeConfig(kubeconfig), options);
}
