/**
 * @module cli/demo-command
 * `lwsctl demo` (the README's `npm run demo`): the seed document end to end on a throw-away local cluster —
 * install the operator (dist/operator.yaml; the operator and its operand run as local processes with the tokens
 * of the ServiceAccounts the install created, since kwok pods run no containers), create the
 * `LeaderWorkerSetOperator` instance, deploy the seed's leader-worker-set.yaml and verify pods and StatefulSets,
 * a rolling update, a prefill/decode DisaggregatedSet created and rolled across its roles, then the seed's
 * uninstall — and tear everything down (or keep it with --keep).
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clusterDown, clusterUp } from '../tooling/cluster/cluster.ts';
import { kubectlFor } from '../tooling/testing/kubectl.ts';
import { eventually } from '../tooling/testing/wait.ts';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { addRoute, parseTarget } from '../tooling/cluster/routes.ts';
import { applyObject } from '../k8s/client/apply.ts';
import { KubeClient } from '../k8s/client/client.ts';
import type { KubeObject } from '../k8s/client/objects.ts';
import { OPERAND_NAMES as N, OPERATOR_NAME, sampleOperator } from '../operator/api/types.ts';
import { ManagerProcess } from '../tooling/testing/manager-process.ts';
import { OperatorProcess, serviceAccountKubeconfig } from '../tooling/testing/operator-process.ts';
import { KubeConfig } from '@kubernetes/client-node';
import type { Pod } from '../k8s/client/objects.ts';
import type { LeaderWorkerSet } from '../lws/api/types.ts';
import { REVISION_KEY_LABEL } from '../lws/api/keys.ts';
import { revisionKey } from '../lws/core/revision.ts';

const DEMO_CLUSTER = 'lws-demo';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'leader-worker-set.yaml');
const DS_EXAMPLE = join(ROOT, 'examples', 'disaggregatedset.yaml');
const OPERATOR_MANIFEST = join(ROOT, 'dist', 'operator.yaml');
const NS = 'openshift-lws-operator';
const EXPECTED_PODS = ['my-lws-0', 'my-lws-0-1', 'my-lws-0-2', 'my-lws-1', 'my-lws-1-1', 'my-lws-1-2'];

type Kubectl = ReturnType<typeof kubectlFor>;
type LwsItem = LeaderWorkerSet & { metadata: { labels?: Record<string, string> } };
const DS_REVISION = 'disaggregatedset.x-k8s.io/revision';
const DS_ROLE = 'disaggregatedset.x-k8s.io/role';

/** Child LWS of my-llm as "revision/role=replicas(ready)" lines, in a stable order. */
async function dsState(kubectl: Kubectl): Promise<Record<string, [number, number]>> {
  const items = (
    await kubectl.json<{ items: LwsItem[] }>(
      'get',
      'lws',
      '-n',
      'my-namespace',
      '-l',
      'disaggregatedset.x-k8s.io/name=my-llm',
    )
  ).items;
  return Object.fromEntries(
    items.map((l) => [
      `${l.metadata.labels?.[DS_REVISION]}/${l.metadata.labels?.[DS_ROLE]}`,
      [l.spec.replicas ?? 1, l.status?.readyReplicas ?? 0] as [number, number],
    ]),
  );
}

/** Creates examples/disaggregatedset.yaml, waits for both roles, then rolls both to a new image together. */
async function disaggregatedSetDemo(kubectl: Kubectl, show: (...args: string[]) => Promise<void>): Promise<void> {
  step('DisaggregatedSet: prefill and decode roles, each a LeaderWorkerSet (examples/disaggregatedset.yaml)');
  await eventually(() => show('apply', '-f', DS_EXAMPLE), { timeoutMs: 30_000, message: 'my-llm was not admitted' });
  const settled = (state: Record<string, [number, number]>) => {
    const revisions = new Set(Object.keys(state).map((k) => k.split('/')[0]));
    const entries = Object.values(state);
    const want: Record<string, number> = { prefill: 2, decode: 1 };
    return (
      revisions.size === 1 &&
      entries.length === 2 &&
      Object.entries(state).every(([k, [replicas, ready]]) => replicas === want[k.split('/')[1]!] && ready === replicas)
    );
  };
  const first = await eventually(
    async () => {
      const state = await dsState(kubectl);
      if (!settled(state)) throw new Error(JSON.stringify(state));
      return state;
    },
    { timeoutMs: 120_000, message: 'my-llm did not come up' },
  );
  await show('get', 'leaderworkersets', '-n', 'my-namespace', '-l', 'disaggregatedset.x-k8s.io/name=my-llm');
  await show('get', 'disaggregatedsets', '-n', 'my-namespace');
  await show('get', 'services', '-n', 'my-namespace', '-l', 'disaggregatedset.x-k8s.io/name=my-llm');

  step('DisaggregatedSet rolling update: a new image for both roles; new groups come up and old ones drain in step');
  const image = (i: number) => `/spec/roles/${i}/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/image`;
  await show(
    'patch',
    'disaggregatedset',
    'my-llm',
    '-n',
    'my-namespace',
    '--type=json',
    '-p',
    JSON.stringify([0, 1].map((i) => ({ op: 'replace', path: image(i), value: 'nginxinc/nginx-unprivileged:1.28' }))),
  );
  const oldRevision = Object.keys(first)[0]!.split('/')[0];
  let last = '';
  await eventually(
    async () => {
      const state = await dsState(kubectl);
      const line = Object.entries(state)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, [want, ready]]) => `${k}=${want}(${ready} ready)`)
        .join('  ');
      if (line !== last) console.log(`  ${line}`);
      last = line;
      if (!settled(state) || Object.keys(state)[0]!.startsWith(`${oldRevision}/`)) throw new Error(line);
    },
    { timeoutMs: 120_000, intervalMs: 200, message: 'the DisaggregatedSet rollout did not finish' },
  );
  await show('get', 'leaderworkersets', '-n', 'my-namespace', '-l', 'disaggregatedset.x-k8s.io/name=my-llm');
  await show(
    'get',
    'events.events.k8s.io',
    '-n',
    'my-namespace',
    '--field-selector',
    'regarding.kind=DisaggregatedSet',
    '-o',
    'custom-columns=REASON:.reason,NOTE:.note',
  );
}

function step(title: string): void {
  console.log(`\n== ${title}`);
}

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { keep: { type: 'boolean', default: false } } });
  await clusterDown(DEMO_CLUSTER, { log: () => {} });
  step('Local cluster (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)');
  const state = await clusterUp({ name: DEMO_CLUSTER, log: (l) => console.log(l) });
  const kubectl = kubectlFor(state.kubeconfig);
  const show = async (...args: string[]) => {
    console.log(`$ kubectl ${args.join(' ')}`);
    console.log((await kubectl(...args)).trimEnd());
  };
  let keep = false;
  const kc = new KubeConfig();
  kc.loadFromFile(state.kubeconfig);
  const client = await KubeClient.fromKubeConfig(kc);
  let operator: OperatorProcess | undefined;
  let controller: ManagerProcess | undefined;
  try {
    step(
      'Installing the Leader Worker Set Operator (dist/operator.yaml: namespace, CRD, ServiceAccount, RBAC, Deployment)',
    );
    for (const doc of parseAllDocuments(readFileSync(OPERATOR_MANIFEST, 'utf8'))) {
      await applyObject(client, doc.toJS() as KubeObject);
    }
    // kwok pods run no containers: the operator runs here, with a token of the ServiceAccount the install created.
    const operatorKubeconfig = await serviceAccountKubeconfig(client, state.kubeconfig, NS, OPERATOR_NAME);
    operator = await OperatorProcess.start({
      cluster: state,
      kubeconfig: operatorKubeconfig,
      id: 'demo',
      args: [`--namespace=${NS}`, '--resync-period=30s'],
      env: { RELATED_IMAGE_OPERAND_IMAGE: 'lws-ts:v0.1.0' },
    });
    await operator.waitForLog('Caches synced');
    console.log(`lwsctl operator running as system:serviceaccount:${NS}:${OPERATOR_NAME}, log: ${operator.logFile}`);

    step('Creating the LeaderWorkerSetOperator instance "cluster"');
    await kubectl.withInput(JSON.stringify(sampleOperator()), 'create', '-f', '-');
    await eventually(
      async () => {
        operator!.assertRunning();
        const cr = await kubectl.json<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(
          'get',
          'leaderworkersetoperator',
          'cluster',
        );
        const available = cr.status?.conditions?.find((c) => c.type === 'Available');
        if (available?.status !== 'True') throw new Error(`Available: ${JSON.stringify(available)}`);
      },
      { timeoutMs: 60_000, message: 'the operand did not become Available' },
    );
    await show(
      'get',
      'leaderworkersetoperator',
      'cluster',
      '-o',
      'jsonpath={range .status.conditions[*]}{.type}={.status} ({.reason}){"\\n"}{end}',
    );
    await show('get', 'deployments,services,configmaps,serviceaccounts', '-n', NS);
    await show('get', 'mutatingwebhookconfigurations,validatingwebhookconfigurations,crd');

    // The operand, likewise: the real controller with a token of lws-controller-manager and the operator's
    // ConfigMap; the apiserver reaches Service lws-webhook-service through the cluster's network proxy.
    const operandKubeconfig = await serviceAccountKubeconfig(client, state.kubeconfig, NS, N.serviceAccount);
    const cm = await kubectl.json<{ data: Record<string, string> }>('get', 'configmap', N.configMap, '-n', NS);
    const config = parse(cm.data[N.configMapKey]!) as Record<string, unknown>;
    for (const k of ['apiVersion', 'kind', 'webhook', 'metrics', 'health']) delete config[k];
    controller = await ManagerProcess.start({
      cluster: { name: DEMO_CLUSTER, kubeconfig: operandKubeconfig, dir: state.dir },
      id: 'demo',
      config: stringify(config),
      args: [`--namespace=${NS}`],
    });
    await addRoute(
      DEMO_CLUSTER,
      { namespace: NS, name: N.webhookService, port: 443 },
      parseTarget(`127.0.0.1:${controller.ports.webhook}`),
    );
    await controller.waitForLog('Certs ready');
    console.log(
      `operand (lwsctl controller) running as system:serviceaccount:${NS}:${N.serviceAccount}, log: ${controller.logFile}`,
    );
    await show('get', 'nodes');

    step('Deploying a leader worker set (the seed procedure)');
    await show('create', 'namespace', 'my-namespace');
    await eventually(() => show('apply', '-f', EXAMPLE), { timeoutMs: 30_000, message: 'my-lws was not admitted' });
    await eventually(
      async () => {
        const pods = (await kubectl.json<{ items: Pod[] }>('get', 'pods', '-n', 'my-namespace')).items;
        const running = pods
          .filter((p) => p.status?.phase === 'Running')
          .map((p) => p.metadata.name)
          .sort();
        if (JSON.stringify(running) !== JSON.stringify(EXPECTED_PODS))
          throw new Error(`running: ${running.join(', ')}`);
        const lws = await kubectl.json<{ status?: { readyReplicas?: number } }>(
          'get',
          'lws',
          'my-lws',
          '-n',
          'my-namespace',
        );
        if (lws.status?.readyReplicas !== 2) throw new Error(`readyReplicas ${lws.status?.readyReplicas}`);
      },
      { timeoutMs: 120_000, message: 'the seed example did not come up' },
    );

    step('Verification');
    await show('get', 'pods', '-n', 'my-namespace');
    await show('get', 'statefulsets', '-n', 'my-namespace');
    await show('get', 'leaderworkersets', '-n', 'my-namespace');
    const worker = await kubectl.json<Pod>('get', 'pod', 'my-lws-1-2', '-n', 'my-namespace');
    console.log('$ # LWS_* environment of worker my-lws-1-2');
    for (const e of worker.spec?.containers[0]?.env ?? [])
      if (e.name.startsWith('LWS_')) console.log(`${e.name}=${e.value}`);

    step('Rolling update: a new worker image, group by group (maxSurge 1, maxUnavailable 1)');
    const image = '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/image';
    await show(
      'patch',
      'leaderworkerset',
      'my-lws',
      '-n',
      'my-namespace',
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: image, value: 'nginxinc/nginx-unprivileged:1.28' }]),
    );
    const key = await eventually(
      async () => {
        const lws = await kubectl.json<LeaderWorkerSet>('get', 'lws', 'my-lws', '-n', 'my-namespace');
        const key = revisionKey(lws);
        const pods = (await kubectl.json<{ items: Pod[] }>('get', 'pods', '-n', 'my-namespace')).items.filter(
          (p) => !p.metadata.deletionTimestamp,
        );
        const updated = pods.filter(
          (p) => p.metadata.labels?.[REVISION_KEY_LABEL] === key && p.status?.phase === 'Running',
        );
        if (updated.length !== 6 || pods.length !== 6) throw new Error(`${updated.length} of 6 pods updated`);
        if (lws.status?.updatedReplicas !== 2 || lws.status.readyReplicas !== 2) throw new Error('not ready yet');
        return key;
      },
      { timeoutMs: 120_000, message: 'the rolling update did not finish' },
    );
    await show('get', 'leaderworkersets', '-n', 'my-namespace');
    await show('get', 'pods', '-n', 'my-namespace', '-L', REVISION_KEY_LABEL);
    console.log(`every pod carries template-revision-hash ${key} (the key upstream's Go code computes for this spec)`);

    await disaggregatedSetDemo(kubectl, show);

    if (values.keep) {
      keep = true;
      console.log(`\nThe cluster, the operator and the controller keep running:`);
      console.log(`  kubectl --kubeconfig ${state.kubeconfig} get leaderworkersetoperator,lws,pods -A`);
      console.log(`  npx lwsctl uninstall --kubeconfig ${state.kubeconfig}`);
      console.log(`  npx lwsctl cluster down --name ${DEMO_CLUSTER}     # stops everything`);
      return 0;
    }

    step('Uninstalling (the seed procedure): delete the instance — the operand goes, my-lws stays');
    await controller.stop();
    await show('delete', 'leaderworkersetoperator', 'cluster', '--wait=true');
    await show('get', 'deployments,services', '-n', NS);
    await show('get', 'leaderworkersets', '-A');
    step('Uninstall the operator, then delete the CRDs and the namespace');
    await operator.stop();
    const lwsctl = join(ROOT, 'bin', 'lwsctl.js');
    const { execFileSync } = await import('node:child_process');
    for (const args of [[], ['--delete-crds', '--yes', '--delete-namespace']]) {
      const command = ['uninstall', `--kubeconfig=${state.kubeconfig}`, ...args];
      console.log(`$ lwsctl ${command.join(' ')}`);
      console.log(execFileSync(process.execPath, [lwsctl, ...command], { encoding: 'utf8' }).trimEnd());
    }
  } finally {
    if (!keep) {
      step('Tearing down');
      await controller?.stop();
      await operator?.stop();
      client.close();
      await clusterDown(DEMO_CLUSTER, { log: (l) => console.log(l) });
    }
  }
  return 0;
}
