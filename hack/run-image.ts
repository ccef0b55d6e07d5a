/**
 * Runs the image built by `npm run image` (an OCI archive) with runc (or `--runtime crun`) against a local cluster:
 *
 *   npm run image:run -- --cluster NAME [--image FILE] [--operator] [--keep]
 *
 * Default: the LWS controller of dist/install.yaml. Its objects are applied except the Deployment (kwok nodes run no
 * containers); in its place the image's `/manager` runs here with what a pod of that Deployment gets.
 * `--operator`: the seed's operator flow. dist/operator.yaml is applied without its Deployment, the image runs as the
 * operator (`lwsctl operator`, the Deployment's command and env), LeaderWorkerSetOperator/cluster is created, and once
 * the operator has rendered the operand, the image runs again as the operand (`/manager` with the operand
 * Deployment's args and the operator's ConfigMap).
 *
 * What a pod gets, here: the ServiceAccount's token, ca.crt and namespace at /var/run/secrets/kubernetes.io/serviceaccount
 * and KUBERNETES_SERVICE_HOST/PORT (in-cluster configuration: the install's RBAC is what the container has), user
 * 65532, a read-only root file system with a tmpfs /tmp (readOnlyRootFilesystem + the emptyDir), the ConfigMap at
 * /controller_manager_config.yaml. The host's network namespace stands in for the pod network: the webhook port is
 * moved to a free port and the Service <ns>/lws-webhook-service:443 is routed to it (`lwsctl cluster route`), so the
 * apiserver calls the webhooks through the Service as in a real cluster. Finally examples/leader-worker-set.yaml is
 * created in namespace image-demo and must turn Available. Logs: <cluster dir>/logs/image-*.log.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { parse, parseAllDocuments, stringify } from 'yaml';
import pkg from '../package.json' with { type: 'json' };
import { readState } from '../src/tooling/cluster/state.ts';
import { freePorts } from '../src/tooling/cluster/ports.ts';
import { httpGet } from '../src/tooling/cluster/health.ts';
import { kubectlFor } from '../src/tooling/testing/kubectl.ts';
import { routeService } from '../src/tooling/testing/service-routes.ts';
import { eventually } from '../src/tooling/testing/wait.ts';
import { OPERAND_NAMES, OPERATOR_NAME, sampleOperator } from '../src/operator/api/types.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    cluster: { type: 'string', default: 'lws' },
    image: { type: 'string', default: join(ROOT, `build/lws-ts-v${pkg.version}.oci.tar`) },
    operator: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    runtime: { type: 'string', default: 'runc' },
  },
});
const log = (s: string) => process.stderr.write(`[image:run] ${s}\n`);

const state = await readState(values.cluster);
if (!state) throw new Error(`cluster "${values.cluster}" is not running: lwsctl cluster up --name ${values.cluster}`);
const kubectl = kubectlFor(state.kubeconfig);
const kubeconfig = parse(readFileSync(state.kubeconfig, 'utf8')) as {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
};
const server = new URL(kubeconfig.clusters[0]!.cluster.server);
const work = mkdtempSync(join(tmpdir(), 'lws-image-run-'));

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: {
    template: {
      spec: {
        containers: Array<{
          command?: string[];
          args?: string[];
          env?: Array<{ name: string; value?: string }>;
        }>;
      };
    };
  };
}

/** The documents of an install file, the Deployment(s) put aside. */
async function applyWithoutDeployments(file: string, keep: (o: Obj) => boolean = () => true): Promise<Obj[]> {
  const all = parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'))
    .map((d) => d.toJS() as Obj)
    .filter((o) => o && keep(o));
  const applied = all.filter((o) => o.kind !== 'Deployment');
  await kubectl.withInput(
    applied.map((o) => stringify(o)).join('---\n'),
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    '-',
  );
  log(`applied ${applied.length} objects of ${file} (not its Deployment)`);
  return all;
}

/** The OCI archive unpacked once into a layout; each container gets its own runtime bundle from it. */
const layout = join(work, 'oci');
mkdirSync(layout);
await run('tar', ['-xf', values.image, '-C', layout]);
const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
  manifests: Array<{ annotations?: Record<string, string> }>;
};
const tag = index.manifests[0]!.annotations!['org.opencontainers.image.ref.name']!;

interface Container {
  id: string;
  child: ChildProcess;
  logFile: string;
}
const containers: Container[] = [];
const cleanups: Array<() => Promise<void>> = [];

async function startContainer(o: {
  name: string;
  /** Replaces the image's entrypoint when given. */
  command?: string[];
  args: string[];
  env: string[];
  namespace: string;
  serviceAccount: string;
  configFile?: string;
}): Promise<Container> {
  const dir = join(work, o.name);
  const sa = join(dir, 'serviceaccount');
  mkdirSync(sa, { recursive: true });
  const token = (await kubectl('create', 'token', o.serviceAccount, '-n', o.namespace, '--duration=2h')).trim();
  writeFileSync(join(sa, 'token'), token);
  writeFileSync(
    join(sa, 'ca.crt'),
    Buffer.from(kubeconfig.clusters[0]!.cluster['certificate-authority-data'], 'base64'),
  );
  writeFileSync(join(sa, 'namespace'), o.namespace);
  const bundle = join(dir, 'bundle');
  await run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle]);
  const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
  spec.process.terminal = false;
  spec.process.args = [...(o.command ?? spec.process.args), ...o.args];
  spec.process.env.push(
    `KUBERNETES_SERVICE_HOST=${server.hostname}`,
    `KUBERNETES_SERVICE_PORT=${server.port}`,
    `POD_NAMESPACE=${o.namespace}`,
    `POD_NAME=${o.name}`,
    ...o.env,
  );
  spec.root.readonly = true;
  spec.linux.namespaces = spec.linux.namespaces.filter((n: { type: string }) => n.type !== 'network');
  spec.mounts.push(
    {
      destination: '/var/run/secrets/kubernetes.io/serviceaccount',
      type: 'bind',
      source: sa,
      options: ['rbind', 'ro'],
    },
    { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777'] },
    { destination: '/etc/resolv.conf', type: 'bind', source: '/etc/resolv.conf', options: ['rbind', 'ro'] },
    ...(o.configFile
      ? [
          {
            destination: '/controller_manager_config.yaml',
            type: 'bind',
            source: o.configFile,
            options: ['rbind', 'ro'],
          },
        ]
      : []),
  );
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
  const id = `lws-image-${o.name}-${process.pid}`;
  const logFile = join(state!.dir, 'logs', `image-${id}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(values.runtime, ['run', '--bundle', bundle, id], { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  log(
    `${values.runtime} run ${id}: user ${spec.process.user.uid}:${spec.process.user.gid}, read-only root, ${o.namespace}/${o.serviceAccount}'s token, args ${spec.process.args.join(' ')}`,
  );
  log(`  log ${logFile}`);
  const c = { id, child, logFile };
  containers.push(c);
  return c;
}

const tail = (c: Container) => readFileSync(c.logFile, 'utf8').split('\n').slice(-15).join('\n');
const alive = (c: Container) => {
  if (c.child.exitCode !== null) throw new Error(`container ${c.id} exited ${c.child.exitCode}:\n${tail(c)}`);
};

/** The operand: /manager with a webhook port of its own, routed from <ns>/lws-webhook-service:443. */
async function startController(
  namespace: string,
  configMapData: Record<string, string>,
  args: string[],
): Promise<void> {
  const [webhookPort, metricsPort, healthPort] = (await freePorts(3)) as [number, number, number];
  const config = parse(Object.values(configMapData)[0]!) as { webhook?: Record<string, unknown> };
  config.webhook = { ...config.webhook, port: webhookPort };
  const configFile = join(work, `controller-${namespace}.yaml`);
  writeFileSync(configFile, stringify(config));
  const unroute = await routeService(state!.name, namespace, OPERAND_NAMES.webhookService, 443, webhookPort);
  cleanups.push(unroute);
  log(`route ${namespace}/${OPERAND_NAMES.webhookService}:443 -> 127.0.0.1:${webhookPort}`);
  const c = await startContainer({
    name: 'manager',
    args: [
      ...args.filter((a) => !/^--(metrics-bind-address|health-probe-bind-address|zap-log-level)=/.test(a)),
      `--metrics-bind-address=127.0.0.1:${metricsPort}`,
      `--health-probe-bind-address=127.0.0.1:${healthPort}`,
      '--zap-log-level=info',
    ],
    env: [],
    namespace,
    serviceAccount: OPERAND_NAMES.serviceAccount,
    configFile,
  });
  const started = Date.now();
  await eventually(
    async () => {
      alive(c);
      const r = await httpGet(`http://127.0.0.1:${healthPort}/readyz`);
      if (r.status !== 200) throw new Error(`readyz ${r.status}`);
    },
    { timeoutMs: 180_000, intervalMs: 500, message: 'the controller container is ready' },
  );
  log(`controller container ready (/readyz 200) ${((Date.now() - started) / 1000).toFixed(1)} s after start`);
}

let code = 0;
try {
  if (!values.operator) {
    const objects = await applyWithoutDeployments(
      'dist/install.yaml',
      (o) => o.kind !== 'CustomResourceDefinition' || o.metadata.name === 'leaderworkersets.leaderworkerset.x-k8s.io',
    );
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === OPERAND_NAMES.configMap)!;
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    await startController('lws-system', cm.data!, deployment.spec!.template.spec.containers[0]!.args ?? []);
  } else {
    const ns = 'openshift-lws-operator';
    const objects = await applyWithoutDeployments('dist/operator.yaml');
    const container = objects.find((o) => o.kind === 'Deployment')!.spec!.template.spec.containers[0]!;
    const env = (container.env ?? []).filter((e) => e.value !== undefined).map((e) => `${e.name}=${e.value}`);
    const operator = await startContainer({
      name: 'operator',
      command: ['/usr/local/bin/lwsctl', ...container.command!.slice(1)],
      // Probes and metrics are off: several containers share the host's network here.
      args: [...(container.args ?? []), '--metrics-bind-address=0', '--health-probe-bind-address=0'],
      env,
      namespace: ns,
      serviceAccount: OPERATOR_NAME,
    });
    await kubectl.withInput(JSON.stringify(sampleOperator()), 'apply', '-f', '-');
    log('created LeaderWorkerSetOperator/cluster');
    await eventually(
      async () => {
        alive(operator);
        const cr = await kubectl.json<{
          status?: { conditions?: Array<{ type: string; status: string; reason?: string }> };
        }>('get', 'leaderworkersetoperator', 'cluster');
        const available = cr.status?.conditions?.find((c) => c.type === 'Available');
        if (available?.status !== 'True') throw new Error(`Available: ${JSON.stringify(available)}`);
      },
      { timeoutMs: 180_000, intervalMs: 1000, message: 'the operator reports the operand Available' },
    );
    log('LeaderWorkerSetOperator/cluster Available: the operator container rendered and applied the operand');
    const cm = await kubectl.json<Obj>('get', 'configmap', OPERAND_NAMES.configMap, '-n', ns);
    const deployment = await kubectl.json<Obj>('get', 'deployment', OPERAND_NAMES.deployment, '-n', ns);
    await startController(ns, cm.data!, deployment.spec!.template.spec.containers[0]!.args ?? []);
  }

  await kubectl('create', 'namespace', 'image-demo').catch(() => '');
  await kubectl('delete', 'leaderworkerset', 'my-lws', '-n', 'image-demo', '--ignore-not-found', '--wait=true');
  const example = readFileSync(join(ROOT, 'examples/leader-worker-set.yaml'), 'utf8').replace(
    'namespace: my-namespace',
    'namespace: image-demo',
  );
  const created = Date.now();
  await eventually(() => kubectl.withInput(example, 'apply', '-f', '-'), {
    timeoutMs: 60_000,
    message: 'my-lws admitted',
  });
  const lws = await eventually(
    async () => {
      for (const c of containers) alive(c);
      const o = await kubectl.json<{
        status?: { conditions?: Array<{ type: string; status: string }>; readyReplicas?: number };
      }>('get', 'leaderworkerset', 'my-lws', '-n', 'image-demo');
      if (!o.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True'))
        throw new Error('not Available');
      return o;
    },
    { timeoutMs: 180_000, intervalMs: 1000, message: 'my-lws Available' },
  );
  log(
    `image-demo/my-lws Available with ${lws.status?.readyReplicas} ready groups ${((Date.now() - created) / 1000).toFixed(1)} s after it was applied (admitted by the container's webhooks through the routed Service)`,
  );
} catch (e) {
  code = 1;
  log(`FAILED: ${(e as Error).message}`);
  for (const c of containers) log(`--- ${c.id}\n${tail(c)}`);
} finally {
  if (values.keep) {
    for (const c of containers)
      log(`--keep: ${c.id} keeps running (${values.runtime} kill ${c.id} TERM; ${values.runtime} delete -f ${c.id})`);
  } else {
    for (const c of containers.reverse()) {
      await run(values.runtime, ['kill', c.id, 'TERM']).catch(() => {});
      await new Promise((r) => (c.child.exitCode !== null ? r(null) : c.child.once('exit', r)));
      await run(values.runtime, ['delete', '-f', c.id]).catch(() => {});
      log(`${c.id} stopped (exit ${c.child.exitCode ?? c.child.signalCode})`);
    }
    for (const f of cleanups) await f();
    rmSync(work, { recursive: true, force: true });
  }
}
process.exit(code);
