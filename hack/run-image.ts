/**
 * Runs the image built by `npm run image` (an OCI archive) with runc (or --runtime crun) against a local cluster, as the LWS controller
 * (`/manager`) of dist/install.yaml: `npm run image:run -- --cluster NAME [--image FILE] [--keep]`.
 *
 * The install objects of dist/install.yaml are applied except the Deployment (kwok nodes run no containers);
 * in its place the image runs here, in the host's network namespace, with what a pod of that Deployment gets: the
 * ServiceAccount's token, ca.crt and namespace at /var/run/secrets/kubernetes.io/serviceaccount and
 * KUBERNETES_SERVICE_HOST/PORT (in-cluster configuration), the ConfigMap lws-manager-config at
 * /controller_manager_config.yaml, user 65532. The Service lws-system/lws-webhook-service:443 is routed to the
 * container's webhook port (`lwsctl cluster route`), so the apiserver calls the webhooks the way it would in a real
 * cluster. Then a LeaderWorkerSet is created and must turn Available. Logs go to <cluster dir>/logs/image-*.log.
 */
import { execFile, spawn } from 'node:child_process';
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

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const NS = 'lws-system';
const { values } = parseArgs({
  options: {
    cluster: { type: 'string', default: 'lws' },
    image: { type: 'string', default: join(ROOT, `build/lws-ts-v${pkg.version}.oci.tar`) },
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

// 1. dist/install.yaml without the Deployment (and without CRDs other than the LWS one).
const install = parseAllDocuments(readFileSync(join(ROOT, 'dist/install.yaml'), 'utf8'))
  .map((d) => d.toJS() as { kind: string; metadata: { name: string }; data?: Record<string, string> })
  .filter((o) => o && o.kind !== 'Deployment')
  .filter(
    (o) => o.kind !== 'CustomResourceDefinition' || o.metadata.name === 'leaderworkersets.leaderworkerset.x-k8s.io',
  );
await kubectl.withInput(
  install.map((o) => stringify(o)).join('---\n'),
  'apply',
  '--server-side',
  '--force-conflicts',
  '-f',
  '-',
);
log(`applied ${install.length} objects of dist/install.yaml (no Deployment)`);
const configMap = install.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'lws-manager-config')!;

// 2. Ports on the host network, the webhook route, what the pod would get mounted.
const [webhookPort, metricsPort, healthPort] = (await freePorts(3)) as [number, number, number];
const config = parse(Object.values(configMap.data!)[0]!) as { webhook?: Record<string, unknown> };
config.webhook = { ...config.webhook, port: webhookPort };
const work = mkdtempSync(join(tmpdir(), 'lws-image-run-'));
const sa = join(work, 'serviceaccount');
mkdirSync(sa);
const token = (await kubectl('create', 'token', 'lws-controller-manager', '-n', NS, '--duration=2h')).trim();
writeFileSync(join(sa, 'token'), token);
writeFileSync(join(sa, 'ca.crt'), Buffer.from(kubeconfig.clusters[0]!.cluster['certificate-authority-data'], 'base64'));
writeFileSync(join(sa, 'namespace'), NS);
writeFileSync(join(work, 'controller_manager_config.yaml'), stringify(config));
const unroute = await routeService(state.name, NS, 'lws-webhook-service', 443, webhookPort);
log(`route ${NS}/lws-webhook-service:443 -> 127.0.0.1:${webhookPort}`);

// 3. The OCI archive → runtime bundle (umoci) → runc (crun refuses hybrid cgroups here, docs/packaging.md).
const layout = join(work, 'oci');
mkdirSync(layout);
await run('tar', ['-xf', values.image, '-C', layout]);
const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
  manifests: Array<{ annotations?: Record<string, string> }>;
};
const tag = index.manifests[0]!.annotations!['org.opencontainers.image.ref.name']!;
const bundle = join(work, 'bundle');
await run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle]);
const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
spec.process.terminal = false;
spec.process.args = [
  ...spec.process.args,
  '--config=/controller_manager_config.yaml',
  `--metrics-bind-address=127.0.0.1:${metricsPort}`,
  `--health-probe-bind-address=127.0.0.1:${healthPort}`,
  '--zap-log-level=info',
];
spec.process.env.push(`KUBERNETES_SERVICE_HOST=${server.hostname}`, `KUBERNETES_SERVICE_PORT=${server.port}`);
// The pod network is the host's here: the apiserver and the proxy's route target are on 127.0.0.1.
spec.linux.namespaces = spec.linux.namespaces.filter((n: { type: string }) => n.type !== 'network');
spec.mounts.push(
  { destination: '/var/run/secrets/kubernetes.io/serviceaccount', type: 'bind', source: sa, options: ['rbind', 'ro'] },
  {
    destination: '/controller_manager_config.yaml',
    type: 'bind',
    source: join(work, 'controller_manager_config.yaml'),
    options: ['rbind', 'ro'],
  },
  { destination: '/etc/resolv.conf', type: 'bind', source: '/etc/resolv.conf', options: ['rbind', 'ro'] },
);
writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
const id = `lws-image-${process.pid}`;
const logFile = join(state.dir, 'logs', `image-${id}.log`);
const fd = openSync(logFile, 'w');
const container = spawn(values.runtime, ['run', '--bundle', bundle, id], {
  stdio: ['ignore', fd, fd],
  detached: true,
});
closeSync(fd);
log(
  `${values.runtime} run ${id}: user ${spec.process.user.uid}:${spec.process.user.gid}, args ${spec.process.args.join(' ')}`,
);
log(`log ${logFile}`);

let code = 0;
try {
  await eventually(
    async () => {
      if (container.exitCode !== null) throw new Error(`container exited ${container.exitCode}`);
      const r = await httpGet(`http://127.0.0.1:${healthPort}/readyz`);
      if (r.status !== 200) throw new Error(`readyz ${r.status}`);
    },
    { timeoutMs: 180_000, intervalMs: 1000, message: 'the container is ready' },
  );
  log('container ready (/readyz 200)');
  await kubectl('create', 'namespace', 'image-demo').catch(() => '');
  const example = readFileSync(join(ROOT, 'examples/leader-worker-set.yaml'), 'utf8').replace(
    'namespace: my-namespace',
    'namespace: image-demo',
  );
  await kubectl.withInput(example, 'apply', '-f', '-');
  const lws = await eventually(
    async () => {
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
    `image-demo/my-lws Available with ${lws.status?.readyReplicas} ready groups (defaulted and validated by the image's webhooks)`,
  );
  const pod = await kubectl.json<{
    metadata: { annotations?: Record<string, string>; labels?: Record<string, string> };
  }>('get', 'pod', 'my-lws-0', '-n', 'image-demo');
  log(`pod my-lws-0 labels set by the pod webhook: ${JSON.stringify(pod.metadata.labels)}`);
} catch (e) {
  code = 1;
  log(`FAILED: ${(e as Error).message}\n${readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}`);
} finally {
  if (values.keep) {
    log(`--keep: container ${id} keeps running (${values.runtime} kill ${id} TERM; ${values.runtime} delete -f ${id})`);
  } else {
    await run(values.runtime, ['kill', id, 'TERM']).catch(() => {});
    await new Promise((r) => (container.exitCode !== null ? r(null) : container.once('exit', r)));
    await run(values.runtime, ['delete', '-f', id]).catch(() => {});
    await unroute();
    rmSync(work, { recursive: true, force: true });
    log(`container stopped (exit ${container.exitCode ?? container.signalCode}); route removed`);
  }
}
process.exit(code);
