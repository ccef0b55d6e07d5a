/**
 * @module cli/kube-flags
 * `--kubeconfig PATH` (else KUBECONFIG, ~/.kube/config or the in-cluster service account) → a client.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { KubeClient, type ClientOptions } from './client.ts';
import { UsageError } from '../../cli/usage-error.ts';

export async function clientFor(kubeconfig: string | undefined, options: ClientOptions = {}): Promise<KubeClient> {
  const kc = new KubeConfig();
  if (kubeconfig) {
    if (!existsSync(kubeconfig)) throw new UsageError(`--kubeconfig: no such file ${kubeconfig}`);
    kc.loadFromFile(kubeconfig);
  } else {
    kc.loadFromDefault();
  }
  return KubeClient.fromKubeConfig(kc, options);
}

/**
 * controller-runtime's precedence (GetConfig): --kubeconfig, else $KUBECONFIG, else the in-cluster service
 * account, else ~/.kube/config.
 */
export function controllerRuntimeKubeConfig(kubeconfig: string | undefined, env = process.env): KubeConfig {
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

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
