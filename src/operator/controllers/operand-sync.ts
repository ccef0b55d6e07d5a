/**
 * @module operator/operand-sync
 * Writes the planned operand objects to the cluster and takes them away again.
 *
 * Apply: server-side apply (field manager `lws-operator`, forced) of every object in plan order. Only the
 * fields we render are ours, so what others write is preserved — notably the webhook `caBundle`s injected by
 * the controller's rotator or cert-manager's cainjector — while every field we own is put back when someone
 * edits or deletes it. An object whose immutable field must change (a Deployment selector, a binding's roleRef)
 * is deleted (UID precondition) and created again. Unchanged objects are skipped without a request when the
 * cached copy still has the resourceVersion our last apply produced (the 1 MB LWS CRD is not re-sent on every
 * resync).
 *
 * Remove: deletes the operand (webhook configurations first, so admission never points at a controller that
 * is gone), but only objects that carry our label or owner reference — never the LWS CRD, never anything of
 * the user's.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { KubeClient } from '../../k8s/client/client.ts';
import { isInvalid, isNotFound, orUndefinedIfNotFound } from '../../k8s/client/errors.ts';
import type { KubeObject } from '../../k8s/client/objects.ts';
import { resourceFor, SECRETS, type ResourceRef } from '../../k8s/client/resources.ts';
import type { EventRecorder } from '../../k8s/runtime/events.ts';
import { OPERAND_NAMES } from '../api/types.ts';
import { compileOperandOptions, objectKey, renderOperand, type OperandObject } from '../core/operand.ts';
import { isOperatorOwned } from '../core/plan.ts';

export const OPERATOR_FIELD_MANAGER = 'lws-operator';

/** Where the applier can see the current copy of an object: undefined = absent, null = not watched. */
export type LiveLookup = (object: OperandObject) => KubeObject | undefined | null;

export interface ApplyResult {
  /** Objects written, as `kind/ns/name` with what happened. */
  changes: Array<{ key: string; action: 'created' | 'updated' | 'recreated' }>;
  /** Set when the gate Secret is not issued yet: nothing after the gate was applied. */
  waitingForSecret?: string;
}

export interface SyncContext {
  client: KubeClient;
  log: Logger;
  /** Events about written objects go to this object (the instance). */
  recorder?: { recorder: EventRecorder; regarding: KubeObject };
}

interface WebhookEntry {
  name: string;
  clientConfig?: { caBundle?: string; url?: string; service?: unknown };
}

/** Pure: the desired webhooks, each keeping the caBundle the live entry of the same name has. */
export function preserveCABundles(live: readonly WebhookEntry[], desired: readonly WebhookEntry[]): WebhookEntry[] {
  const bundles = new Map(live.map((w) => [w.name, w.clientConfig?.caBundle]));
  return desired.map((w) => {
    const caBundle = w.clientConfig?.caBundle ?? bundles.get(w.name);
    return caBundle ? { ...w, clientConfig: { ...w.clientConfig, caBundle } } : w;
  });
}

/** Pure: a stable digest of what we ask for (skip decisions). */
export function desiredHash(object: OperandObject): string {
  return createHash('sha256').update(JSON.stringify(object)).digest('hex').slice(0, 16);
}

/** Pure: does this apply error mean "an immutable field differs" (fixable only by recreating)? */
export function isImmutableFieldError(e: unknown): boolean {
  if (!isInvalid(e)) return false;
  const text = `${e.message} ${JSON.stringify(e.causes)}`;
  return /field is immutable|cannot change roleRef|may not change|is immutable/i.test(text);
}

/** Pure: did our write change the object? (A generation says so exactly; a cache lagging behind a status
 * write must not count as a change.) */
export function changedBy(before: KubeObject, after: KubeObject): boolean {
  const b = before.metadata?.generation;
  const a = after.metadata?.generation;
  if (a !== undefined && b !== undefined) return a !== b;
  return after.metadata?.resourceVersion !== before.metadata?.resourceVersion;
}

const refOf = (o: { apiVersion?: string; kind?: string }): ResourceRef => {
  const ref = resourceFor(o.apiVersion ?? '', o.kind ?? '');
  if (!ref) throw new Error(`no known resource for ${o.apiVersion} ${o.kind}`);
  return ref;
};
const keyOf = (o: OperandObject) => ({ namespace: o.metadata.namespace, name: o.metadata.name });

export class OperandApplier {
  readonly #applied = new Map<string, { hash: string; resourceVersion: string }>();

  /** Applies `objects` in order; stops at the first error (thrown) or at an unissued gate Secret. */
  async apply(
    ctx: SyncContext,
    objects: readonly OperandObject[],
    live: LiveLookup,
    gate?: { beforeKinds: readonly string[]; missing: () => string[] },
  ): Promise<ApplyResult> {
    const result: ApplyResult = { changes: [] };
    let gateChecked = false;
    for (const object of objects) {
      if (gate && !gateChecked && gate.beforeKinds.includes(object.kind)) {
        gateChecked = true;
        const missing = gate.missing();
        if (missing.length > 0) {
          result.waitingForSecret = missing.join(', ');
          return result;
        }
      }
      const change = await this.#applyOne(ctx, object, live(object));
      if (change) result.changes.push({ key: objectKey(object), action: change });
    }
    return result;
  }

  /** Forgets what was applied (after a removal, everything must be written again). */
  reset(): void {
    this.#applied.clear();
  }

  async #applyOne(
    ctx: SyncContext,
    object: OperandObject,
    current: KubeObject | undefined | null,
  ): Promise<'created' | 'updated' | 'recreated' | undefined> {
    const key = objectKey(object);
    const hash = desiredHash(object);
    const seen = this.#applied.get(key);
    if (current && seen && seen.hash === hash && seen.resourceVersion === current.metadata?.resourceVersion) {
      return undefined;
    }
    const ref = refOf(object);
    let action: 'created' | 'updated' | 'recreated' | undefined;
    let written: KubeObject;
    try {
      written = await ctx.client.apply<KubeObject>(ref, object as KubeObject, {
        fieldManager: OPERATOR_FIELD_MANAGER,
        force: true,
      });
      if (current === undefined) action = 'created';
      else if (current && changedBy(current, written)) action = 'updated';
    } catch (e) {
      if (isImmutableFieldError(e)) {
        written = await this.#recreate(ctx, ref, object, e as Error);
        action = 'recreated';
      } else if (isInvalid(e) && object.kind.endsWith('WebhookConfiguration')) {
        // Another install (e.g. `lwsctl run`) owns `clientConfig.url`; merged with our `service` the object is
        // invalid. Replace it as a whole, keeping each webhook's caBundle.
        written = await this.#takeOverWebhooks(ctx, ref, object);
        action = 'updated';
      } else {
        throw e;
      }
    }
    this.#applied.set(key, { hash, resourceVersion: written.metadata?.resourceVersion ?? '' });
    if (action) {
      ctx.log.info({ object: key, action }, 'operand object written');
      this.#event(ctx, object, action);
    }
    return action;
  }

  async #recreate(ctx: SyncContext, ref: ResourceRef, object: OperandObject, cause: Error): Promise<KubeObject> {
    const key = keyOf(object);
    const existing = await ctx.client.get<KubeObject>(ref, key);
    ctx.log.info({ object: objectKey(object), reason: cause.message }, 'recreating: an immutable field changed');
    await ctx.client.delete(ref, key, {
      propagationPolicy: 'Background',
      preconditions: { uid: existing.metadata?.uid },
    });
    // The delete may finish asynchronously (finalizers): wait until the name is free.
    for (let i = 0; i < 100; i++) {
      const again = await orUndefinedIfNotFound(ctx.client.get<KubeObject>(ref, key));
      if (again?.metadata?.uid !== existing.metadata?.uid) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return ctx.client.apply<KubeObject>(ref, object as KubeObject, {
      fieldManager: OPERATOR_FIELD_MANAGER,
      force: true,
    });
  }

  async #takeOverWebhooks(ctx: SyncContext, ref: ResourceRef, object: OperandObject): Promise<KubeObject> {
    const live = await ctx.client.get<KubeObject & { webhooks?: WebhookEntry[] }>(ref, keyOf(object));
    const desired = structuredClone(object) as KubeObject & { webhooks?: WebhookEntry[] };
    desired.metadata = { ...desired.metadata, resourceVersion: live.metadata?.resourceVersion };
    desired.webhooks = preserveCABundles(live.webhooks ?? [], desired.webhooks ?? []);
    ctx.log.info({ object: objectKey(object) }, 'taking over webhook configuration written by another installer');
    await ctx.client.update(ref, desired);
    return ctx.client.apply<KubeObject>(ref, object as KubeObject, {
      fieldManager: OPERATOR_FIELD_MANAGER,
      force: true,
    });
  }

  #event(ctx: SyncContext, object: OperandObject, action: 'created' | 'updated' | 'recreated'): void {
    if (!ctx.recorder) return;
    // library-go's reasons: DeploymentCreated, ServiceUpdated, …
    const verb = action === 'created' ? 'Created' : action === 'updated' ? 'Updated' : 'Recreated';
    const where = object.metadata.namespace ? ` -n ${object.metadata.namespace}` : '';
    ctx.recorder.recorder.event(
      ctx.recorder.regarding,
      undefined,
      'Normal',
      `${object.kind}${verb}`,
      verb,
      `${verb} ${object.kind}.${object.apiVersion.split('/')[0]}/${object.metadata.name}${where} because it ${
        action === 'created' ? 'was missing' : 'changed'
      }`,
    );
  }
}

/**
 * Pure: every operand object the operator may have created in `namespace`, in removal order (webhook
 * configurations first, the Deployment next, RBAC last), without the CRD. Rendered from the same renderer in
 * both certificate modes and with the ServiceMonitor, so nothing the operator ever creates is missed.
 */
export function removalOrder(namespace: string): OperandObject[] {
  const byKey = new Map<string, OperandObject>();
  for (const certificates of ['internal', 'cert-manager'] as const) {
    const compiled = compileOperandOptions({ image: 'removal', namespace, certificates, serviceMonitor: true });
    for (const o of renderOperand(compiled)) if (o.kind !== 'CustomResourceDefinition') byKey.set(objectKey(o), o);
  }
  const rank = (kind: string) =>
    ({
      MutatingWebhookConfiguration: 0,
      ValidatingWebhookConfiguration: 0,
      Deployment: 1,
      ServiceMonitor: 2,
      PrometheusRule: 2,
    })[kind] ?? 3;
  const objects = [...byKey.values()].reverse();
  return objects.sort((a, b) => rank(a.kind) - rank(b.kind));
}

/** Secrets that hold operand certificates (written by the controller's rotator or by cert-manager). */
export function certificateSecrets(): string[] {
  return [OPERAND_NAMES.internalCertSecret, OPERAND_NAMES.servingCertSecret, OPERAND_NAMES.metricsCertSecret];
}

/**
 * Deletes the operand from `namespace`. Objects are deleted only when they carry our label or owner reference
 * (UID precondition, so a replacement created meanwhile survives); absent objects and absent APIs (no
 * cert-manager, no Prometheus Operator) are skipped. Returns the keys deleted.
 */
export async function removeOperand(ctx: SyncContext, namespace: string): Promise<string[]> {
  const deleted: string[] = [];
  const targets: Array<{ ref: ResourceRef; namespace?: string; name: string; ownedCheck: boolean; key: string }> =
    removalOrder(namespace).map((o) => ({
      ref: refOf(o),
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      ownedCheck: true,
      key: objectKey(o),
    }));
  for (const name of certificateSecrets()) {
    targets.push({ ref: SECRETS, namespace, name, ownedCheck: false, key: `Secret/${namespace}/${name}` });
  }
  for (const t of targets) {
    // absent, or the API itself is not served
    const existing = await orUndefinedIfNotFound(
      ctx.client.get<KubeObject>(t.ref, { namespace: t.namespace, name: t.name }),
    );
    if (!existing) continue;
    if (t.ownedCheck && !isOperatorOwned(existing)) {
      ctx.log.info({ object: t.key }, 'not removing an object the operator did not create');
      continue;
    }
    if (existing.metadata?.deletionTimestamp) continue;
    try {
      await ctx.client.delete(
        t.ref,
        { namespace: t.namespace, name: t.name },
        {
          propagationPolicy: 'Background',
          preconditions: { uid: existing.metadata?.uid },
        },
      );
      deleted.push(t.key);
      ctx.log.info({ object: t.key }, 'operand object removed');
      if (ctx.recorder) {
        const { recorder, regarding } = ctx.recorder;
        recorder.event(regarding, undefined, 'Normal', `${t.ref.kind}Deleted`, 'Deleted', `Deleted ${t.key}`);
      }
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return deleted;
}
