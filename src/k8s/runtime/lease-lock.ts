/**
 * @module runtime/lease-lock
 * The coordination.k8s.io/v1 Lease a leader elector competes for, behind a three-call interface so the
 * elector can be tested against an in-memory lock. Writes are optimistic: `update` sends the
 * resourceVersion it read and fails with ConflictError when someone wrote in between.
 */
import type { KubeClient } from '../client/client.ts';
import { isNotFound } from '../client/errors.ts';
import type { ObjectMeta } from '../client/objects.ts';
import { LEASES } from '../client/resources.ts';
import { Informer } from './informer.ts';
import { clientListerWatcher } from './list-watcher.ts';
import type { Logger } from './log.ts';

/** `LeaseSpec`; the times are MicroTime strings (six fractional digits). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: ObjectMeta;
  spec?: LeaseSpec;
}

export interface LeaseLock {
  /** The Lease, or undefined when it does not exist. */
  get(signal: AbortSignal): Promise<Lease | undefined>;
  /** Throws AlreadyExistsError when another candidate created it first. */
  create(spec: LeaseSpec, signal: AbortSignal): Promise<Lease>;
  /** Replaces the spec of `lease` (its resourceVersion is the precondition); throws ConflictError. */
  update(lease: Lease, spec: LeaseSpec, signal: AbortSignal): Promise<Lease>;
  /** "namespace/name", for logs. */
  readonly description: string;
  /** Optional: reports every change of the Lease until `signal` aborts (never throws, retries by itself). */
  watch?(onChange: (lease: Lease) => void, signal: AbortSignal): void;
}

export function kubeLeaseLock(client: KubeClient, namespace: string, name: string, logger?: Logger): LeaseLock {
  return {
    description: `${namespace}/${name}`,
    watch(onChange, signal) {
      const scope = { namespace, fieldSelector: `metadata.name=${name}` };
      const informer = new Informer<Lease>(clientListerWatcher<Lease>(client, LEASES, scope), {
        name: `lease ${namespace}/${name}`,
        logger,
      });
      informer.addEventHandler({ onAdd: onChange, onUpdate: (_old, lease) => onChange(lease) });
      void informer.run(signal);
    },
    async get(signal) {
      try {
        return await client.get<Lease>(LEASES, { namespace, name }, { signal });
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    create(spec, signal) {
      const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { namespace, name }, spec };
      return client.create(LEASES, lease, { signal });
    },
    update(lease, spec, signal) {
      return client.update(LEASES, { ...lease, spec: { ...lease.spec, ...spec } }, { signal });
    },
  };
}
