/**
 * @module cli/cluster-command
 * `lwsctl cluster up|down|status`: the local control plane.
 */
import { parseArgs } from 'node:util';
import { clusterDown, clusterStatus, clusterUp, DEFAULT_CLUSTER_NAME } from '../cluster/cluster.ts';
import { parseDuration } from './duration.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `usage:
  lwsctl cluster up [--name NAME] [--nodes N] [--kubeconfig PATH] [--pod-ready-delay DURATION] [--pod-delete-delay DURATION] [--port PORT]
  lwsctl cluster down [--name NAME]
  lwsctl cluster status [--name NAME]`;

export async function clusterCommand(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      name: { type: 'string', default: DEFAULT_CLUSTER_NAME },
      nodes: { type: 'string', default: '4' },
      kubeconfig: { type: 'string' },
      'pod-ready-delay': { type: 'string' },
      'pod-delete-delay': { type: 'string' },
      port: { type: 'string' },
    },
  });
  const name = values.name!;
  switch (verb) {
    case 'up': {
      const nodes = Number(values.nodes);
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
        throw new UsageError(`--port must be a TCP port number, got "${values.port}"`);
      }
      const state = await clusterUp({
        name,
        nodes,
        kubeconfig: values.kubeconfig,
        apiserverPort: port,
        podReadyDelayMs: values['pod-ready-delay']
          ? parseDuration(values['pod-ready-delay'], '--pod-ready-delay')
          : undefined,
        podDeleteDelayMs: values['pod-delete-delay']
          ? parseDuration(values['pod-delete-delay'], '--pod-delete-delay')
          : undefined,
      });
      const kc = state.userKubeconfig ?? state.kubeconfig;
      console.log(`cluster "${name}" is up at ${state.server}`);
      console.log(`kubeconfig: ${kc}`);
      console.log(`try: kubectl --kubeconfig ${kc} get nodes`);
      return 0;
    }
    case 'down':
      await clusterDown(name);
      return 0;
    case 'status': {
      const status = await clusterStatus(name);
      if (!status) {
        console.log(`cluster "${name}" is not running`);
        return 1;
      }
      console.log(`cluster "${name}" at ${status.state.server} (kubeconfig ${status.state.kubeconfig})`);
      for (const c of status.components) {
        console.log(
          `  ${c.component.padEnd(24)} pid ${String(c.pid).padEnd(8)} ${c.running ? 'running' : 'NOT RUNNING'}`,
        );
      }
      return status.components.every((c) => c.running) ? 0 : 1;
    }
    default:
      throw new UsageError(verb ? `unknown cluster command "${verb}"\n${USAGE}` : USAGE);
  }
}
