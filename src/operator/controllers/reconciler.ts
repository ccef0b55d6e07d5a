/**
 * @module operator/reconciler
 * The operator's one reconcile: read the instance and the cluster's facts, ask `planOperand` what to do, let
 * `OperandApplier` / `removeOperand` do it, and write the status `computeStatus` derives. Every decision is
 * made by the pure modules; this file only connects them to the caches and the API.
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../../k8s/client/client.ts';
import { ignoreNotFound, isNotFound } from '../../k8s/client/errors.ts';
import type { KubeObject } from '../../k8s/client/objects.ts';
import {
  CERT_MANAGER_CERTIFICATES,
  CERT_MANAGER_ISSUERS,
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  CONFIGMAPS,
  CRDS,
  DEPLOYMENTS,
  MUTATING_WEBHOOK_CONFIGURATIONS,
  ROLE_BINDINGS,
  ROLES,
  SECRETS,
  SERVICE_ACCOUNTS,
  SERVICES,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
  type ResourceRef,
} from '../../k8s/client/resources.ts';
import { LEADERWORKERSET_OPERATORS } from '../api/resources.ts';
import type { ReconcileResult } from '../../k8s/runtime/controller.ts';
import type { EventRecorder } from '../../k8s/runtime/events.ts';
import type { Informer } from '../../k8s/runtime/informer.ts';
import type { InformerFactory } from '../../k8s/runtime/informer-factory.ts';
import {
  OPERAND_NAMES,
  OPERATOR_INSTANCE_NAME,
  type LeaderWorkerSetOperator,
  type LeaderWorkerSetOperatorStatus,
  type LogLevel,
} from '../api/types.ts';
import { setOperatorFinalizer } from './finalizer.ts';
import { OperandApplier, removeOperand, type LiveLookup, type SyncContext } from './operand-sync.ts';
import type { OperandObject } from '../core/operand.ts';
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  planOperand,
  type CertificatePolicy,
  type OperatorFacts,
} from '../core/plan.ts';
import { computeStatus, statusChanged, type DeploymentState, type SyncOutcome } from '../core/status.ts';

export type OperatorResource = LeaderWorkerSetOperator & KubeObject;

/** The watched kinds: every event on them re-runs the reconcile (drift is corrected within one round trip). */
const NAMESPACED_WATCHED: readonly ResourceRef[] = [
  DEPLOYMENTS,
  SERVICES,
  CONFIGMAPS,
  SERVICE_ACCOUNTS,
  ROLES,
  ROLE_BINDINGS,
];
const CLUSTER_WATCHED: readonly ResourceRef[] = [
  CLUSTER_ROLES,
  CLUSTER_ROLE_BINDINGS,
  MUTATING_WEBHOOK_CONFIGURATIONS,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
  CRDS,
];

export interface OperatorCaches {
  instances: Informer<OperatorResource>;
  secrets: Informer<KubeObject>;
  byKind: Map<string, Informer<KubeObject>>;
}

/** Informers on the instance, the operand's kinds (our label only) and the namespace's Secrets. */
export function createOperatorCaches(factory: InformerFactory, namespace: string): OperatorCaches {
  const labelSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
  const byKind = new Map<string, Informer<KubeObject>>();
  for (const ref of NAMESPACED_WATCHED) byKind.set(ref.kind, factory.informerFor(ref, { namespace, labelSelector }));
  for (const ref of CLUSTER_WATCHED) byKind.set(ref.kind, factory.informerFor(ref, { labelSelector }));
  return {
    instances: factory.informerFor<OperatorResource>(LEADERWORKERSET_OPERATORS),
    secrets: factory.informerFor(SECRETS, { namespace }),
    byKind,
  };
}

/** Calls `onChange` for every event of every cache; returns the function that removes those handlers. */
export function watchAll(caches: OperatorCaches, onChange: () => void): () => void {
  const handler = { onAdd: onChange, onUpdate: onChange, onDelete: onChange };
  const informers = [caches.instances, caches.secrets, ...caches.byKind.values()] as Informer<KubeObject>[];
  const unsubscribes = informers.map((informer) => informer.addEventHandler(handler));
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

export interface ReconcilerOptions {
  client: KubeClient;
  caches: OperatorCaches;
  log: Logger;
  namespace: string;
  operandImage: string | undefined;
  certificates: CertificatePolicy;
  operandCommand?: readonly string[];
  resyncPeriodMs: number;
  recorder?: EventRecorder;
  /** Called with the instance's operatorLogLevel on every reconcile. */
  onOperatorLogLevel?: (level: LogLevel) => void;
  now?: () => Date;
}

const DISCOVERY_TTL_MS = 10_000;

export class OperatorReconciler {
  readonly #o: ReconcilerOptions;
  readonly #applier = new OperandApplier();
  #discovery: { at: number; certManager: boolean; serviceMonitor: boolean } | undefined;

  constructor(options: ReconcilerOptions) {
    this.#o = options;
  }

  /** Reconciles the singleton (the work queue's only key). */
  async reconcile(signal: AbortSignal): Promise<ReconcileResult> {
    const { caches, log } = this.#o;
    const cr = caches.instances.get(undefined, OPERATOR_INSTANCE_NAME);
    if (!cr) {
      log.debug('no LeaderWorkerSetOperator named cluster: nothing to do');
      return {};
    }
    this.#o.onOperatorLogLevel?.(cr.spec?.operatorLogLevel ?? 'Normal');
    const facts = await this.#facts();
    const plan = planOperand(cr, facts);
    log.debug(
      { action: plan.action, generation: cr.metadata.generation, certManager: facts.certManagerInstalled },
      'reconciling LeaderWorkerSetOperator/cluster',
    );
    const client = this.#o.client.withSignal(signal);
    const ctx: SyncContext = {
      client,
      log,
      ...(this.#o.recorder ? { recorder: { recorder: this.#o.recorder, regarding: cr } } : {}),
    };
    const deployment = () =>
      caches.byKind.get('Deployment')?.get(this.#o.namespace, OPERAND_NAMES.deployment) as DeploymentState | undefined;

    switch (plan.action) {
      case 'ignore':
        return {};
      case 'unmanaged':
        // Leave every object as it is; only say which generation was seen.
        if (cr.status?.observedGeneration !== cr.metadata.generation) {
          await this.#writeStatus(client, cr, { ...cr.status, observedGeneration: cr.metadata.generation });
        }
        return { requeueAfter: this.#o.resyncPeriodMs };
      case 'remove': {
        const deleted = await removeOperand(ctx, this.#o.namespace);
        this.#applier.reset();
        if (deleted.length > 0) log.info({ deleted: deleted.length, why: plan.why }, 'operand removed');
        if (plan.why === 'Deleted') {
          await this.#setFinalizer(client, cr, false);
          return {};
        }
        await this.#status(client, cr, { kind: 'removed' }, undefined);
        return { requeueAfter: this.#o.resyncPeriodMs };
      }
      case 'degraded':
        await this.#status(client, cr, { kind: 'degraded', reason: plan.reason, message: plan.message }, deployment());
        return { requeueAfter: this.#o.resyncPeriodMs };
      case 'apply': {
        if (!(await this.#setFinalizer(client, cr, true))) return {}; // the update event brings us back
        let outcome: SyncOutcome;
        try {
          const result = await this.#applier.apply(ctx, plan.objects, this.#live(), this.#gate(plan.waitForSecrets));
          if (plan.mode === 'internal' && facts.certManagerInstalled) await this.#pruneCertManager(ctx);
          outcome = {
            kind: 'applied',
            mode: plan.mode,
            ...(result.waitingForSecret ? { waitingForSecret: result.waitingForSecret } : {}),
          };
        } catch (e) {
          if (signal.aborted) throw e;
          await this.#status(
            client,
            cr,
            { kind: 'failed', message: (e as Error).message, mode: plan.mode },
            deployment(),
          );
          throw e; // retried with backoff
        }
        await this.#status(client, cr, outcome, deployment());
        return { requeueAfter: this.#o.resyncPeriodMs };
      }
    }
  }

  async #facts(): Promise<OperatorFacts> {
    const now = Date.now();
    if (!this.#discovery || now - this.#discovery.at > DISCOVERY_TTL_MS) {
      const [certManager, serviceMonitor] = await Promise.all([
        this.#serves('cert-manager.io/v1', ['issuers', 'certificates']),
        this.#serves('monitoring.coreos.com/v1', ['servicemonitors', 'prometheusrules']),
      ]);
      this.#discovery = { at: now, certManager, serviceMonitor };
    }
    return {
      namespace: this.#o.namespace,
      operandImage: this.#o.operandImage,
      certificates: this.#o.certificates,
      certManagerInstalled: this.#discovery.certManager,
      serviceMonitorInstalled: this.#discovery.serviceMonitor,
      ...(this.#o.operandCommand ? { operandCommand: this.#o.operandCommand } : {}),
    };
  }

  /** Discovery: does the API server serve every one of `resources` in `groupVersion`? */
  async #serves(groupVersion: string, resources: string[]): Promise<boolean> {
    try {
      const list = await this.#o.client.request<{ resources?: Array<{ name: string }> }>(
        'GET',
        `/apis/${groupVersion}`,
      );
      const served = new Set((list?.resources ?? []).map((r) => r.name));
      return resources.every((r) => served.has(r));
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  #live(): LiveLookup {
    const { byKind } = this.#o.caches;
    return (object: OperandObject) => {
      const informer = byKind.get(object.kind);
      if (!informer) return null;
      return informer.get(object.metadata.namespace, object.metadata.name);
    };
  }

  #gate(secretNames: string[] | undefined) {
    if (!secretNames?.length) return undefined;
    const issued = (name: string) => {
      const secret = this.#o.caches.secrets.get(this.#o.namespace, name) as
        (KubeObject & { data?: Record<string, string> }) | undefined;
      return Boolean(secret?.data?.['tls.crt'] && secret.data['tls.key']);
    };
    return {
      // cert-manager must have issued the certificates before admission points at the operand
      beforeKinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'Deployment'],
      missing: () => secretNames.filter((n) => !issued(n)),
    };
  }

  /** After a switch to internal certificates: our Issuer and Certificate are no longer wanted. */
  async #pruneCertManager(ctx: SyncContext): Promise<void> {
    for (const ref of [CERT_MANAGER_CERTIFICATES, CERT_MANAGER_ISSUERS]) {
      const list = await ctx.client.list<KubeObject>(ref, {
        namespace: this.#o.namespace,
        labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
      });
      for (const item of list.items) {
        await ctx.client
          .delete(
            ref,
            { namespace: this.#o.namespace, name: item.metadata.name! },
            {
              preconditions: { uid: item.metadata.uid },
            },
          )
          .catch(ignoreNotFound);
        ctx.log.info({ object: `${ref.kind}/${this.#o.namespace}/${item.metadata.name}` }, 'pruned');
      }
    }
  }

  /** Adds or removes our finalizer; false when the instance changed underneath (a new event follows). */
  async #setFinalizer(client: KubeClient, cr: OperatorResource, present: boolean): Promise<boolean> {
    try {
      await setOperatorFinalizer(client, cr, present);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async #status(
    client: KubeClient,
    cr: OperatorResource,
    outcome: SyncOutcome,
    deployment: DeploymentState | undefined,
  ): Promise<void> {
    const now = (this.#o.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
    const next = computeStatus(cr, outcome, deployment, now);
    if (statusChanged(cr, next)) await this.#writeStatus(client, cr, next);
  }

  async #writeStatus(client: KubeClient, cr: OperatorResource, status: LeaderWorkerSetOperatorStatus) {
    await client
      .patch(
        LEADERWORKERSET_OPERATORS,
        { name: cr.metadata.name },
        { status },
        { type: 'merge', subresource: 'status' },
      )
      .catch(ignoreNotFound);
  }
}
