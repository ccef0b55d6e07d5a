/**
 * @module cli/cluster-command
 * `lwsctl cluster up|down|status|route`: the local control plane, and routes from Service ports to
 * processes on this machine. `cluster network-proxy` is internal: `cluster up` starts it.
 */
import { parseArgs } from 'node:util';
import {
  CLUSTER_SCHEDULERS,
  clusterDown,
  clusterStatus,
  clusterUp,
  DEFAULT_CLUSTER_NAME,
  type ClusterScheduler,
} from '../tooling/cluster/cluster.ts';
import { formatHostPort } from '../tooling/cluster/host-port.ts';
import { runNetworkProxy } from '../tooling/cluster/network-proxy.ts';
import {
  addRoute,
  listRoutes,
  parseServiceKey,
  parseTarget,
  removeRoute,
  serviceKey,
} from '../tooling/cluster/routes.ts';
import { clusterDir } from '../tooling/cluster/state.ts';
import { parseDurationFlag as parseDuration } from '../k8s/go/duration.ts';
import { UsageError } from '../k8s/go/errors.ts';

const USAGE = `usage:
  lwsctl cluster up [--name NAME] [--nodes N] [--kubeconfig PATH] [--pod-ready-delay DURATION] [--pod-delete-delay DURATION] [--port PORT]
                    [--scheduler default|volcano|native] [--feature-gates NAME=true,...]
      --scheduler volcano: also Volcano's CRDs, vc-controller-manager and vc-scheduler (pods with schedulerName "volcano")
      --scheduler native:  Kubernetes' gang scheduling (scheduling.k8s.io/v1alpha2; GenericWorkload, GangScheduling)
  lwsctl cluster down [--name NAME]
  lwsctl cluster status [--name NAME]
  lwsctl cluster route add [--name NAME] NAMESPACE/SERVICE:PORT HOST:PORT
  lwsctl cluster route remove [--name NAME] NAMESPACE/SERVICE:PORT
  lwsctl cluster route list [--name NAME]`;

const ROUTE_USAGE = `usage:
  lwsctl cluster route add [--name NAME] NAMESPACE/SERVICE:PORT HOST:PORT   the apiserver's calls to that Service port reach HOST:PORT
  lwsctl cluster route remove [--name NAME] NAMESPACE/SERVICE:PORT
  lwsctl cluster route list [--name NAME]`;

/** `cluster route add|remove|list`. */
async function routeCommand(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: { name: { type: 'string', default: DEFAULT_CLUSTER_NAME } },
  });
  const name = values.name!;
  const expect = (names: string[]) => {
    if (positionals.length !== names.length) {
      const got = positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ');
      throw new UsageError(
        `cluster route ${verb} takes ${names.join(' ') || 'no arguments'}, got ${got}\n${ROUTE_USAGE}`,
      );
    }
  };
  const argument = <T>(label: string, text: string, parse: (t: string) => T): T => {
    try {
      return parse(text);
    } catch (e) {
      throw new UsageError(`${label}: ${(e as Error).message}`);
    }
  };
  switch (verb) {
    case 'add': {
      expect(['NAMESPACE/SERVICE:PORT', 'HOST:PORT']);
      const service = argument('NAMESPACE/SERVICE:PORT', positionals[0]!, parseServiceKey);
      const target = argument('HOST:PORT', positionals[1]!, parseTarget);
      await addRoute(name, service, target);
      console.log(`route added: Service ${serviceKey(service)} → ${formatHostPort(target)} (cluster "${name}")`);
      return 0;
    }
    case 'remove': {
      expect(['NAMESPACE/SERVICE:PORT']);
      const service = argument('NAMESPACE/SERVICE:PORT', positionals[0]!, parseServiceKey);
      const removed = await removeRoute(name, service);
      console.log(
        removed ? `route removed: ${serviceKey(service)}` : `no route for ${serviceKey(service)}; nothing removed`,
      );
      return 0;
    }
    case 'list': {
      expect([]);
      const routes = await listRoutes(name);
      if (routes.size === 0) console.log(`cluster "${name}" has no routes`);
      const width = Math.max(7, ...[...routes.keys()].map((k) => k.length));
      if (routes.size > 0) console.log(`${'SERVICE'.padEnd(width)}  TARGET`);
      for (const [key, target] of routes) console.log(`${key.padEnd(width)}  ${target}`);
      return 0;
    }
    default:
      throw new UsageError(verb ? `unknown cluster route command "${verb}"\n${ROUTE_USAGE}` : ROUTE_USAGE);
  }
}

export async function clusterCommand(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'route') return routeCommand(rest);
  if (verb === 'network-proxy') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: { name: { type: 'string', default: DEFAULT_CLUSTER_NAME }, dir: { type: 'string' } },
    });
    await runNetworkProxy(values.dir ?? clusterDir(values.name!));
    return 0;
  }
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
      scheduler: { type: 'string', default: 'default' },
      'feature-gates': { type: 'string' },
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
      const scheduler = values.scheduler!;
      if (!(CLUSTER_SCHEDULERS as readonly string[]).includes(scheduler)) {
        throw new UsageError(`--scheduler must be one of ${CLUSTER_SCHEDULERS.join(', ')}, got "${scheduler}"`);
      }
      const state = await clusterUp({
        name,
        nodes,
        scheduler: scheduler as ClusterScheduler,
        featureGates: values['feature-gates']
          ?.split(',')
          .map((g) => g.trim())
          .filter(Boolean),
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
      console.log(
        `cluster "${name}" is up at ${state.server}${state.scheduler ? ` (gang scheduler: ${state.scheduler})` : ''}`,
      );
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
