/**
 * @module cli/kubectl-lws/main
 * `kubectl lws …` (the kubectl plugin, executable `kubectl-lws`): a view of LeaderWorkerSets by group, rollout
 * status/history/undo, restarting one group, and what applying a file would change. Follows kubectl's
 * conventions: -n/--namespace, -A, --context, --kubeconfig, -o json|yaml|wide, "error: …" on standard error
 * with exit code 1 (diff: 0 no differences, 1 differences, 2 error).
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../k8s/client/kubeconfig.ts';
import { KubeClient } from '../../k8s/client/client.ts';
import { ApiError, NotFoundError } from '../../k8s/client/errors.ts';
import { CONTROLLER_REVISIONS, PODS } from '../../k8s/client/resources.ts';
import type { ControllerRevision, Pod } from '../../k8s/client/objects.ts';
import { UsageError } from '../../k8s/go/errors.ts';
import { parseDurationFlag } from '../../k8s/go/duration.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';
import { SET_NAME_LABEL, GROUP_INDEX_LABEL, WORKER_INDEX_LABEL, REVISION_KEY_LABEL } from '../../lws/api/keys.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { applyRevision } from '../../lws/core/revision.ts';
import { render, RenderError } from '../../lws/render/render.ts';
import { DISAGGREGATEDSETS } from '../../disaggregatedset/api/resources.ts';
import { SetNameLabelKey as DS_NAME_LABEL } from '../../disaggregatedset/api/keys.ts';
import type { DisaggregatedSet } from '../../disaggregatedset/api/types.ts';
import {
  applyPlan,
  dsView,
  formatDs,
  formatHistory,
  formatList,
  formatPlan,
  formatTree,
  history,
  lwsTree,
  rolloutStatus,
  undoTarget,
} from './view.ts';
import { completionScript, completions } from './completion.ts';

export const USAGE = `kubectl lws: LeaderWorkerSets by group, rollouts and what a change would do.

Usage:
  kubectl lws get [NAME] [-o wide|json|yaml] [-A]
  kubectl lws ds [NAME] [-o wide|json|yaml] [-A]      DisaggregatedSets: roles and their LeaderWorkerSets by group
  kubectl lws rollout status NAME [--timeout DURATION] [--watch=false]
  kubectl lws rollout history NAME [--revision N] [-o json|yaml]
  kubectl lws rollout undo NAME [--to-revision N] [--dry-run]
  kubectl lws restart NAME --group N [--yes]
  kubectl lws render -f FILE [-o yaml|json]
  kubectl lws diff -f FILE [-o json]
  kubectl lws completion bash|zsh

Flags of every command:
  -n, --namespace NAME   namespace (default: the context's namespace, else "default")
      --context NAME     kubeconfig context
      --kubeconfig PATH  kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
`;

export class CommandError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CommandError';
    this.exitCode = exitCode;
  }
}

const COMMON = {
  namespace: { type: 'string', short: 'n' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Common {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  output?: string;
}

interface Session {
  client: KubeClient;
  namespace: string;
  close(): void;
}

/** The kubeconfig as kubectl picks it: --kubeconfig, $KUBECONFIG, ~/.kube/config; --context overrides. */
function kubeConfigOf(flags: Common): KubeConfig {
  const kc = loadKubeConfig(flags.kubeconfig);
  if (flags.context) {
    if (!kc.getContextObject(flags.context)) throw new CommandError(`context "${flags.context}" does not exist`);
    kc.setCurrentContext(flags.context);
  }
  return kc;
}

async function session(flags: Common): Promise<Session> {
  const kc = kubeConfigOf(flags);
  const namespace = flags.namespace || kc.getContextObject(kc.getCurrentContext())?.namespace || 'default';
  const client = await KubeClient.fromKubeConfig(kc, { userAgent: 'kubectl-lws', maxRetries: 2 });
  return { client, namespace, close: () => client.close() };
}

function checkOutput(output: string | undefined, allowed: readonly string[]): void {
  if (output !== undefined && !allowed.includes(output))
    throw new UsageError(
      `unable to match a printer suitable for the output format "${output}", allowed formats are: ${allowed.join(',')}`,
    );
}

const print = (s: string) => process.stdout.write(s);
const printData = (data: unknown, output: string) =>
  print(output === 'json' ? JSON.stringify(data, null, 4) + '\n' : stringify(data, { version: '1.1' }));

async function getLws(s: Session, name: string): Promise<LeaderWorkerSet> {
  return s.client.get<LeaderWorkerSet>(LEADERWORKERSETS, { namespace: s.namespace, name });
}

async function podsOf(s: Session, namespace: string | undefined, name?: string): Promise<Pod[]> {
  const labelSelector = name ? `${SET_NAME_LABEL}=${name}` : SET_NAME_LABEL;
  return (await s.client.listAll<Pod>(PODS, { namespace, labelSelector })).items;
}

async function revisionsOf(
  s: Session,
  namespace: string,
  name: string,
  lws?: LeaderWorkerSet,
): Promise<ControllerRevision[]> {
  const items = (
    await s.client.listAll<ControllerRevision>(CONTROLLER_REVISIONS, {
      namespace,
      labelSelector: `${SET_NAME_LABEL}=${name}`,
    })
  ).items;
  // Only those the LWS owns (a StatefulSet's revisions carry the name label too).
  return items.filter((r) =>
    (r.metadata.ownerReferences ?? []).some(
      (o) => o.kind === 'LeaderWorkerSet' && (lws?.metadata.uid === undefined || o.uid === lws.metadata.uid),
    ),
  );
}

// ------------------------------------------------------------------------------------------ commands

async function getCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON, 'all-namespaces': { type: 'boolean', short: 'A' } },
  });
  checkOutput(values.output, ['wide', 'json', 'yaml']);
  if (positionals.length > 1) throw new UsageError('get takes at most one NAME');
  const s = await session(values);
  try {
    const now = new Date();
    const name = positionals[0];
    const all = values['all-namespaces'] === true && !name;
    const list = name
      ? [await getLws(s, name)]
      : (await s.client.listAll<LeaderWorkerSet>(LEADERWORKERSETS, { namespace: all ? undefined : s.namespace })).items;
    if (list.length === 0) {
      process.stderr.write(all ? 'No resources found\n' : `No resources found in ${s.namespace} namespace.\n`);
      return 0;
    }
    const pods = await podsOf(s, all ? undefined : s.namespace, name);
    const trees = await Promise.all(
      list.map(async (lws) => {
        const ns = lws.metadata.namespace ?? s.namespace;
        const mine = pods.filter((p) => p.metadata.namespace === ns);
        return lwsTree(lws, mine, await revisionsOf(s, ns, lws.metadata.name ?? '', lws), now);
      }),
    );
    if (values.output === 'json' || values.output === 'yaml') {
      printData(name ? trees[0] : { items: trees }, values.output);
      return 0;
    }
    if (!name && values.output !== 'wide') {
      print(formatList(trees, all));
      return 0;
    }
    print(trees.map((t) => formatTree(t, values.output === 'wide')).join('\n'));
    return 0;
  } finally {
    s.close();
  }
}

async function dsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON, 'all-namespaces': { type: 'boolean', short: 'A' } },
  });
  checkOutput(values.output, ['wide', 'json', 'yaml']);
  if (positionals.length > 1) throw new UsageError('ds takes at most one NAME');
  const s = await session(values);
  try {
    const now = new Date();
    const name = positionals[0];
    const all = values['all-namespaces'] === true && !name;
    let list: DisaggregatedSet[];
    try {
      list = name
        ? [await s.client.get<DisaggregatedSet>(DISAGGREGATEDSETS, { namespace: s.namespace, name })]
        : (await s.client.listAll<DisaggregatedSet>(DISAGGREGATEDSETS, { namespace: all ? undefined : s.namespace }))
            .items;
    } catch (e) {
      if (e instanceof NotFoundError && !(e.message.includes('"') && name))
        throw new CommandError('the DisaggregatedSet API (disaggregatedset.x-k8s.io/v1) is not served by this cluster');
      throw e;
    }
    if (list.length === 0) {
      process.stderr.write(all ? 'No resources found\n' : `No resources found in ${s.namespace} namespace.\n`);
      return 0;
    }
    const views = await Promise.all(
      list.map(async (ds) => {
        const ns = ds.metadata.namespace ?? s.namespace;
        const children = (
          await s.client.listAll<LeaderWorkerSet>(LEADERWORKERSETS, {
            namespace: ns,
            labelSelector: `${DS_NAME_LABEL}=${ds.metadata.name}`,
          })
        ).items;
        const trees = await Promise.all(
          children.map(async (lws) => ({
            lws,
            tree: lwsTree(
              lws,
              await podsOf(s, ns, lws.metadata.name),
              await revisionsOf(s, ns, lws.metadata.name ?? '', lws),
              now,
            ),
          })),
        );
        return dsView(ds, trees, now);
      }),
    );
    if (values.output === 'json' || values.output === 'yaml')
      printData(name ? views[0] : { items: views }, values.output);
    else print(views.map((v) => formatDs(v, values.output === 'wide')).join('\n'));
    return 0;
  } finally {
    s.close();
  }
}

async function rolloutCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'status':
      return rolloutStatusCommand(rest);
    case 'history':
      return rolloutHistoryCommand(rest);
    case 'undo':
      return rolloutUndoCommand(rest);
    default:
      throw new UsageError(
        `rollout: expected status, history or undo, got ${sub === undefined ? 'nothing' : `"${sub}"`}`,
      );
  }
}

function oneName(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one NAME (the LeaderWorkerSet)`);
  return positionals[0]!;
}

async function rolloutStatusCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...COMMON,
      timeout: { type: 'string', default: '0s' },
      watch: { type: 'string', short: 'w', default: 'true' },
    },
  });
  const name = oneName(positionals, 'rollout status');
  const timeoutMs = parseDurationFlag(values.timeout, '--timeout');
  const watch = values.watch !== 'false';
  const s = await session(values);
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let last = '';
  try {
    for (;;) {
      const status = rolloutStatus(await getLws(s, name));
      if (status.message !== last) print(status.message + '\n');
      last = status.message;
      if (status.done) return 0;
      if (!watch) return 0;
      if (Date.now() >= deadline) throw new CommandError('timed out waiting for the condition');
      await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
    }
  } finally {
    s.close();
  }
}

async function rolloutHistoryCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON, revision: { type: 'string' } },
  });
  checkOutput(values.output, ['json', 'yaml']);
  const name = oneName(positionals, 'rollout history');
  const s = await session(values);
  try {
    const lws = await getLws(s, name);
    const revisions = await revisionsOf(s, s.namespace, name, lws);
    let entries = history(lws, revisions, await podsOf(s, s.namespace, name), new Date());
    if (values.revision !== undefined) {
      const n = Number(values.revision);
      entries = entries.filter((e) => e.revision === n);
      if (entries.length === 0) throw new CommandError(`unable to find the specified revision ${values.revision}`);
      if (!values.output) {
        const r = revisions.find((x) => x.revision === n)!;
        print(`leaderworkerset.leaderworkerset.x-k8s.io/${name} with revision #${n}\n`);
        print(stringify(r.data, { version: '1.1' }));
        return 0;
      }
    }
    if (values.output) printData(entries, values.output);
    else print(formatHistory(name, entries));
    return 0;
  } finally {
    s.close();
  }
}

async function rolloutUndoCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON, 'to-revision': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  });
  const name = oneName(positionals, 'rollout undo');
  const to = values['to-revision'] === undefined ? undefined : Number(values['to-revision']);
  if (to !== undefined && !Number.isInteger(to))
    throw new UsageError(`--to-revision: must be an integer, got "${values['to-revision']}"`);
  const s = await session(values);
  try {
    const lws = await getLws(s, name);
    const revisions = await revisionsOf(s, s.namespace, name, lws);
    const target = undoTarget(history(lws, revisions, [], new Date()), to);
    if ('error' in target) throw new CommandError(target.error);
    const revision = revisions.find((r) => r.revision === target.revision)!;
    // The recorded template and network config replace today's; the update carries the resourceVersion
    // read above, so a concurrent change makes it fail instead of being overwritten.
    const restored = applyRevision(lws, revision);
    if (values['dry-run']) {
      print(`leaderworkerset.leaderworkerset.x-k8s.io/${name} rolled back to revision ${target.revision} (dry run)\n`);
      return 0;
    }
    await s.client.update(LEADERWORKERSETS, restored);
    print(`leaderworkerset.leaderworkerset.x-k8s.io/${name} rolled back to revision ${target.revision}\n`);
    return 0;
  } finally {
    s.close();
  }
}

async function restartCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON, group: { type: 'string' }, yes: { type: 'boolean', short: 'y' } },
  });
  const name = oneName(positionals, 'restart');
  if (values.group === undefined) throw new UsageError('restart: --group N is required (the group index)');
  const group = Number(values.group);
  if (!Number.isInteger(group) || group < 0)
    throw new UsageError(`--group: must be a non-negative integer, got "${values.group}"`);
  const s = await session(values);
  try {
    await getLws(s, name);
    const pods = await podsOf(s, s.namespace, name);
    const leader = pods.find(
      (p) =>
        p.metadata.labels?.[GROUP_INDEX_LABEL] === String(group) &&
        (p.metadata.labels?.[WORKER_INDEX_LABEL] ?? '0') === '0',
    );
    if (!leader) throw new CommandError(`leaderworkerset "${name}" has no leader pod for group ${group}`);
    if (leader.metadata.deletionTimestamp) {
      print(`group ${group} of leaderworkerset "${name}" is already being recreated\n`);
      return 0;
    }
    const members = pods.filter((p) => p.metadata.labels?.[GROUP_INDEX_LABEL] === String(group)).length;
    if (!values.yes) {
      if (!process.stdin.isTTY)
        throw new CommandError(
          'refusing to restart without confirmation: standard input is not a terminal (use --yes)',
        );
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(
        `Recreate group ${group} of leaderworkerset "${name}" (${members} pods; the leader ${leader.metadata.name} is deleted and the group is recreated)? [y/N] `,
      );
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        process.stderr.write('restart cancelled\n');
        return 1;
      }
    }
    // The controller's own recreation: delete the leader in the foreground with a UID precondition, so its
    // worker StatefulSet goes with it and a leader recreated meanwhile is not touched.
    await s.client.delete(
      PODS,
      { namespace: s.namespace, name: leader.metadata.name! },
      { propagationPolicy: 'Foreground', preconditions: { uid: leader.metadata.uid! } },
    );
    print(
      `group ${group} of leaderworkerset "${name}" restarting: pod/${leader.metadata.name} deleted (revision ${leader.metadata.labels?.[REVISION_KEY_LABEL] ?? '?'})\n`,
    );
    return 0;
  } finally {
    s.close();
  }
}

async function readInput(file: string): Promise<LeaderWorkerSet[]> {
  const text =
    file === '-'
      ? await readStdin()
      : await readFile(file, 'utf8').catch(() => {
          throw new CommandError(`the path "${file}" does not exist`);
        });
  const out: LeaderWorkerSet[] = [];
  for (const doc of parseAllDocuments(text) as ReturnType<typeof parseAllDocuments> & unknown[]) {
    if (doc.errors.length > 0) throw new CommandError(`${file}: invalid YAML: ${doc.errors[0]!.message}`);
    const object = doc.toJS() as LeaderWorkerSet | null;
    if (!object) continue;
    if (object.kind !== 'LeaderWorkerSet')
      throw new CommandError(`${file}: only LeaderWorkerSets are supported, got kind ${object.kind ?? '<none>'}`);
    out.push(object);
  }
  if (out.length === 0) throw new CommandError(`${file}: no LeaderWorkerSet found`);
  return out;
}

function renderOrFail(file: string, lws: LeaderWorkerSet, exitCode: number) {
  try {
    return render(lws);
  } catch (e) {
    if (e instanceof RenderError) throw new CommandError(`${file}: ${e.message}`, exitCode);
    throw e;
  }
}

async function renderCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...COMMON, filename: { type: 'string', short: 'f' } } });
  checkOutput(values.output, ['yaml', 'json']);
  if (!values.filename) throw new UsageError('render: -f FILE is required (- for standard input)');
  const objects = [];
  for (const lws of await readInput(values.filename)) {
    if (values.namespace) lws.metadata.namespace = values.namespace;
    objects.push(...renderOrFail(values.filename, lws, 1).objects);
  }
  if (values.output === 'json')
    print(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 4) + '\n');
  else print(objects.map((o) => stringify(o, { version: '1.1' })).join('---\n'));
  return 0;
}

async function diffCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...COMMON, filename: { type: 'string', short: 'f' } } });
  checkOutput(values.output, ['json', 'yaml']);
  if (!values.filename) throw new UsageError('diff: -f FILE is required (- for standard input)');
  const s = await session(values);
  let differs = false;
  const plans = [];
  try {
    for (const input of await readInput(values.filename)) {
      input.metadata.namespace = values.namespace ?? input.metadata.namespace ?? s.namespace;
      const desired = renderOrFail(values.filename, input, 2).leaderWorkerSet;
      const ns = desired.metadata.namespace!;
      const name = desired.metadata.name ?? '';
      let live: LeaderWorkerSet | undefined;
      try {
        live = await s.client.get<LeaderWorkerSet>(LEADERWORKERSETS, { namespace: ns, name });
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
      const revisions = live ? await revisionsOf(s, ns, name, live) : [];
      const groupRevisions = new Map<number, string>();
      if (live)
        for (const p of (
          await s.client.listAll<Pod>(PODS, { namespace: ns, labelSelector: `${SET_NAME_LABEL}=${name}` })
        ).items)
          if ((p.metadata.labels?.[WORKER_INDEX_LABEL] ?? '0') === '0' && !p.metadata.deletionTimestamp)
            groupRevisions.set(
              Number(p.metadata.labels?.[GROUP_INDEX_LABEL]),
              p.metadata.labels?.[REVISION_KEY_LABEL] ?? '',
            );
      // The live object's uid/defaults do not count as differences: compare with the desired namespace/uid.
      if (live) desired.metadata.uid = live.metadata.uid;
      const plan = applyPlan(live, desired, revisions, groupRevisions);
      plans.push(plan);
      if (!plan.exists || plan.specChanges.length > 0 || plan.metadataChanges.length > 0) differs = true;
    }
  } finally {
    s.close();
  }
  if (values.output) printData(plans.length === 1 ? plans[0] : { items: plans }, values.output);
  else print(plans.map(formatPlan).join('\n'));
  return differs ? 1 : 0;
}

async function completionCommand(argv: string[]): Promise<number> {
  const shell = argv[0];
  if (shell !== 'bash' && shell !== 'zsh') throw new UsageError('completion: expected bash or zsh');
  print(completionScript(shell));
  return 0;
}

/** Cobra's hidden `__complete`: candidates one per line, then ":<directive>" (kubectl calls it for plugins). */
async function completeCommand(argv: string[]): Promise<number> {
  const lookup = async (flags: Common): Promise<string[]> => {
    try {
      const s = await session(flags);
      try {
        const list = await s.client.list<LeaderWorkerSet>(LEADERWORKERSETS, { namespace: s.namespace, limit: 500 });
        return list.items.map((l) => l.metadata.name ?? '');
      } finally {
        s.close();
      }
    } catch {
      return [];
    }
  };
  const { candidates, directive } = await completions(argv, lookup);
  print(candidates.map((c) => c + '\n').join('') + `:${directive}\n`);
  return 0;
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  get: getCommand,
  ds: dsCommand,
  rollout: rolloutCommand,
  restart: restartCommand,
  render: renderCommand,
  diff: diffCommand,
  completion: completionCommand,
  __complete: completeCommand,
  __completeNoDesc: completeCommand,
};

/** Flags before the command (`kubectl lws -n team get`) move behind it, as kubectl's persistent flags. */
export function commandFirst(argv: readonly string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-h' && argv[i] !== '--help') {
    const flag = argv[i]!;
    leading.push(flag);
    i++;
    if (['-n', '--namespace', '--context', '--kubeconfig', '-o', '--output'].includes(flag) && i < argv.length)
      leading.push(argv[i++]!);
  }
  return i < argv.length ? [argv[i]!, ...argv.slice(i + 1), ...leading] : [...leading];
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = commandFirst(argv);
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    print(USAGE);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}" for "kubectl lws"`);
  if (rest.includes('-h') || rest.includes('--help')) {
    print(USAGE);
    return 0;
  }
  try {
    return await run(rest);
  } catch (e) {
    // diff reports its errors with exit code 2 (1 means "differences found").
    if (command === 'diff' && !(e instanceof CommandError)) throw new CommandError(messageOf(e), 2);
    throw e;
  }
}

/** kubectl's wording for API errors: `Error from server (NotFound): …`. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return `Error from server (${e.reason}): ${e.message}`;
  return (e as Error).message ?? String(e);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    if (e instanceof CommandError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = e.exitCode;
    } else if (e instanceof ApiError) {
      process.stderr.write(`${messageOf(e)}\n`);
      process.exitCode = argv[0] === 'diff' ? 2 : 1;
    } else if (e instanceof UsageError || String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${(e as Error).message}\nSee 'kubectl lws --help' for usage.\n`);
      process.exitCode = argv[0] === 'diff' ? 2 : 1;
    } else {
      process.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`);
      process.exitCode = argv[0] === 'diff' ? 2 : 1;
    }
  }
}
