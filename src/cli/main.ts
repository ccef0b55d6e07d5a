/**
 * @module cli/main
 * `lwsctl`: one command for the local cluster, the controller, the operator and offline rendering.
 */
import { ClusterError } from '../tooling/cluster/errors.ts';
import { UsageError } from '../k8s/go/errors.ts';

const USAGE = `usage: lwsctl <command> [flags]

commands:
  cluster up|down|status|route
                           a real local Kubernetes control plane (etcd, apiserver, controller-manager, scheduler, kwok;
                           --scheduler volcano|native adds gang scheduling)
  run --kubeconfig PATH [--scheduler-provider volcano|kubernetes]
                           installs the CRD and webhooks, then runs the LWS controller here (foreground)
  controller [flags]       the production controller manager (upstream's /manager flags and config file)
  operator [flags]         the Leader Worker Set Operator: LeaderWorkerSetOperator/cluster → the LWS controller
  uninstall [flags]        removes the operator and its operand (CRDs only with --delete-crds --yes)
  render -f FILE           prints every object the controller and webhooks would create for a LeaderWorkerSet
  demo [--keep]            the seed's walkthrough on a throw-away local cluster
`;

// Loaded on demand: a long-running process (the controller, the cluster's network proxy) only holds its own code.
const commands: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  cluster: async () => (await import('./cluster-command.ts')).clusterCommand,
  demo: async () => (await import('./demo-command.ts')).demoCommand,
  run: async () => (await import('./run-command.ts')).runCommand,
  controller: async () => (await import('./controller-command.ts')).controllerCommand,
  render: async () => (await import('./render-command.ts')).renderCommand,
  operator: async () => (await import('./operator-command.ts')).operatorCommand,
  uninstall: async () => (await import('./uninstall-command.ts')).uninstallCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const load = commands[command];
  if (!load) throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  return (await load())(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof ClusterError) {
    console.error(`lwsctl: ${e.message}\nhint: ${e.hint}`);
    process.exitCode = 1;
  } else if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`lwsctl: ${(e as Error).message}`);
    process.exitCode = 2;
  } else {
    console.error(`lwsctl: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
  }
}
