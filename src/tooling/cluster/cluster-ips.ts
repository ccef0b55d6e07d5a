/**
 * @module cluster/cluster-ips
 * Which Service port a ClusterIP:port belongs to. The apiserver resolves a Service reference (webhook
 * `clientConfig.service`, APIService) to `clusterIP:port` before dialing; the network proxy maps it back.
 * Services are listed from the apiserver and cached briefly; a miss always lists again (unless the
 * list is already newer than the connection), so a Service created a moment ago is found. An expired
 * hit is answered from the cache while one list refreshes it in the background, as a real cluster's
 * kube-proxy keeps serving its last rules while it syncs: when the apiserver is saturated, every new
 * webhook connection waiting for (and starting) its own list is what made the apiserver fall over.
 */
import type { ServicePort } from './routes.ts';

export interface ServiceLike {
  metadata?: { namespace?: string; name?: string };
  spec?: { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: Array<{ port?: number }> };
}

const normalize = (ip: string) => ip.toLowerCase();

/** The Service port at `ip:port` (ClusterIP, NodePort and LoadBalancer Services have a ClusterIP). */
export function serviceAt(services: readonly ServiceLike[], ip: string, port: number): ServicePort | undefined {
  const wanted = normalize(ip);
  for (const s of services) {
    const ips = s.spec?.clusterIPs?.length ? s.spec.clusterIPs : s.spec?.clusterIP ? [s.spec.clusterIP] : [];
    if (!ips.some((candidate) => candidate !== 'None' && normalize(candidate) === wanted)) continue;
    if (!s.spec?.ports?.some((p) => p.port === port)) continue;
    const { namespace, name } = s.metadata ?? {};
    if (namespace && name) return { namespace, name, port };
  }
  return undefined;
}

export interface ClusterIPLookupOptions {
  /** How long a list answers hits (default 2 s). */
  ttlMs?: number;
  now?: () => number;
}

export class ClusterIPLookup {
  readonly #list: () => Promise<ServiceLike[]>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #services: ServiceLike[] = [];
  #listedAt = -Infinity; // when the cached list was requested
  #inFlight: { startedAt: number; done: Promise<void> } | undefined;
  #followUp: Promise<void> | undefined;

  constructor(list: () => Promise<ServiceLike[]>, options: ClusterIPLookupOptions = {}) {
    this.#list = list;
    this.#ttlMs = options.ttlMs ?? 2000;
    this.#now = options.now ?? Date.now;
  }

  /** The Service port at `ip:port`, or undefined (rejects when the apiserver cannot be asked). */
  async lookup(ip: string, port: number): Promise<ServicePort | undefined> {
    const asked = this.#now();
    const hit = serviceAt(this.#services, ip, port);
    if (hit) {
      if (asked - this.#listedAt >= this.#ttlMs && !this.#inFlight) {
        this.#refresh(asked).catch(() => {}); // the next miss or expired hit tries again
      }
      return hit;
    }
    if (this.#listedAt < asked) await this.#refresh(asked);
    return serviceAt(this.#services, ip, port);
  }

  /**
   * Resolves once a list started at or after `notBefore` has finished. At most one list runs; callers
   * that need a newer one than the running list share a single follow-up.
   */
  async #refresh(notBefore: number): Promise<void> {
    const flight = this.#inFlight;
    if (flight && flight.startedAt >= notBefore) return flight.done;
    if (flight) {
      this.#followUp ??= flight.done
        .catch(() => {})
        .then(() => {
          this.#followUp = undefined;
          return this.#start();
        });
      return this.#followUp;
    }
    return this.#start();
  }

  #start(): Promise<void> {
    const startedAt = this.#now();
    const done = this.#list().then((services) => {
      if (startedAt >= this.#listedAt) {
        this.#services = services;
        this.#listedAt = startedAt;
      }
    });
    const current = { startedAt, done };
    this.#inFlight = current;
    done
      .finally(() => {
        if (this.#inFlight === current) this.#inFlight = undefined;
      })
      .catch(() => {}); // the caller awaiting `done` sees the failure
    return done;
  }
}
