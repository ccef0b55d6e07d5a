/**
 * @module disaggregatedset/controllers/ds-reconciler
 * The DisaggregatedSet reconciler shell (upstream's DisaggregatedSetReconciler): builds the World from the caches,
 * runs the pure pass (core/reconcile.ts) and performs its writes and events in order. The first failed write
 * ends the pass with an error (rate-limited requeue), like upstream's `return err`; errors the pass itself
 * collected (per slice, scaler status) also requeue with backoff; otherwise the pass's RequeueAfter is honoured.
 *
 * Post-v0.10.0 fixes from upstream main are on (docs/disaggregatedset.md): ownership checks before mutating a
 * child LeaderWorkerSet (#983, with #933's owner-filtered lists) and the DisaggregatedSet status (#933, #980).
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../../k8s/client/client.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../k8s/client/errors.ts';
import type { KubeObject } from '../../k8s/client/objects.ts';
import { SERVICES } from '../../k8s/client/resources.ts';
import type { ReconcileResult } from '../../k8s/runtime/controller.ts';
import type { EventRecorder } from '../../k8s/runtime/events.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';
import { DISAGGREGATEDSETS, ROLE_SCALERS } from '../api/resources.ts';
import type { LeaderWorkerSetLike } from '../api/types.ts';
import { reconcile, type Action, type World } from '../core/reconcile.ts';
import { goRoleTemplatesEncoder } from '../core/revision.ts';
import { isControlledBy } from '../core/utils.ts';
import { BY_DS, dsIndexValue, type DsCaches, type DsObject } from './caches.ts';

export interface DisaggregatedSetReconcilerOptions {
  client: KubeClient;
  caches: DsCaches;
  recorder: EventRecorder;
  logger: Logger;
  /** Upstream-main fixes (default: both on). */
  fixes?: { ownership?: boolean; status?: boolean };
}

/** A write the apiserver refused; ends the pass like upstream's returned error. */
export class WriteError extends Error {}

export class DisaggregatedSetReconciler {
  readonly #client: KubeClient;
  readonly #caches: DsCaches;
  readonly #recorder: EventRecorder;
  readonly #log: Logger;
  readonly #fixes: { ownership: boolean; status: boolean };

  constructor(options: DisaggregatedSetReconcilerOptions) {
    this.#client = options.client;
    this.#caches = options.caches;
    this.#recorder = options.recorder;
    this.#log = options.logger.child({ controller: 'disaggregatedset' });
    this.#fixes = { ownership: options.fixes?.ownership ?? true, status: options.fixes?.status ?? true };
  }

  /** The observed objects of one set: its labelled children, plus anything at one of its generated names. */
  world(ds: DsObject): World {
    const namespace = ds.metadata.namespace ?? '';
    const name = ds.metadata.name ?? '';
    const value = dsIndexValue(namespace, name);
    const prefix = `${name}-`;
    const ofSet = <T extends KubeObject>(labelled: T[], all: () => T[]): T[] => {
      const seen = new Set(labelled.map((o) => o.metadata.name));
      return [...labelled, ...all().filter((o) => !seen.has(o.metadata.name) && o.metadata.name?.startsWith(prefix))];
    };
    return {
      ds: structuredClone(ds),
      leaderWorkerSets: ofSet(this.#caches.leaderWorkerSets.byIndex(BY_DS, value), () =>
        this.#caches.leaderWorkerSets.list(namespace),
      ),
      services: ofSet(this.#caches.services.byIndex(BY_DS, value), () => []) as unknown as World['services'],
      scalers: ofSet(this.#caches.scalers.byIndex(BY_DS, value), () => this.#caches.scalers.list(namespace)),
    };
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.split('/') as [string, string];
    const ds = this.#caches.sets.get(namespace, name);
    if (!ds) return;
    const log = this.#log.child({ disaggregatedset: key });
    const pass = reconcile(this.world(ds), {
      encodeRoleTemplates: goRoleTemplatesEncoder,
      fixes: this.#fixes,
    });
    let requeue = false;
    for (const action of pass.actions) {
      requeue = (await this.#perform(ds, action, log)) || requeue;
    }
    if (pass.errors.length > 0) {
      log.error({ errors: pass.errors }, 'Reconcile failed');
      return { requeue: true };
    }
    if (requeue) return { requeue: true };
    if (pass.requeueAfterMs > 0) return { requeueAfter: pass.requeueAfterMs };
  }

  /** Performs one action; returns true when the pass should be retried (a stale cache was detected). */
  async #perform(ds: DsObject, action: Action, log: Logger): Promise<boolean> {
    const namespace = ds.metadata.namespace ?? '';
    const dsName = ds.metadata.name ?? '';
    const fail = (what: string, err: unknown): never => {
      throw new WriteError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    };
    switch (action.kind) {
      case 'Event':
        this.#recorder.event(ds, undefined, action.type, action.reason, action.action, action.note);
        return false;
      case 'CreateLWS': {
        const lwsName = action.object.metadata.name ?? '';
        try {
          await this.#client.create(LEADERWORKERSETS, action.object as LeaderWorkerSetLike & KubeObject);
          log.info({ leaderworkerset: lwsName }, 'Created LeaderWorkerSet');
          return false;
        } catch (err) {
          if (!isAlreadyExists(err)) return fail(`failed to create LeaderWorkerSet ${lwsName}`, err);
          if (!this.#fixes.ownership) return true;
          // #983: never adopt a LeaderWorkerSet someone else controls.
          const existing = await this.#client
            .get<LeaderWorkerSetLike>(LEADERWORKERSETS, { namespace, name: lwsName })
            .catch((e: unknown) => fail(`failed to get LeaderWorkerSet ${lwsName}`, e));
          if (!isControlledBy(existing, ds.metadata.uid)) {
            return fail(
              `LeaderWorkerSet ${lwsName}`,
              new Error(`exists but is not controlled by DisaggregatedSet ${dsName}; refusing to adopt it`),
            );
          }
          return true;
        }
      }
      case 'ScaleLWS':
        try {
          await this.#client.patch(
            LEADERWORKERSETS,
            { namespace, name: action.name },
            { spec: { replicas: action.replicas } },
            { type: 'merge' },
          );
          log.info({ leaderworkerset: action.name, replicas: action.replicas }, 'Scaled LeaderWorkerSet');
          return false;
        } catch (err) {
          return fail(`failed to scale ${action.name}`, err);
        }
      case 'AnnotateLWS':
        try {
          await this.#client.patch(
            LEADERWORKERSETS,
            { namespace, name: action.name },
            { metadata: { annotations: { [action.key]: action.value } } },
            { type: 'merge' },
          );
        } catch (err) {
          // Upstream only logs a failed initial-replicas snapshot.
          log.error({ err, leaderworkerset: action.name }, 'Failed to set the initial-replicas annotation');
        }
        return false;
      case 'DeleteLWS':
        try {
          await this.#client.delete(LEADERWORKERSETS, { namespace, name: action.name });
          log.info({ leaderworkerset: action.name }, 'Deleted LeaderWorkerSet');
        } catch (err) {
          if (!isNotFound(err)) fail(`failed to delete LeaderWorkerSet ${action.name}`, err);
        }
        return false;
      case 'CreateService':
        try {
          await this.#client.create(SERVICES, action.object as KubeObject);
        } catch (err) {
          if (!isAlreadyExists(err)) fail(`failed to create service ${action.object.metadata.name}`, err);
        }
        return false;
      case 'DeleteService':
        try {
          await this.#client.delete(SERVICES, { namespace, name: action.name });
        } catch (err) {
          if (!isNotFound(err)) fail(`failed to delete service ${action.name}`, err);
        }
        return false;
      case 'CreateScaler':
        try {
          await this.#client.create(ROLE_SCALERS, action.object as KubeObject);
          return false;
        } catch (err) {
          if (!isAlreadyExists(err)) fail(`create scaler ${action.object.metadata.name}`, err);
          return true; // the cache will show who owns it; the next pass adopts or reports the conflict
        }
      case 'DeleteScaler':
        try {
          await this.#client.delete(ROLE_SCALERS, { namespace, name: action.name });
        } catch (err) {
          if (!isNotFound(err)) fail(`delete scaler ${action.name}`, err);
        }
        return false;
      case 'PatchScalerStatus':
        try {
          await this.#client.patch(
            ROLE_SCALERS,
            { namespace, name: action.name },
            { status: action.status },
            { type: 'merge', subresource: 'status' },
          );
        } catch (err) {
          if (!isNotFound(err)) fail(`failed to update scaler ${action.name} status`, err);
        }
        return false;
      case 'UpdateStatus':
        try {
          await this.#client.updateStatus(DISAGGREGATEDSETS, { ...ds, status: action.status } as KubeObject);
          return false;
        } catch (err) {
          if (isConflict(err) || isNotFound(err)) return true;
          return fail('failed to update status', err);
        }
    }
  }
}
