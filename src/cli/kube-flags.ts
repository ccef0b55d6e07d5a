/**
 * @module cli/kube-flags
 * `--kubeconfig PATH` (else KUBECONFIG, ~/.kube/config or the in-cluster service account) → a client.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { KubeClient, type ClientOptions } from '../kube/client.ts';
import { UsageError } from './usage-error.ts';

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
