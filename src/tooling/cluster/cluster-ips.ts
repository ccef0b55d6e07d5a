/**
 * @module cluster/cluster-ips
 * Which Service port a ClusterIP:port belongs to. The apiserver resolves a Service reference (webhook
 * `clientConfig.service`, APIService) to `clusterIP:port` before dialing; the network proxy maps it back.
 * Services are listed from the apiserver and cached briefly; a miss always lists again (unless the
 * list is already newer than the connection), so a Service created a moment ago is found.
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

  constructor(list: () => Promise<ServiceLike[]>, options: ClusterIPLookupOptions = {}) {
    this.#list = list;
    this.#ttlMs = options.ttlMs ?? 2000;
    this.#now = options.now ?? Date.now;
  }

  /** The Service port at `ip:port`, or undefined (rejects when the apiserver cannot be asked). */
  async lookup(ip: string, port: number): Promise<ServicePort | undefined> {
    const asked = this.#now();
    if (asked - this.#listedAt < this.#ttlMs) {
      const hit = serviceAt(this.#services, ip, port);
      if (hit) return hit;
    }
    if (this.#listedAt < asked) await this.#refresh(asked);
    return serviceAt(this.#services, ip, port);
  }

  /** Lists again unless a list started at or after `notBefore` is already under way. */
  async #refresh(notBefore: number): Promise<void> {
    let flight = this.#inFlight;
    if (!flight || flight.startedAt < notBefore) {
      const startedAt = this.#now();
      const done = this.#list().then((services) => {
        if (startedAt >= this.#listedAt) {
          this.#services = services;
          this.#listedAt = startedAt;
        }
      });
      const current = { startedAt, done };
      flight = this.#inFlight = current;
      done
        .finally(() => {
          if (this.#inFlight === current) this.#inFlight = undefined;
        })
        .catch(() => {}); // the caller awaiting `done` sees the failure
    }
    await flight.done;
  }
}
