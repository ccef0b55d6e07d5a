/**
 * @module cli/demo-command
 * `lwsctl demo` (the README's `npm run demo`): the seed document's "Deploying a leader worker set" on a
 * throw-away local cluster — controller started, `my-namespace` created, the seed's leader-worker-set.yaml
 * applied, pods and StatefulSets shown, then everything torn down (or kept with --keep).
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clusterDown, clusterUp } from '../cluster/cluster.ts';
import { adoptProcess } from '../cluster/state.ts';
import { kubectlFor } from '../testing/kubectl.ts';
import { eventually } from '../testing/wait.ts';
import { detachController, startController, stopController } from '../testing/controller-process.ts';
import type { Pod } from '../kube/objects.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import { REVISION_KEY_LABEL } from '../api/keys.ts';
import { revisionKey } from '../revision/revision.ts';

const DEMO_CLUSTER = 'lws-demo';
const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'leader-worker-set.yaml');
const EXPECTED_PODS = ['my-lws-0', 'my-lws-0-1', 'my-lws-0-2', 'my-lws-1', 'my-lws-1-1', 'my-lws-1-2'];

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
  try {
    step('LeaderWorkerSet controller and webhooks (lwsctl run)');
    const logFile = join(state.dir, 'logs', 'lwsctl-run.log');
    const pid = await startController(state.kubeconfig, logFile);
    console.log(`controller running (pid ${pid}), log: ${logFile}`);
    await show('get', 'nodes');

    step('Deploying a leader worker set (the seed procedure)');
    await show('create', 'namespace', 'my-namespace');
    await show('apply', '-f', EXAMPLE);
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

    if (values.keep) {
      await adoptProcess(DEMO_CLUSTER, { component: 'lwsctl-run', pid, binary: process.execPath, log: logFile });
      detachController();
      keep = true;
      console.log(`\nThe cluster and the controller keep running:`);
      console.log(`  kubectl --kubeconfig ${state.kubeconfig} get lws,pods -n my-namespace`);
      console.log(`  npx lwsctl cluster down --name ${DEMO_CLUSTER}     # stops everything`);
    }
  } finally {
    if (!keep) {
      step('Tearing down');
      await stopController();
      await clusterDown(DEMO_CLUSTER, { log: (l) => console.log(l) });
    }
  }
  return 0;
}
