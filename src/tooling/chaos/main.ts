/**
 * @module chaos/main
 * `npm run chaos [-- --seed N] [--quick] [--only controller-kill,leader-kill,apiserver]`: faults injected into a
 * private local cluster while LeaderWorkerSets are created, scaled, rolled, recovered and deleted; after each
 * fault the controller must converge and the invariants (chaos/invariants) hold. Seeded: the same seed injects
 * the same faults at the same points of the script. Prints each fault, then `N passed, M failed` and
 * `faults injected: N, invariants broken: M`; exits 1 when anything failed. `--quick` is the CI subset.
 *
 * Scenarios:
 * - controller-kill: `lwsctl controller` (webhooks included) killed with SIGKILL at random points of each step
 *   (create, scale up, scale down, rolling update with maxSurge, rolling update with a partition, group recovery
 *   after a pod failure, deletion) and restarted; the rollout budget is sampled throughout.
 * - leader-kill: two replicas with a 4 s lease; the leader is killed, the standby must hold the lease within
 *   lease + 2 s; a paused (SIGSTOP) leader that lost its lease must stop without writing once resumed.
 * - operator: `lwsctl operator` killed with SIGKILL mid-apply, mid-removal (Removed) and mid-finalizer (instance
 *   deleted), restarted each time: the operand converges, the user's LeaderWorkerSet and the LWS CRD survive.
 * - apiserver: kube-apiserver restarted, and etcd compacted under the controller's watches; an LWS changed
 *   meanwhile must converge within 30 s each time.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../k8s/client/client.ts';
import {
  CONTROLLER_REVISIONS,
  CRDS,
  DEPLOYMENTS,
  LEASES,
  MUTATING_WEBHOOK_CONFIGURATIONS,
  PODS,
  SERVICES,
  STATEFULSETS,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
} from '../../k8s/client/resources.ts';
import type { Lease } from '../../k8s/runtime/lease-lock.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { restartComponent } from '../cluster/components.ts';
import { setFault, type ProxyFault } from '../cluster/proxy-faults.ts';
import { routeService } from '../testing/service-routes.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { createCA, issueCertificate } from '../../k8s/pki/pki.ts';
import { applyObject } from '../../k8s/client/apply.ts';
import { mutatingWebhookConfiguration, validatingWebhookConfiguration } from '../../lws/manifests/webhooks.ts';
import { compactEtcd } from '../cluster/etcd.ts';
import { GroupSampler } from '../testing/group-sampler.ts';
import { defaultLws, withChange } from '../testing/lws-builder.ts';
import { ManagerProcess, metricSum } from '../testing/manager-process.ts';
import { startPrivateCluster, type PrivateCluster } from '../testing/private-cluster.ts';
import { registerWebhooks, writeServingCertificate } from '../testing/runtime-fixtures.ts';
import { eventually } from '../testing/wait.ts';
import { ignoreNotFound, orUndefinedIfNotFound } from '../../k8s/client/errors.ts';
import { LEADERWORKERSET_OPERATORS } from '../../operator/api/resources.ts';
import { OPERAND_NAMES, OPERATOR_INSTANCE_NAME, sampleOperator } from '../../operator/api/types.ts';
import { OperatorProcess } from '../testing/operator-process.ts';
import { CRD_NAME as LWS_CRD_NAME } from '../../lws/api/crd.ts';
import { brokenInvariants, budgetExceeded, seededRandom, type NamespaceState, type Owned } from './invariants.ts';

const LEASE = 'b8b2488c.x-k8s.io';
const SCENARIOS = ['controller-kill', 'leader-kill', 'network', 'apiserver', 'operator'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Options {
  seed: number;
  quick: boolean;
  only: Scenario[];
}

/** Counts, results and the printed trail of one run. */
class Report {
  faults = 0;
  broken = 0;
  passed = 0;
  failed = 0;
  readonly figures: string[] = [];
  readonly #started = Date.now();

  say(line: string): void {
    const t = ((Date.now() - this.#started) / 1000).toFixed(1).padStart(6);
    process.stdout.write(`[chaos ${t}s] ${line}\n`);
  }

  fault(what: string): void {
    this.faults++;
    this.say(`FAULT #${this.faults}: ${what}`);
  }

  check(what: string, problems: string[]): void {
    if (problems.length === 0) {
      this.passed++;
      this.say(`ok   ${what}`);
      return;
    }
    this.failed++;
    this.broken += problems.length;
    this.say(`FAIL ${what}`);
    for (const p of problems.slice(0, 12)) this.say(`       ${p}`);
  }
}

async function namespaceState(client: KubeClient, namespace: string): Promise<NamespaceState> {
  const list = async <T>(ref: Parameters<KubeClient['list']>[0]) => (await client.list<T>(ref, { namespace })).items;
  const [sets, statefulSets, pods, services, revisions] = await Promise.all([
    list<LeaderWorkerSet>(LEADERWORKERSETS),
    list<Owned>(STATEFULSETS),
    list<Owned>(PODS),
    list<Owned>(SERVICES),
    list<Owned>(CONTROLLER_REVISIONS),
  ]);
  return { sets, statefulSets, pods, services, revisions };
}

/** Waits until the namespace satisfies every invariant; returns what was still broken at the deadline. */
async function converge(
  client: KubeClient,
  namespace: string,
  timeoutMs: number,
): Promise<{ ms: number; problems: string[] }> {
  const started = Date.now();
  let problems: string[] = ['not checked yet'];
  while (Date.now() - started < timeoutMs) {
    try {
      problems = brokenInvariants(await namespaceState(client, namespace));
    } catch (e) {
      problems = [`cannot list: ${(e as Error).message}`];
    }
    if (problems.length === 0) return { ms: Date.now() - started, problems };
    await sleep(300);
  }
  return { ms: Date.now() - started, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// controller-kill

interface Step {
  name: string;
  act: (client: KubeClient, ns: string, lws: string) => Promise<void>;
  /** Sample the rollout budget during this step (maxUnavailable of the set). */
  budget?: number;
  /** A group whose failure is injected: its leader pod must be recreated exactly once. */
  failedGroup?: number;
}

const patchLws = async (client: KubeClient, ns: string, name: string, patch: unknown): Promise<void> => {
  await client.patch(LEADERWORKERSETS, { namespace: ns, name }, patch, { type: 'merge' });
};

function steps(quick: boolean): Step[] {
  const all: Step[] = [
    {
      name: 'create',
      act: async (c, ns, name) => {
        const lws = withChange(defaultLws(ns, name), (l) => {
          l.spec.replicas = 3;
          l.spec.rolloutStrategy!.rollingUpdateConfiguration = { partition: 0, maxUnavailable: 1, maxSurge: 1 };
        });
        await c.create(LEADERWORKERSETS, lws as never);
      },
    },
    { name: 'scale up 3→5', act: (c, ns, n) => patchLws(c, ns, n, { spec: { replicas: 5 } }) },
    { name: 'scale down 5→3', act: (c, ns, n) => patchLws(c, ns, n, { spec: { replicas: 3 } }) },
    {
      name: 'rolling update (maxSurge 1, maxUnavailable 1)',
      budget: 1,
      act: (c, ns, n) =>
        patchLws(c, ns, n, {
          spec: { leaderWorkerTemplate: { workerTemplate: { metadata: { annotations: { chaos: 'v2' } } } } },
        }),
    },
    {
      name: 'rolling update with partition 2',
      budget: 1,
      act: (c, ns, n) =>
        patchLws(c, ns, n, {
          spec: {
            rolloutStrategy: { rollingUpdateConfiguration: { partition: 2 } },
            leaderWorkerTemplate: { workerTemplate: { metadata: { annotations: { chaos: 'v3' } } } },
          },
        }),
    },
    {
      name: 'partition released',
      budget: 1,
      act: (c, ns, n) =>
        patchLws(c, ns, n, { spec: { rolloutStrategy: { rollingUpdateConfiguration: { partition: 0 } } } }),
    },
    {
      name: 'group recovery after a pod failure',
      failedGroup: 1,
      act: async (c, ns, n) => {
        await c.delete(PODS, { namespace: ns, name: `${n}-1-1` });
      },
    },
    {
      name: 'deletion',
      act: async (c, ns, n) => {
        await c.delete(LEADERWORKERSETS, { namespace: ns, name: n }, { propagationPolicy: 'Background' });
      },
    },
  ];
  return quick
    ? all.filter((s) =>
        [
          'create',
          'scale up 3→5',
          'rolling update (maxSurge 1, maxUnavailable 1)',
          'group recovery after a pod failure',
          'deletion',
        ].includes(s.name),
      )
    : all;
}

class ControllerUnderTest {
  #process: ManagerProcess | undefined;
  #restarts = 0;
  readonly #cluster: PrivateCluster;
  readonly #certDir: string;
  readonly #caPem: string;
  readonly #args: string[];

  constructor(cluster: PrivateCluster, certDir: string, caPem: string, args: string[]) {
    this.#cluster = cluster;
    this.#certDir = certDir;
    this.#caPem = caPem;
    this.#args = args;
  }

  async start(): Promise<void> {
    const p = await ManagerProcess.start({
      cluster: this.#cluster,
      id: `chaos-${this.#restarts++}`,
      certDir: this.#certDir,
      config: 'internalCertManagement:\n  enable: false\n',
      args: ['--metrics-secure=false', ...this.#args],
    });
    this.#process = p;
    // A new process listens on a new port: point the webhook configurations at it.
    await registerWebhooks(this.#cluster.client, `https://127.0.0.1:${p.ports.webhook}`, this.#caPem);
    await eventually(async () => assert.equal((await p.readyz()).status, 200), { timeoutMs: 90_000, intervalMs: 200 });
  }

  kill(): void {
    this.#process?.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.#process?.stop();
  }
}

async function controllerKill(cluster: PrivateCluster, report: Report, options: Options): Promise<void> {
  const random = seededRandom(options.seed);
  const ns = 'chaos-kill';
  await cluster.kubectl('create', 'namespace', ns);
  const certDir = join(cluster.dir, 'chaos-webhook-certs');
  const { ca } = await writeServingCertificate(certDir);
  const controller = new ControllerUnderTest(cluster, certDir, ca.certPem, [
    `--namespace=${ns}`,
    '--leader-elect=false',
  ]);
  await controller.start();
  const rounds = options.quick ? 1 : 3;
  const minKills = options.quick ? 5 : 50;
  let kills = 0;
  try {
    for (let round = 0; round < rounds || kills < minKills; round++) {
      const name = `set-${round}`;
      for (const step of steps(options.quick)) {
        const sampler =
          step.budget !== undefined ? new GroupSampler(cluster.client, ns, name, () => 2).start(150) : undefined;
        const beforeLeader =
          step.failedGroup !== undefined
            ? await cluster.client.get<Owned>(PODS, { namespace: ns, name: `${name}-${step.failedGroup}` })
            : undefined;
        const leaderUids = new Set<string>();
        const census =
          step.failedGroup !== undefined
            ? setInterval(() => {
                void cluster.client
                  .get<Owned>(PODS, { namespace: ns, name: `${name}-${step.failedGroup}` })
                  .then((p) => !p.metadata.deletionTimestamp && leaderUids.add(p.metadata.uid!))
                  .catch(() => {});
              }, 100)
            : undefined;
        await eventually(() => step.act(cluster.client, ns, name), { timeoutMs: 60_000, intervalMs: 500 });
        const killsHere = 1 + Math.floor(random() * 3); // 1–3 kills at random points of the step
        for (let k = 0; k < killsHere; k++) {
          const delay = Math.floor(random() * 2500);
          await sleep(delay);
          controller.kill();
          kills++;
          report.fault(`kill -9 controller ${delay} ms into "${step.name}" of ${name}`);
          await sleep(Math.floor(random() * 300));
          await controller.start();
        }
        const { ms, problems } = await converge(cluster.client, ns, 120_000);
        if (census) clearInterval(census);
        const samples = sampler?.stop() ?? [];
        const extra: string[] = [];
        for (const s of samples) {
          const over = budgetExceeded(s, 3, step.budget!);
          if (over) {
            extra.push(`rollout budget exceeded at a sample: ${over}`);
            break;
          }
        }
        if (beforeLeader) {
          leaderUids.delete(beforeLeader.metadata.uid!);
          if (leaderUids.size !== 1) {
            extra.push(`group ${step.failedGroup} recreated ${leaderUids.size} times (want exactly once)`);
          }
        }
        report.check(
          `${name} "${step.name}" converged in ${ms} ms${samples.length ? ` (${samples.length} budget samples)` : ''}`,
          [...problems, ...extra],
        );
      }
    }
    report.figures.push(`controller kill -9: ${kills} kills`);
  } finally {
    await controller.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// leader-kill

async function leaderKill(cluster: PrivateCluster, report: Report, options: Options): Promise<void> {
  const random = seededRandom(options.seed + 1);
  const ns = 'chaos-le';
  await cluster.kubectl('create', 'namespace', ns);
  const certDir = join(cluster.dir, 'chaos-le-certs');
  const { ca } = await writeServingCertificate(certDir);
  const leaseSeconds = 4;
  const args = [
    `--namespace=${ns}`,
    '--metrics-secure=false',
    `--leader-elect-lease-duration=${leaseSeconds}s`,
    '--leader-elect-renew-deadline=3s',
    '--leader-elect-retry-period=500ms',
  ];
  let serial = 0;
  const start = async () => {
    const p = await ManagerProcess.start({
      cluster,
      id: `le-${serial++}`,
      certDir,
      config: 'internalCertManagement:\n  enable: false\n',
      args,
    });
    await eventually(async () => assert.equal((await p.readyz()).status, 200), { timeoutMs: 90_000, intervalMs: 200 });
    return p;
  };
  const replicas = [await start(), await start()];
  const holder = async () =>
    (await cluster.client.get<Lease>(LEASES, { namespace: ns, name: LEASE }).catch(() => undefined))?.spec
      ?.holderIdentity;
  const identityOf = async (p: ManagerProcess) =>
    (await p.waitForLog('Attempting to acquire leader lease', 60_000)).identity as string | undefined;
  const takeovers: number[] = [];
  const rounds = options.quick ? 2 : 10;
  try {
    await registerWebhooks(cluster.client, `https://127.0.0.1:${replicas[0]!.ports.webhook}`, ca.certPem);
    await eventually(
      () =>
        cluster.client.create(
          LEADERWORKERSETS,
          withChange(defaultLws(ns, 'le'), (l) => (l.spec.replicas = 2)) as never,
        ),
      { timeoutMs: 60_000 },
    );
    for (let round = 0; round < rounds; round++) {
      const current = await eventually(
        async () => {
          const h = await holder();
          for (const p of replicas) if (h && (await identityOf(p)) === h && p.running) return p;
          throw new Error(`no running replica holds the lease (holder ${h})`);
        },
        { timeoutMs: 60_000 },
      );
      const standby = replicas.find((p) => p !== current)!;
      // The webhooks go to the standby, which survives this round.
      await registerWebhooks(cluster.client, `https://127.0.0.1:${standby.ports.webhook}`, ca.certPem);
      await sleep(Math.floor(random() * 2000));
      const pause = round % 5 === 1; // every fifth round: a paused leader instead of a dead one
      const reconciles = async (p: ManagerProcess) =>
        metricSum(await p.metrics(), 'controller_runtime_reconcile_total').toString();
      const reconcilesBefore = pause ? await reconciles(current).catch(() => 'unknown') : '';
      current.signal(pause ? 'SIGSTOP' : 'SIGKILL');
      const at = Date.now();
      report.fault(`${pause ? 'SIGSTOP' : 'kill -9'} the leader ${current.id} (round ${round + 1})`);
      const standbyIdentity = await identityOf(standby);
      const tookOver = await eventually(async () => assert.equal(await holder(), standbyIdentity), {
        timeoutMs: 30_000,
        intervalMs: 100,
      })
        .then(() => Date.now() - at)
        .catch(() => -1);
      takeovers.push(tookOver);
      const limit = (leaseSeconds + 2) * 1000;
      const problems =
        tookOver < 0
          ? ['the standby never took the lease']
          : tookOver > limit
            ? [`takeover after ${tookOver} ms > lease + 2 s (${limit} ms)`]
            : [];
      // Something to do for the new leader: scale the set, it must converge.
      await eventually(() => patchLws(cluster.client, ns, 'le', { spec: { replicas: round % 2 === 0 ? 3 : 2 } }), {
        timeoutMs: 60_000,
      });
      if (pause) {
        const resumedAt = new Date().toISOString();
        current.signal('SIGCONT');
        // It must end its term (upstream's manager exits; ours becomes a standby) and write nothing more.
        const ended = await eventually(
          () => {
            if (!current.running) return 'exited';
            const lost = current.lines().find((l) => l.time >= resumedAt && l.msg === 'Leader election lost');
            if (!lost) throw new Error('the resumed old leader still leads');
            return 'lost';
          },
          { timeoutMs: 20_000, intervalMs: 100 },
        ).catch(() => undefined);
        if (!ended) {
          problems.push(`the resumed old leader did not end its term; its log ends:\n${current.tail(12)}`);
        }
        const writes = current
          .lines()
          .filter(
            (l) =>
              l.time >= resumedAt &&
              /created|updated|patched|deleted|Reconcil/i.test(l.msg) &&
              !/lease|election/i.test(l.msg),
          );
        // Reconciles are where writes come from: none after it lost the lease (its metrics are plain HTTP here).
        const reconcilesAfter = ended === 'lost' ? await reconciles(current).catch(() => 'unknown') : reconcilesBefore;
        if (reconcilesAfter !== reconcilesBefore) {
          problems.push(`the old leader reconciled after losing its lease (${reconcilesBefore} → ${reconcilesAfter})`);
        }
        if (writes.length > 0)
          problems.push(`the old leader logged ${writes.length} write(s) after resuming: ${writes[0]!.msg}`);
      }
      const { ms, problems: broken } = await converge(cluster.client, ns, 60_000);
      report.check(`leader round ${round + 1}: takeover ${tookOver} ms, converged ${ms} ms`, [...problems, ...broken]);
      // Replace the dead replica.
      await current.stop(1000);
      replicas.splice(replicas.indexOf(current), 1, await start());
    }
    const ok = takeovers.filter((t) => t >= 0);
    report.figures.push(
      `leader takeover (lease ${leaseSeconds} s): min ${Math.min(...ok)} ms, max ${Math.max(...ok)} ms, mean ${Math.round(ok.reduce((a, b) => a + b, 0) / ok.length)} ms over ${ok.length}`,
    );
  } finally {
    await Promise.all(replicas.map((p) => p.stop()));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// apiserver restarts and etcd compaction

async function apiserverFaults(cluster: PrivateCluster, report: Report, options: Options): Promise<void> {
  const ns = 'chaos-api';
  await cluster.kubectl('create', 'namespace', ns);
  const certDir = join(cluster.dir, 'chaos-api-certs');
  const { ca } = await writeServingCertificate(certDir);
  const controller = new ControllerUnderTest(cluster, certDir, ca.certPem, [
    `--namespace=${ns}`,
    '--leader-elect=false',
  ]);
  await controller.start();
  const times: number[] = [];
  const rounds = options.quick ? 2 : 10;
  try {
    await eventually(
      () =>
        cluster.client.create(
          LEADERWORKERSETS,
          withChange(defaultLws(ns, 'api'), (l) => (l.spec.replicas = 2)) as never,
        ),
      { timeoutMs: 60_000 },
    );
    const first = await converge(cluster.client, ns, 120_000);
    report.check(`api: initial convergence ${first.ms} ms`, first.problems);
    let replicas = 2;
    for (let round = 0; round < rounds; round++) {
      const compaction = round % 3 === 1;
      replicas = replicas === 2 ? 3 : 2; // every round changes the set
      if (compaction) {
        // Changes the controller must see, then history compacted away under its watches.
        await patchLws(cluster.client, ns, 'api', { spec: { replicas } });
        const revision = await compactEtcd(cluster.name);
        report.fault(`etcd compacted at revision ${revision} mid-watch`);
      } else {
        report.fault(`kube-apiserver restarted (round ${round + 1})`);
        await restartComponent(cluster.name, 'kube-apiserver');
        await eventually(() => cluster.client.get(LEADERWORKERSETS, { namespace: ns, name: 'api' }), {
          timeoutMs: 60_000,
        });
        await eventually(() => patchLws(cluster.client, ns, 'api', { spec: { replicas } }), { timeoutMs: 30_000 });
      }
      const at = Date.now();
      // The controller's part: the leader StatefulSet asks for the new number of groups.
      const acted = await eventually(
        async () => {
          const sts = await cluster.client.get<{ spec: { replicas: number } }>(STATEFULSETS, {
            namespace: ns,
            name: 'api',
          });
          assert.equal(sts.spec.replicas, replicas);
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      ).then(
        () => Date.now() - at,
        () => -1,
      );
      // Pods follow through kube-controller-manager, whose own (client-go) watches lag after repeated restarts and
      // compactions ("read version … is not as new as written version" in its log): 90 s for the whole namespace.
      const { problems } = await converge(cluster.client, ns, 90_000);
      const ms = Date.now() - at;
      times.push(acted < 0 ? 30_000 : acted);
      if (acted < 0) problems.unshift('the controller did not resize the leader StatefulSet within 30 s');
      report.check(
        `api round ${round + 1}: controller acted in ${acted} ms (limit 30 s), namespace converged in ${ms} ms`,
        problems,
      );
    }
    report.figures.push(
      `apiserver restart / compaction: the controller acted within ${Math.max(...times)} ms in each of ${times.length} rounds`,
    );
  } finally {
    await controller.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// network faults between the apiserver and the webhook (through the cluster network proxy)

async function networkFaults(cluster: PrivateCluster, report: Report, options: Options): Promise<void> {
  const ns = 'chaos-net';
  const service = { namespace: 'lws-system', name: 'lws-webhook-service', port: 443 };
  const key = `${service.namespace}/${service.name}:${service.port}`;
  await cluster.kubectl('create', 'namespace', ns);
  await cluster.kubectl('create', 'namespace', service.namespace).catch(() => {});
  const ca = await createCA('chaos-net-ca');
  const serving = await issueCertificate(ca, {
    commonName: `${service.name}.${service.namespace}.svc`,
    hosts: [`${service.name}.${service.namespace}.svc`, '127.0.0.1'],
    usage: 'server',
  });
  const certDir = join(cluster.dir, 'chaos-net-certs');
  await mkdir(certDir, { recursive: true });
  await writeFile(join(certDir, 'tls.crt'), serving.certPem);
  await writeFile(join(certDir, 'tls.key'), serving.keyPem);
  const p = await ManagerProcess.start({
    cluster,
    id: 'net',
    certDir,
    config: 'internalCertManagement:\n  enable: false\n',
    args: [`--namespace=${ns}`, '--leader-elect=false', '--metrics-secure=false'],
  });
  const unroute = await routeService(cluster.name, service.namespace, service.name, service.port, p.ports.webhook);
  try {
    await eventually(async () => assert.equal((await p.readyz()).status, 200), { timeoutMs: 90_000 });
    await cluster.client.create(SERVICES, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: service.name, namespace: service.namespace },
      spec: { ports: [{ port: 443, targetPort: 9443, protocol: 'TCP' }] },
    } as never);
    for (const config of [mutatingWebhookConfiguration, validatingWebhookConfiguration]) {
      await applyObject(
        cluster.client,
        config({ target: { service: { name: service.name, namespace: service.namespace } }, caBundlePem: ca.certPem }),
      );
    }
    const small = (name: string) => withChange(defaultLws(ns, name), (l) => (l.spec.replicas = 1)) as never;
    await eventually(() => cluster.client.create(LEADERWORKERSETS, small('net-base')), { timeoutMs: 60_000 });
    const base = await converge(cluster.client, ns, 60_000);
    report.check(`network: webhooks through the proxy work (${base.ms} ms)`, base.problems);

    const faults: ProxyFault[] = [
      { mode: 'refuse' },
      { mode: 'delay', delayMs: 3000 },
      { mode: 'reset', afterBytes: 1024 },
    ];
    const rounds = options.quick ? 1 : 3;
    for (let round = 0; round < rounds; round++) {
      for (const fault of faults) {
        await setFault(cluster.dir, key, fault);
        await sleep(500); // the proxy closes the tunnels the apiserver keeps open
        report.fault(`network ${JSON.stringify(fault)} between the apiserver and ${key}`);
        const name = `net-${round}-${fault.mode}`;
        const outcome = await cluster.client.create(LEADERWORKERSETS, small(name)).then(
          () => undefined,
          (e: Error) => e,
        );
        // Meanwhile, scale an existing set: its new pods need the pod webhook too.
        await patchLws(cluster.client, ns, 'net-base', { spec: { replicas: round % 2 === 0 ? 2 : 1 } }).catch(() => {});
        await setFault(cluster.dir, key, undefined);
        const problems: string[] = [];
        if (outcome) {
          if (!/failed calling webhook/.test(outcome.message)) problems.push(`unclear error: ${outcome.message}`);
          const exists = await cluster.client.get(LEADERWORKERSETS, { namespace: ns, name }).then(
            () => true,
            () => false,
          );
          if (exists) problems.push(`${name} exists although its create failed`);
        }
        const { ms, problems: broken } = await converge(cluster.client, ns, 60_000);
        report.check(
          `network ${fault.mode}: create ${outcome ? `failed clearly ("${outcome.message.slice(0, 90)}…")` : 'succeeded'}; converged ${ms} ms`,
          [...problems, ...broken],
        );
      }
    }
  } finally {
    await setFault(cluster.dir, key, undefined);
    await unroute();
    await p.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------------
// operator

/**
 * The operator killed with SIGKILL in the middle of applying the operand and in the middle of removing it (Removed,
 * then the instance deleted through its finalizer), restarted each time. The operand must converge each time, and
 * the user's LeaderWorkerSet and the LWS CRD must survive every fault.
 */
async function operatorFaults(cluster: PrivateCluster, report: Report, options: Options): Promise<void> {
  const random = seededRandom(options.seed + 7);
  const operatorNs = 'chaos-operator';
  const userNs = 'chaos-operator-user';
  await cluster.kubectl('create', 'namespace', operatorNs);
  await cluster.kubectl('create', 'namespace', userNs);
  // Webhook configurations left by the earlier scenarios point at controllers that are gone; the operand brings
  // its own. Then a user's LWS, created before any webhook exists: it must outlive every operator fault.
  for (const [ref, name] of [
    [VALIDATING_WEBHOOK_CONFIGURATIONS, OPERAND_NAMES.validatingWebhookConfiguration],
    [MUTATING_WEBHOOK_CONFIGURATIONS, OPERAND_NAMES.mutatingWebhookConfiguration],
  ] as const) {
    await cluster.client.delete(ref, { name }).catch(ignoreNotFound);
  }
  const user = await cluster.client.create(LEADERWORKERSETS, defaultLws(userNs, 'keep-me') as never);
  const userUid = (user as Owned).metadata.uid!;
  const crdUid = (await cluster.client.get<Owned>(CRDS, { name: LWS_CRD_NAME })).metadata.uid!;
  const start = () =>
    OperatorProcess.start({
      cluster,
      kubeconfig: cluster.kubeconfig,
      id: `chaos-${Date.now()}`,
      args: [
        `--namespace=${operatorNs}`,
        '--operand-image=registry.invalid/lws:chaos',
        '--certificates=internal',
        '--no-leader-elect',
      ],
    });
  let operator = await start();
  const rounds = options.quick ? 1 : 3;
  const survivors = async (): Promise<string[]> => {
    const problems: string[] = [];
    const lws = await orUndefinedIfNotFound(
      cluster.client.get<Owned>(LEADERWORKERSETS, { namespace: userNs, name: 'keep-me' }),
    );
    if (lws?.metadata.uid !== userUid) problems.push('the user LeaderWorkerSet keep-me was deleted or replaced');
    const crd = await orUndefinedIfNotFound(cluster.client.get<Owned>(CRDS, { name: LWS_CRD_NAME }));
    if (crd?.metadata.uid !== crdUid) problems.push(`the CRD ${LWS_CRD_NAME} was deleted or replaced`);
    return problems;
  };
  const operandPresent = async (): Promise<boolean> =>
    (await orUndefinedIfNotFound(
      cluster.client.get(DEPLOYMENTS, { namespace: operatorNs, name: OPERAND_NAMES.deployment }),
    )) !== undefined &&
    (await orUndefinedIfNotFound(
      cluster.client.get(VALIDATING_WEBHOOK_CONFIGURATIONS, { name: OPERAND_NAMES.validatingWebhookConfiguration }),
    )) !== undefined;
  const killDuring = async (what: string, act: () => Promise<unknown>): Promise<void> => {
    // The first apply can precede the operator's own CRD (it installs it at start-up).
    await eventually(act, { timeoutMs: 60_000, intervalMs: 500 });
    const kills = 1 + Math.floor(random() * 2);
    for (let k = 0; k < kills; k++) {
      const delay = Math.floor(random() * 1500);
      await sleep(delay);
      operator.kill();
      await operator.exited;
      report.fault(`kill -9 operator ${delay} ms into ${what}`);
      operator = await start();
    }
  };
  try {
    for (let round = 0; round < rounds; round++) {
      let t0 = Date.now();
      await killDuring(`apply (round ${round})`, () =>
        cluster.client.apply(LEADERWORKERSET_OPERATORS, sampleOperator() as never, {
          fieldManager: 'chaos',
          force: true,
        }),
      );
      const applied = await eventually(async () => assert.ok(await operandPresent(), 'operand not applied yet'), {
        timeoutMs: 120_000,
        intervalMs: 500,
      }).then(
        () => [],
        (e: Error) => [e.message],
      );
      report.check(`operand applied after kills (round ${round}) in ${Date.now() - t0} ms`, [
        ...applied,
        ...(await survivors()),
      ]);

      t0 = Date.now();
      await killDuring(`removal (round ${round})`, () =>
        cluster.client.apply(
          LEADERWORKERSET_OPERATORS,
          { ...sampleOperator(), spec: { ...sampleOperator().spec, managementState: 'Removed' } } as never,
          { fieldManager: 'chaos', force: true },
        ),
      );
      const removed = await eventually(async () => assert.ok(!(await operandPresent()), 'operand still present'), {
        timeoutMs: 120_000,
        intervalMs: 500,
      }).then(
        () => [],
        (e: Error) => [e.message],
      );
      report.check(`operand removed after kills (round ${round}) in ${Date.now() - t0} ms`, [
        ...removed,
        ...(await survivors()),
      ]);
    }
    // Last: Managed again, then the instance deleted (finalizer clean-up) with kills in the middle.
    await cluster.client.apply(LEADERWORKERSET_OPERATORS, sampleOperator() as never, {
      fieldManager: 'chaos',
      force: true,
    });
    await eventually(async () => assert.ok(await operandPresent(), 'operand not applied yet'), { timeoutMs: 120_000 });
    const t0 = Date.now();
    await killDuring('instance deletion', () =>
      cluster.client.delete(LEADERWORKERSET_OPERATORS, { name: OPERATOR_INSTANCE_NAME }),
    );
    const gone = await eventually(
      async () => {
        assert.equal(
          await orUndefinedIfNotFound(cluster.client.get(LEADERWORKERSET_OPERATORS, { name: OPERATOR_INSTANCE_NAME })),
          undefined,
        );
        assert.ok(!(await operandPresent()), 'operand still present');
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    ).then(
      () => [],
      (e: Error) => [e.message],
    );
    report.check(`instance deleted and operand cleaned up after kills in ${Date.now() - t0} ms`, [
      ...gone,
      ...(await survivors()),
    ]);
  } finally {
    await operator.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: process.env.CHAOS_SEED ?? '1' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  const only = (values.only?.split(',') ?? [...SCENARIOS]) as Scenario[];
  for (const s of only)
    if (!SCENARIOS.includes(s)) throw new Error(`--only: unknown scenario "${s}" (${SCENARIOS.join(', ')})`);
  const options: Options = { seed: Number(values.seed), quick: values.quick!, only };
  const report = new Report();
  report.say(`seed ${options.seed}${options.quick ? ' (quick)' : ''}; scenarios ${only.join(', ')}`);
  const cluster = await startPrivateCluster('chaos');
  try {
    for (const scenario of only) {
      report.say(`--- ${scenario}`);
      try {
        if (scenario === 'controller-kill') await controllerKill(cluster, report, options);
        if (scenario === 'leader-kill') await leaderKill(cluster, report, options);
        if (scenario === 'apiserver') await apiserverFaults(cluster, report, options);
        if (scenario === 'network') await networkFaults(cluster, report, options);
        if (scenario === 'operator') await operatorFaults(cluster, report, options);
      } catch (e) {
        report.check(`${scenario} ran to the end`, [(e as Error).stack ?? String(e)]);
      }
    }
  } finally {
    await cluster.down();
  }
  for (const f of report.figures) report.say(f);
  process.stdout.write(`${report.passed} passed, ${report.failed} failed\n`);
  process.stdout.write(`faults injected: ${report.faults}, invariants broken: ${report.broken}\n`);
  process.exitCode = report.failed > 0 ? 1 : 0;
}

await main();
