/**
 * @module operator/status
 * The instance's status as a pure function of the sync outcome and the operand Deployment:
 *
 * | condition                        | from                                                                   |
 * |----------------------------------|------------------------------------------------------------------------|
 * | `Available`                      | the Deployment exists and all its replicas are available               |
 * | `Degraded`                       | the sync failed or cannot proceed (MissingDependency, SyncError, …)    |
 * | `Progressing`                    | waiting for a certificate, or the Deployment is rolling out            |
 * | `CertificateManagement`          | which mode issues the webhook certificate (CertManager / Internal)     |
 * | `TargetConfigControllerDegraded` | upstream's name for "the last sync failed", kept for existing tooling |
 *
 * `readyReplicas` is the Deployment's availableReplicas (as upstream), `generations` records the Deployment's
 * generation, `observedGeneration` the instance generation the status describes. A condition's
 * lastTransitionTime only moves when its status changes.
 */
import { isDeepStrictEqual } from 'node:util';
import { CONDITION_REASONS as R, CONDITION_TYPES as T, OPERAND_NAMES } from '../api/types.ts';
import type {
  ConditionStatus,
  GenerationStatus,
  LeaderWorkerSetOperator,
  LeaderWorkerSetOperatorStatus,
  OperatorCondition,
} from '../api/types.ts';
import type { CertificateMode } from './operand.ts';

export interface DeploymentState {
  metadata: { generation?: number; namespace?: string; name?: string };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
  };
}

export type SyncOutcome =
  | { kind: 'applied'; mode: CertificateMode; waitingForSecret?: string }
  | { kind: 'degraded'; reason: string; message: string; mode?: CertificateMode }
  | { kind: 'failed'; message: string; mode?: CertificateMode }
  | { kind: 'removed' };

export const DEPLOYMENT_UNAVAILABLE_MESSAGE = 'Operand Deployment is not available';

/** Available: every desired replica of the operand Deployment is available. */
export function deploymentAvailable(d: DeploymentState | undefined): boolean {
  if (!d) return false;
  const want = d.spec?.replicas ?? 1;
  return want > 0 && (d.status?.availableReplicas ?? 0) >= want;
}

/** A rollout is under way: spec not yet observed, pods not yet updated, or old pods still running. */
export function deploymentRollingOut(d: DeploymentState): string | undefined {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 0))
    return 'the Deployment controller has not seen the change yet';
  if ((s.updatedReplicas ?? 0) < want) return `${s.updatedReplicas ?? 0} of ${want} replicas updated`;
  if ((s.replicas ?? 0) > want) return `${(s.replicas ?? 0) - want} old replicas terminating`;
  if ((s.availableReplicas ?? 0) < want) return `${s.availableReplicas ?? 0} of ${want} replicas available`;
  return undefined;
}

const cond = (type: string, status: ConditionStatus, reason: string, message = ''): OperatorCondition => ({
  type,
  status,
  reason,
  message,
});

function modeCondition(mode: CertificateMode): OperatorCondition {
  return mode === 'cert-manager'
    ? cond(T.certificates, 'True', R.certManager, 'cert-manager issues the webhook serving certificate')
    : cond(T.certificates, 'True', R.internal, 'the controller issues and rotates its own webhook certificate');
}

/** The conditions for one outcome (without timestamps). */
export function conditionsFor(outcome: SyncOutcome, deployment: DeploymentState | undefined): OperatorCondition[] {
  if (outcome.kind === 'removed') {
    return [
      cond(T.available, 'False', R.removed, 'The operand is removed (managementState: Removed)'),
      cond(T.degraded, 'False', R.asExpected),
      cond(T.progressing, 'False', R.removed),
      cond(T.targetConfigControllerDegraded, 'False', R.asExpected),
    ];
  }
  const available = deploymentAvailable(deployment)
    ? cond(T.available, 'True', R.asExpected)
    : cond(T.available, 'False', R.deploymentUnavailable, DEPLOYMENT_UNAVAILABLE_MESSAGE);
  const conditions = [available];
  const mode = outcome.mode;
  switch (outcome.kind) {
    case 'applied': {
      conditions.push(cond(T.degraded, 'False', R.asExpected));
      const rolling = deployment ? deploymentRollingOut(deployment) : 'the operand Deployment does not exist yet';
      if (outcome.waitingForSecret) {
        conditions.push(
          cond(
            T.progressing,
            'True',
            R.waitingForCertificate,
            `waiting for cert-manager to issue Secret ${outcome.waitingForSecret}`,
          ),
        );
      } else if (rolling) {
        conditions.push(cond(T.progressing, 'True', R.deploymentProgressing, `Operand Deployment: ${rolling}`));
      } else {
        conditions.push(cond(T.progressing, 'False', R.asExpected));
      }
      conditions.push(cond(T.targetConfigControllerDegraded, 'False', R.asExpected));
      break;
    }
    case 'degraded':
      conditions.push(cond(T.degraded, 'True', outcome.reason, outcome.message));
      conditions.push(cond(T.progressing, 'False', outcome.reason));
      conditions.push(cond(T.targetConfigControllerDegraded, 'True', outcome.reason, outcome.message));
      break;
    case 'failed':
      conditions.push(cond(T.degraded, 'True', R.syncError, outcome.message));
      conditions.push(cond(T.progressing, 'False', R.syncError));
      conditions.push(cond(T.targetConfigControllerDegraded, 'True', R.syncError, outcome.message));
      break;
  }
  if (mode) conditions.push(modeCondition(mode));
  return conditions;
}

/** Keeps lastTransitionTime of conditions whose status did not change; stamps the others with `now`. */
export function mergeConditions(
  previous: readonly OperatorCondition[] | undefined,
  next: readonly OperatorCondition[],
  now: string,
): OperatorCondition[] {
  const before = new Map((previous ?? []).map((c) => [c.type, c]));
  const merged: OperatorCondition[] = next.map((c) => {
    const old = before.get(c.type);
    const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return { ...c, lastTransitionTime };
  });
  // Conditions we no longer compute (e.g. CertificateManagement after Removed) are dropped, except foreign ones.
  const ours = new Set<string>(Object.values(T));
  for (const old of previous ?? []) {
    if (!ours.has(old.type) && !merged.some((c) => c.type === old.type)) merged.push({ ...old });
  }
  return merged;
}

/** The whole status for an outcome. */
export function computeStatus(
  cr: LeaderWorkerSetOperator,
  outcome: SyncOutcome,
  deployment: DeploymentState | undefined,
  now: string,
): LeaderWorkerSetOperatorStatus {
  const previous = cr.status ?? {};
  const status: LeaderWorkerSetOperatorStatus = {
    ...previous,
    observedGeneration: cr.metadata.generation,
    conditions: mergeConditions(previous.conditions, conditionsFor(outcome, deployment), now),
    readyReplicas: outcome.kind === 'removed' ? 0 : (deployment?.status?.availableReplicas ?? 0),
  };
  const generations = (previous.generations ?? []).filter(
    (g) => !(g.group === 'apps' && g.resource === 'deployments' && g.name === OPERAND_NAMES.deployment),
  );
  if (outcome.kind !== 'removed' && deployment?.metadata.generation !== undefined) {
    const entry: GenerationStatus = {
      group: 'apps',
      resource: 'deployments',
      namespace: deployment.metadata.namespace ?? '',
      name: OPERAND_NAMES.deployment,
      lastGeneration: deployment.metadata.generation,
    };
    generations.push(entry);
  }
  status.generations = generations;
  return status;
}

/** True when writing `next` would change what `cr.status` says. */
export function statusChanged(cr: LeaderWorkerSetOperator, next: LeaderWorkerSetOperatorStatus): boolean {
  return !isDeepStrictEqual(JSON.parse(JSON.stringify(cr.status ?? {})), JSON.parse(JSON.stringify(next)));
}
