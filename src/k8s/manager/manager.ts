/**
 * @module k8s/manager/manager
 * A controller-runtime style Manager: the skeleton every long-running command shares.
 *
 * - Pre-start hooks run once the probe and metrics servers and the runnables are up, before the caches start (start-up questions
 *   such as "is this API served?", answered with retries while the apiserver is unreachable).
 * - Runnables that run on every replica (certificates, webhook servers, anything a standby must keep warm) start
 *   with the manager; the caches start with it too, so a standby is ready to take over.
 * - Leader runnables (controllers) start once the caches have synced and every start gate (e.g. "certificates
 *   ready") has opened, and run only while this replica holds the Lease (or always, with leader election off).
 *   Each leadership term gets its own AbortSignal: losing the Lease stops the term's work at once.
 * - A fatal error from any runnable stops everything, and `run` rethrows it after shutdown.
 * - Shutdown is ordered: the term ends, background work settles, then closers run in reverse registration order
 *   (webhook server, metrics, probes, …), then the caches stop and the client's sockets close.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KubeClient } from '../client/client.ts';
import { leaderElectionMetrics } from '../runtime/client-metrics.ts';
import type { InformerFactory } from '../runtime/informer-factory.ts';
import { LeaderElector } from '../runtime/leader-election.ts';
import { kubeLeaseLock } from '../runtime/lease-lock.ts';
import {
  startHealthServer,
  startMetricsServer,
  type HealthServerOptions,
  type MetricsServerOptions,
} from './observability.ts';

export interface LeaderElectionSettings {
  namespace: string;
  name: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export interface ManagerOptions {
  client: KubeClient;
  factory: InformerFactory;
  registry: Registry;
  log: Logger;
  health?: HealthServerOptions | undefined;
  metrics?: MetricsServerOptions | undefined;
  /** undefined: this replica always leads. */
  leaderElection?: LeaderElectionSettings | undefined;
}

/** Work started with the manager on every replica; resolves when done, rejects on a fatal error. */
export type Runnable = (signal: AbortSignal) => Promise<unknown>;
/** Work for one leadership term; `term` aborts when the term ends. */
export type LeaderRunnable = (term: AbortSignal) => Promise<void>;
/** Resolves true once leader runnables may start, false when the manager is stopping. */
export type StartGate = (signal: AbortSignal) => Promise<boolean>;

export class Manager {
  readonly #o: ManagerOptions;
  readonly #runnables: Runnable[] = [];
  readonly #leaders: LeaderRunnable[] = [];
  readonly #gates: StartGate[] = [];
  readonly #preStart: Runnable[] = [];
  readonly #readiness: Record<string, () => void> = {};
  readonly #closers: Array<() => Promise<void> | void> = [];
  readonly #failure = new AbortController();
  #fatal: Error | undefined;

  constructor(options: ManagerOptions) {
    this.#o = options;
    this.#readiness['informer-sync'] = () => {
      if (!options.factory.hasSynced()) throw new Error('caches not synced');
    };
  }

  /** Runs on every replica from the start. */
  add(runnable: Runnable): this {
    this.#runnables.push(runnable);
    return this;
  }

  /** Runs while this replica leads, after the caches synced and every gate opened. */
  addLeaderRunnable(runnable: LeaderRunnable): this {
    this.#leaders.push(runnable);
    return this;
  }

  /**
   * Runs once the probe and metrics servers and the runnables are up, before the caches start: start-up questions to the apiserver
   * (which APIs are served) that decide which informers to register. A rejection stops the manager with it.
   */
  addPreStart(hook: Runnable): this {
    this.#preStart.push(hook);
    return this;
  }

  addStartGate(gate: StartGate): this {
    this.#gates.push(gate);
    return this;
  }

  /** A /readyz check: throws while not ready. */
  addReadinessCheck(name: string, check: () => void): this {
    this.#readiness[name] = check;
    return this;
  }

  /** Called at shutdown, in reverse order of registration. */
  addCloser(close: () => Promise<void> | void): this {
    this.#closers.push(close);
    return this;
  }

  /** Stops the manager; `run` rethrows the first such error. */
  readonly fail = (e: Error): void => {
    this.#fatal ??= e;
    this.#failure.abort(e);
  };

  async run(signal: AbortSignal): Promise<void> {
    const { client, factory, log } = this.#o;
    const stop = AbortSignal.any([signal, this.#failure.signal]);
    const background: Promise<unknown>[] = [];
    const health = this.#o.health ? await startHealthServer(this.#o.health, this.#readiness, log) : undefined;
    const metrics = this.#o.metrics
      ? await startMetricsServer(this.#o.metrics, this.#o.registry, client, log, { signal: stop, background }).catch(
          async (e) => {
            await health?.close();
            throw e;
          },
        )
      : undefined;
    try {
      // Runnables first: they need no cache (certificates, webhook serving) and must not wait for the apiserver.
      for (const runnable of this.#runnables) background.push(runnable(stop).catch((e: Error) => this.fail(e)));
      for (const hook of this.#preStart) await hook(stop);
      factory.start(stop);
      for (const gate of this.#gates) if (!(await gate(stop))) return;
      if (!(await factory.waitForSync(stop))) return;
      log.info('Caches synced');
      const lead = (term: AbortSignal) => Promise.all(this.#leaders.map((r) => r(term))).then(() => undefined);
      const le = this.#o.leaderElection;
      if (!le) {
        await lead(stop).catch((e: Error) => this.fail(e));
      } else {
        const elector = new LeaderElector({
          lock: kubeLeaseLock(client, le.namespace, le.name, log),
          leaseDurationMs: le.leaseDurationMs,
          renewDeadlineMs: le.renewDeadlineMs,
          retryPeriodMs: le.retryPeriodMs,
          logger: log,
          onLeadingChange: leaderElectionMetrics(this.#o.registry, le.name),
        });
        await elector.run(stop, lead).catch((e: Error) => this.fail(e));
      }
    } finally {
      this.#failure.abort(new Error('stopping')); // ends background work when the main path returns early
      await Promise.allSettled(background);
      for (const close of [...this.#closers].reverse()) await close();
      await metrics?.close();
      await health?.close();
      await factory.stopped();
      client.close();
    }
    if (this.#fatal) throw this.#fatal;
  }
}
