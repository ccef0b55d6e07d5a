/**
 * @module operator/uninstall
 * `lwsctl uninstall`, the seed's uninstall section as one command, in its order and without its trap:
 *
 * 1. delete the instance `LeaderWorkerSetOperator/cluster`: the operand is removed (by the running operator
 *    through its finalizer, and here as well, so it works when no operator runs), the LWS CRD and every
 *    LeaderWorkerSet stay;
 * 2. remove the operator itself (its Deployment, ServiceAccount and RBAC);
 * 3. only with `deleteCRDs` AND `confirmed`: delete the CRDs — which deletes every LeaderWorkerSet and every
 *    DisaggregatedSet (the DisaggregatedSet CRDs are kept otherwise, like the LWS CRD);
 * 4. with `deleteNamespace`: delete the operator's namespace (leftover Leases, events).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { CRD_NAME } from '../../lws/api/crd.ts';
import { DS_CRD_NAME, ROLE_SCALER_CRD_NAME } from '../../disaggregatedset/api/crd.ts';
import { DISAGGREGATEDSETS } from '../../disaggregatedset/api/resources.ts';
import type { KubeClient } from '../../k8s/client/client.ts';
import { ignoreNotFound, isNotFound, orUndefinedIfNotFound } from '../../k8s/client/errors.ts';
import type { KubeObject } from '../../k8s/client/objects.ts';
import {
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  CRDS,
  DEPLOYMENTS,
  NAMESPACES,
  ROLE_BINDINGS,
  ROLES,
  SERVICE_ACCOUNTS,
  type ResourceRef,
} from '../../k8s/client/resources.ts';
import { LEADERWORKERSET_OPERATORS } from '../api/resources.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';
import { OPERATOR_CRD_NAME, OPERATOR_INSTANCE_NAME, OPERATOR_NAME } from '../api/types.ts';
import { setOperatorFinalizer } from './finalizer.ts';
import { removeOperand } from './operand-sync.ts';
import { OPERATOR_FINALIZER } from '../core/plan.ts';

export interface UninstallOptions {
  namespace: string;
  deleteCRDs: boolean;
  /** Required with deleteCRDs: deleting the LWS CRD deletes every LeaderWorkerSet. */
  confirmed: boolean;
  deleteNamespace: boolean;
  timeoutMs?: number;
}

export class UninstallRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UninstallRefused';
  }
}

export interface UninstallReport {
  removed: string[];
  kept: string[];
}

/** How many LeaderWorkerSets in how many namespaces (0 when the CRD is gone). */
export async function countLeaderWorkerSets(client: KubeClient): Promise<{ count: number; namespaces: number }> {
  return countObjects(client, LEADERWORKERSETS);
}

async function countObjects(client: KubeClient, ref: ResourceRef): Promise<{ count: number; namespaces: number }> {
  try {
    const list = await client.listAll<KubeObject>(ref);
    return { count: list.items.length, namespaces: new Set(list.items.map((i) => i.metadata.namespace)).size };
  } catch (e) {
    if (isNotFound(e)) return { count: 0, namespaces: 0 };
    throw e;
  }
}

export async function uninstall(client: KubeClient, options: UninstallOptions, log: Logger): Promise<UninstallReport> {
  const report: UninstallReport = { removed: [], kept: [] };
  if (options.deleteCRDs && !options.confirmed) {
    const { count, namespaces } = await countLeaderWorkerSets(client);
    const ds = await countObjects(client, DISAGGREGATEDSETS);
    throw new UninstallRefused(
      `refusing to delete the CRDs without --yes: deleting ${CRD_NAME} deletes every LeaderWorkerSet ` +
        `(${count} in ${namespaces} namespace${namespaces === 1 ? '' : 's'} now) with their StatefulSets and pods` +
        `, and deleting ${DS_CRD_NAME} every DisaggregatedSet (${ds.count} now)`,
    );
  }
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);

  // 1. The instance: mark it deleted first so a running operator stops applying, then clean up ourselves.
  const instance = await getOrUndefined(client, LEADERWORKERSET_OPERATORS, OPERATOR_INSTANCE_NAME);
  if (instance) {
    await client.delete(LEADERWORKERSET_OPERATORS, { name: OPERATOR_INSTANCE_NAME }).catch(ignoreNotFound);
    report.removed.push(`LeaderWorkerSetOperator/${OPERATOR_INSTANCE_NAME}`);
  }
  report.removed.push(...(await removeOperand({ client, log }, options.namespace)));
  if (instance) await dropFinalizer(client, deadline);

  // 2. The operator's own footprint (the install manifests' names).
  const own: Array<[ResourceRef, string | undefined]> = [
    [DEPLOYMENTS, options.namespace],
    [ROLE_BINDINGS, options.namespace],
    [ROLES, options.namespace],
    [SERVICE_ACCOUNTS, options.namespace],
    [CLUSTER_ROLE_BINDINGS, undefined],
    [CLUSTER_ROLES, undefined],
  ];
  for (const [ref, namespace] of own) {
    if (await deleteIfPresent(client, ref, OPERATOR_NAME, namespace)) {
      report.removed.push(`${ref.kind}/${namespace ? namespace + '/' : ''}${OPERATOR_NAME}`);
    }
  }

  // 3. CRDs, only when asked and confirmed.
  const { count } = await countLeaderWorkerSets(client);
  const dsCount = (await countObjects(client, DISAGGREGATEDSETS)).count;
  if (options.deleteCRDs) {
    for (const name of [DS_CRD_NAME, ROLE_SCALER_CRD_NAME, CRD_NAME, OPERATOR_CRD_NAME]) {
      if (await deleteIfPresent(client, CRDS, name)) report.removed.push(`CustomResourceDefinition/${name}`);
    }
  } else {
    report.kept.push(`CustomResourceDefinition/${CRD_NAME} (${count} LeaderWorkerSets kept)`);
    report.kept.push(`CustomResourceDefinition/${DS_CRD_NAME} (${dsCount} DisaggregatedSets kept)`);
    report.kept.push(`CustomResourceDefinition/${ROLE_SCALER_CRD_NAME}`);
    report.kept.push(`CustomResourceDefinition/${OPERATOR_CRD_NAME}`);
  }

  // 4. The namespace.
  if (options.deleteNamespace) {
    if (await deleteIfPresent(client, NAMESPACES, options.namespace))
      report.removed.push(`Namespace/${options.namespace}`);
  } else {
    report.kept.push(`Namespace/${options.namespace}`);
  }
  return report;
}

/** Waits for the operator to finish; when none runs, removes our finalizer (the clean-up is already done). */
async function dropFinalizer(client: KubeClient, deadline: number): Promise<void> {
  const graceUntil = Math.min(deadline, Date.now() + 10_000);
  for (;;) {
    const cr = await getOrUndefined(client, LEADERWORKERSET_OPERATORS, OPERATOR_INSTANCE_NAME);
    if (!cr) return;
    const finalizers = cr.metadata.finalizers ?? [];
    if (Date.now() >= graceUntil || !finalizers.includes(OPERATOR_FINALIZER)) {
      await setOperatorFinalizer(client, cr, false).catch(ignoreNotFound);
      if (Date.now() >= deadline) throw new Error('timed out waiting for LeaderWorkerSetOperator/cluster to go away');
    }
    await sleep(250);
  }
}

function getOrUndefined(client: KubeClient, ref: ResourceRef, name: string, namespace?: string) {
  return orUndefinedIfNotFound(client.get<KubeObject>(ref, { name, namespace }));
}

async function deleteIfPresent(client: KubeClient, ref: ResourceRef, name: string, namespace?: string) {
  try {
    await client.delete(ref, { name, namespace }, { propagationPolicy: 'Background' });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}
