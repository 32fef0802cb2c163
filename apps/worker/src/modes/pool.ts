import { ManagerPool } from "@flotilla/kube";
import { type ClusterWorker, createClusterWorker } from "@flotilla/queue";
import {
  type ClusterCredentials,
  isDecryptError,
  Lease,
  type LeaseGrant,
  type StoreKeys,
  storeKeys,
} from "@flotilla/store";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { ClusterWatchOptions } from "../drift/cluster-watch.ts";
import { DriftWatcher } from "../drift/drift-watcher.ts";
import { createWorkHandler, type ManagerSource } from "../handler.ts";
import type { RunningMode, WorkerRuntime } from "../runtime.ts";
import { planBalance } from "./balance.ts";
import { kubeconfigFor } from "./credentials.ts";
import { RegistryLossWatch, servablePoolClusters } from "./lost-clusters.ts";
import { Membership } from "./membership.ts";
import { RecentManagers } from "./recent-managers.ts";
import { Resync, type ResyncOptions } from "./resync.ts";

/** How long a cluster's stored record and credentials serve its syncs before they are read again. */
const MANAGER_MAX_AGE_MS = 5_000;

export interface PoolOptions {
  /** Names this worker among the pool's; also its lease holder id, so a restart under the same id resumes. */
  workerId: string;
  /** A dead worker's clusters are taken over after this. @defaultValue 15000 */
  leaseTtlMs?: number;
  /**
   * How often leases are renewed, and how often the split is reconsidered (each on its own timer).
   * @defaultValue leaseTtlMs / 3
   */
  tickMs?: number;
  /** How long a cluster handed to another worker gets to finish its active syncs. @defaultValue 10000 */
  handoverTimeoutMs?: number;
  /** Per-request deadline against each cluster. @defaultValue 30000 */
  requestTimeoutMs?: number;
  /** The periodic full re-sync of the held clusters. @defaultValue `defaultResyncOptions()` */
  resync?: Partial<ResyncOptions>;
  /** Watching owned objects for changes by others; false turns it off. @defaultValue `defaultClusterWatchOptions()` */
  driftWatch?: Partial<ClusterWatchOptions> | false;
}

interface Held {
  lease: Lease;
  grant: LeaseGrant;
  worker: ClusterWorker;
}

/**
 * Pool mode: serves the registry's pool clusters with their stored credentials, sharing them with the other
 * pool workers through one lease per cluster and a fair split that every worker computes alike from the
 * heartbeats' reports of who holds what (see `planBalance`). A worker consumes
 * the queues of the clusters it holds. The leases only spread the load: that no job runs twice at once is
 * BullMQ's job lock, so the moment two workers both read a queue during a hand-over is harmless.
 */
export class PoolWorker implements RunningMode {
  readonly #runtime: WorkerRuntime;
  readonly #options: Required<Omit<PoolOptions, "resync" | "driftWatch">>;
  readonly #resync: Resync;
  readonly #drift: DriftWatcher | undefined;
  readonly #log: Logger;
  readonly #membership: Membership;
  /**
   * The leases' and heartbeats' own connection. On the one the syncs share, a renewal waited behind their status
   * writes and bundle reads: under the first load of a fleet (1,000 syncs on 10 clusters) a lone worker lost its own
   * leases for seconds at a time and stopped those clusters' queues.
   */
  readonly #liveness: Redis;
  readonly #keys: StoreKeys;
  readonly #registry: RegistryLossWatch;
  readonly #managers: ManagerPool;
  readonly #managerFor: ManagerSource;
  readonly #recent: RecentManagers;
  readonly #held = new Map<string, Held>();
  readonly #handovers = new Set<Promise<void>>();
  /**
   * Clusters handed over to another worker that may not hold them yet → until when they are reported as leaving
   * (served, for the status readers; free to take, for the balancing): unbounded while the lease is still held,
   * then two ticks, the taker's next step and its margin. Without it, a status read between the release and the
   * take-over said the cluster was served by nobody.
   */
  readonly #leaving = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #probing = false;
  #tick: Promise<void> = Promise.resolve();
  #renewing: Promise<void> = Promise.resolve();
  #running = false;

  constructor(runtime: WorkerRuntime, options: PoolOptions) {
    const leaseTtlMs = options.leaseTtlMs ?? 15_000;
    this.#options = {
      workerId: options.workerId,
      leaseTtlMs,
      tickMs: options.tickMs ?? Math.floor(leaseTtlMs / 3),
      handoverTimeoutMs: options.handoverTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    };
    this.#runtime = runtime;
    this.#resync = new Resync(runtime, () => this.held(), options.resync);
    this.#drift =
      options.driftWatch === false ? undefined : new DriftWatcher(runtime, this.#resync, options.driftWatch);
    this.#log = runtime.log.child({ mode: "pool", worker: options.workerId });
    this.#liveness = runtime.redis.duplicate();
    this.#keys = storeKeys(runtime.prefix);
    this.#membership = new Membership(this.#liveness, this.#keys, options.workerId, leaseTtlMs);
    this.#registry = new RegistryLossWatch({ store: runtime.store, workerId: options.workerId, log: this.#log });
    const observer = runtime.observer;
    this.#managers = new ManagerPool({
      requestTimeoutMs: this.#options.requestTimeoutMs,
      ...(observer !== undefined && { observeReachability: (c, reachable) => observer.clusterReached(c, reachable) }),
    });
    const recent = new RecentManagers(async (cluster) => {
      const [record, credentials] = await Promise.all([
        runtime.store.clusters.get(cluster),
        this.#credentials(cluster),
      ]);
      if (record === undefined || credentials === undefined) {
        throw new Error(`cluster ${cluster} has no stored credentials; pool workers cannot reach it`);
      }
      return this.#managers.forCluster(cluster, kubeconfigFor(cluster, record.server, credentials));
    }, MANAGER_MAX_AGE_MS);
    this.#recent = recent;
    this.#managerFor = (cluster) => recent.get(cluster);
  }

  /** Starts the first rebalancing step now and resolves once it has run. */
  async start(): Promise<void> {
    this.#running = true;
    this.#tick = this.#step();
    await this.#tick;
    this.#schedule();
    this.#scheduleRenewal();
    this.#resync.start();
  }

  /** The clusters whose queues this worker consumes now. */
  held(): string[] {
    return [...this.#held.keys()].sort();
  }

  /** The clusters this worker is handing over and still reports as leaving (see `#leaving`). */
  leaving(now: number = Date.now()): string[] {
    for (const [cluster, until] of this.#leaving)
      if (until <= now || this.#held.has(cluster)) this.#leaving.delete(cluster);
    return [...this.#leaving.keys()].sort();
  }

  async stop(timeoutMs: number): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    clearTimeout(this.#renewTimer);
    await this.#resync.stop();
    await Promise.all([this.#tick, this.#renewing]);
    const held = [...this.#held.entries()];
    this.#held.clear();
    await Promise.all([...held.map(([cluster, h]) => this.#handOver(cluster, h, timeoutMs)), ...this.#handovers]);
    await this.#membership.leave().catch((err: unknown) => this.#log.warn({ err }, "leaving the pool failed"));
    await this.#liveness.quit().catch(() => this.#liveness.disconnect());
    this.#log.info("pool worker stopped");
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#step().finally(() => this.#schedule());
    }, this.#options.tickMs);
  }

  /**
   * Renewals keep their own timer. Behind the rebalancing step they waited for its registry reads, which share the
   * syncs' connection: under a fleet's first load those took seconds each, the next renewal came after the local
   * deadline, and the worker stopped every queue it held in the middle of the rollout.
   */
  #scheduleRenewal(): void {
    if (!this.#running) return;
    this.#renewTimer = setTimeout(() => {
      this.#renewing = this.#renew()
        .catch((err: unknown) => this.#log.warn({ err }, "cluster lease renewal failed; retrying next tick"))
        .finally(() => this.#scheduleRenewal());
    }, this.#options.tickMs);
  }

  async #step(): Promise<void> {
    try {
      const workers = await this.#membership.beat(this.held(), Date.now(), this.leaving());
      const candidates = servablePoolClusters(await this.#registry.list()).map((c) => c.name);
      const { workerId } = this.#options;
      const plan = planBalance({ candidates, self: workerId, held: this.held(), others: workers });
      for (const cluster of plan.release) {
        const held = this.#held.get(cluster);
        if (held === undefined) continue;
        this.#held.delete(cluster);
        this.#leaving.set(cluster, Number.POSITIVE_INFINITY);
        this.#background(
          this.#handOver(cluster, held, this.#options.handoverTimeoutMs).finally(() => {
            if (this.#leaving.has(cluster)) this.#leaving.set(cluster, Date.now() + 2 * this.#options.tickMs);
          }),
        );
      }
      let acquired = 0;
      for (const cluster of plan.tryAcquire) {
        if (!this.#running) break;
        // The worker handing it over may still hold the lease: it frees it on its own step, and we retry on ours.
        if (await this.#acquire(cluster)) acquired++;
      }
      if (acquired > 0 || plan.release.length > 0) await this.#membership.report(this.held(), this.leaving());
      if (!this.#probing) this.#background(this.#probe());
    } catch (err) {
      this.#log.warn({ err }, "pool rebalancing step failed; retrying next tick");
    }
  }

  /**
   * Asks each held cluster for its version and records the answer (see `ClusterContacts`): what operators see as
   * its reachability. In the background, one round at a time, so a cluster that hangs delays no rebalancing.
   */
  async #probe(): Promise<void> {
    this.#probing = true;
    try {
      await Promise.all(
        this.held().map(async (cluster) => {
          const at = Date.now();
          const worker = this.#options.workerId;
          try {
            await (await this.#managerFor(cluster)).version();
            await this.#runtime.store.clusterContacts.record(cluster, { at, reachable: true, worker });
          } catch (err) {
            const error = (err as Error).message;
            await this.#runtime.store.clusterContacts.record(cluster, { at, reachable: false, worker, error });
          }
        }),
      );
    } finally {
      this.#probing = false;
    }
  }

  /**
   * Renews every held lease at once: one after the other, ten clusters took ten round trips, and a loaded Redis or
   * event loop could push the last renewal past its deadline. A renewal that comes after the local deadline is still
   * asked for: Redis extends only a lease that still names this worker, so a yes proves nobody took it meanwhile
   * (and the queue need not stop and start again); a no ends it here. A renewal that failed (Redis unreachable) is
   * tried again next tick, until the deadline has passed: then the lease counts as lost.
   */
  async #renew(): Promise<void> {
    const held = [...this.#held.entries()];
    const renewals = await Promise.allSettled(held.map(([, h]) => h.lease.renew(h.grant)));
    const failures: unknown[] = [];
    for (const [i, [cluster, h]] of held.entries()) {
      // Handed over by the rebalancing step while the renewal was in flight: no longer this loop's to judge.
      if (this.#held.get(cluster) !== h) continue;
      const renewal = renewals[i]!;
      const late = h.lease.now() >= h.grant.deadline;
      if (renewal.status === "rejected" && !late) {
        failures.push(renewal.reason);
        continue;
      }
      if (renewal.status === "fulfilled" && renewal.value !== undefined) {
        if (late) this.#log.warn({ cluster }, "cluster lease renewed after its deadline");
        h.grant = renewal.value;
        continue;
      }
      this.#log.warn({ cluster }, "cluster lease lost; stopping its queue");
      this.#held.delete(cluster);
      this.#background(this.#close(cluster, h, this.#options.handoverTimeoutMs));
    }
    if (failures.length > 0) throw failures[0];
  }

  async #acquire(cluster: string): Promise<boolean> {
    const lease = new Lease(this.#liveness, this.#keys, `cluster:${cluster}`, {
      ttlMs: this.#options.leaseTtlMs,
    });
    const grant = await lease.acquire(this.#options.workerId);
    if (grant === undefined) return false;
    const worker = createClusterWorker(
      cluster,
      createWorkHandler(this.#runtime.deps, this.#managerFor, this.#runtime.deletions, this.#runtime.lanes),
      this.#runtime.queueOptions,
    );
    this.#held.set(cluster, { lease, grant, worker });
    this.#log.info({ cluster, fence: grant.fence }, "serving cluster");
    this.#background(this.#watchDrift(cluster));
    return true;
  }

  async #watchDrift(cluster: string): Promise<void> {
    if (this.#drift === undefined) return;
    const [record, credentials] = await Promise.all([
      this.#runtime.store.clusters.get(cluster),
      this.#credentials(cluster),
    ]);
    // Released while the credentials were read: nothing to watch.
    if (record === undefined || credentials === undefined || !this.#held.has(cluster)) return;
    // The manager its syncs use: one discovery cache per cluster, whether a sync or a watch asks.
    await this.#drift.watch(
      cluster,
      this.#managers.forCluster(cluster, kubeconfigFor(cluster, record.server, credentials)),
    );
    if (!this.#held.has(cluster)) this.#drift.unwatch(cluster);
  }

  async #handOver(cluster: string, held: Held, timeoutMs: number): Promise<void> {
    await this.#close(cluster, held, timeoutMs);
    try {
      await held.lease.release(held.grant);
    } catch (err) {
      this.#log.warn({ err, cluster }, "lease release failed; it will expire on its own");
    }
    this.#log.info({ cluster }, "handed cluster over");
  }

  async #close(cluster: string, held: Held, timeoutMs: number): Promise<void> {
    this.#drift?.unwatch(cluster);
    const { drained } = await held.worker.close(timeoutMs);
    this.#managers.evict(cluster);
    this.#recent.forget(cluster);
    if (!drained) this.#log.warn({ cluster }, "active syncs did not finish in time; they go back to the queue");
  }

  /**
   * Credentials that no longer decrypt (most often: the record's server was changed without new credentials) are
   * refused here, before any connection is made, and said at error level: the cluster is not served until an
   * operator registers it again with credentials for its server.
   */
  async #credentials(cluster: string): Promise<ClusterCredentials | undefined> {
    try {
      return await this.#runtime.store.clusters.getCredentials(cluster);
    } catch (err) {
      if (isDecryptError(err)) {
        this.#log.error({ cluster, err }, "stored credentials refused; not connecting to this cluster");
      }
      throw err;
    }
  }

  #background(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => this.#log.error({ err }, "background cluster task failed"));
    this.#handovers.add(tracked);
    void tracked.finally(() => this.#handovers.delete(tracked));
  }
}

export async function startPool(runtime: WorkerRuntime, options: PoolOptions): Promise<PoolWorker> {
  const pool = new PoolWorker(runtime, options);
  await pool.start();
  return pool;
}
