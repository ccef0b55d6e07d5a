/**
 * @module cli/demo-command
 * `lwsctl demo` (the README's `npm run demo`): a throw-away local cluster, shown and torn down.
 */
import { parseArgs } from 'node:util';
import { clusterDown, clusterUp } from '../cluster/cluster.ts';
import { kubectlFor } from '../testing/kubectl.ts';

const DEMO_CLUSTER = 'lws-demo';

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { keep: { type: 'boolean', default: false } } });
  await clusterDown(DEMO_CLUSTER, { log: () => {} });
  const state = await clusterUp({ name: DEMO_CLUSTER });
  try {
    const kubectl = kubectlFor(state.kubeconfig);
    console.log('\n$ kubectl get nodes -L topology.kubernetes.io/zone');
    console.log(await kubectl('get', 'nodes', '-L', 'topology.kubernetes.io/zone'));
  } finally {
    if (!values.keep) await clusterDown(DEMO_CLUSTER);
  }
  if (values.keep) {
    console.log(`cluster kept: kubectl --kubeconfig ${state.kubeconfig} get nodes`);
    console.log(`stop it with: npx lwsctl cluster down --name ${DEMO_CLUSTER}`);
  }
  return 0;
}
