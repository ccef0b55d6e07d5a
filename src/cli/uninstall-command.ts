/**
 * @module cli/uninstall-command
 * `lwsctl uninstall [--kubeconfig PATH] [--namespace NS] [--delete-crds --yes] [--delete-namespace]`.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { DEFAULT_OPERATOR_NAMESPACE } from '../operator/api/types.ts';
import { uninstall, UninstallRefused } from '../operator/controllers/uninstall.ts';
import { createLogger } from '../k8s/runtime/log.ts';
import { parseDurationFlag as parseDuration } from '../k8s/go/duration.ts';
import { clientFor } from '../k8s/client/kubeconfig.ts';
import { UsageError } from '../k8s/go/errors.ts';

const USAGE = `usage: lwsctl uninstall [flags]

Removes the Leader Worker Set Operator: the instance LeaderWorkerSetOperator/cluster and its operand, then the
operator's Deployment, ServiceAccount and RBAC. LeaderWorkerSets, DisaggregatedSets and their CRDs are kept unless
--delete-crds.

flags:
  --kubeconfig PATH     cluster credentials
  --namespace NS        the operator's namespace (default ${DEFAULT_OPERATOR_NAMESPACE})
  --delete-crds         also delete the LeaderWorkerSet, DisaggregatedSet(RoleScaler) and LeaderWorkerSetOperator
                        CRDs — this deletes EVERY LeaderWorkerSet and DisaggregatedSet in the cluster; needs --yes
  --yes                 confirm --delete-crds
  --delete-namespace    also delete the operator's namespace
  --timeout DURATION    how long to wait for the instance to go away (default 2m)
`;

export async function uninstallCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string', default: DEFAULT_OPERATOR_NAMESPACE },
      'delete-crds': { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      'delete-namespace': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '2m' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
  if (values.yes && !values['delete-crds']) throw new UsageError('--yes only confirms --delete-crds');
  const client = await clientFor(values.kubeconfig);
  const log = createLogger({ level: 'warn', destination: pino.destination({ fd: 2, sync: true }) });
  try {
    const report = await uninstall(
      client,
      {
        namespace: values.namespace,
        deleteCRDs: values['delete-crds'],
        confirmed: values.yes,
        deleteNamespace: values['delete-namespace'],
        timeoutMs: parseDuration(values.timeout, '--timeout'),
      },
      log,
    );
    for (const r of report.removed) process.stdout.write(`deleted ${r}\n`);
    for (const k of report.kept) process.stdout.write(`kept    ${k}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UninstallRefused) {
      process.stderr.write(`lwsctl uninstall: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    client.close();
  }
}
