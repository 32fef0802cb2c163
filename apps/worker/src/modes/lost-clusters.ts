import type { RegisteredCluster, Store } from "@flotilla/store";
import type { Logger } from "pino";

/** A pool cluster's name and API server: what an operator needs to register it again. */
export interface PoolClusterRef {
  name: string;
  server: string;
}

/** The pool clusters with credentials in a registry listing. */
export function servablePoolClusters(clusters: readonly RegisteredCluster[]): PoolClusterRef[] {
  return clusters.filter((c) => c.mode === "pool" && c.hasCredentials).map((c) => ({ name: c.name, server: c.server }));
}

/** Those of `known` (listed before a data loss) that the registry no longer serves. */
export function lostPoolClusters(
  known: readonly PoolClusterRef[],
  now: readonly RegisteredCluster[],
): PoolClusterRef[] {
  const servable = new Set(servablePoolClusters(now).map((c) => c.name));
  return known.filter((c) => !servable.has(c.name));
}

export interface RegistryLossWatchOptions {
  store: Store;
  workerId: string;
  log: Logger;
  now?: () => Date;
}

/**
 * Reads the registry for the pool and notices, on the way, that Redis lost its data (the store's data epoch
 * changed). An agent's cluster comes back on its own (the agent registers again at its next heartbeat); a pool
 * cluster's credentials are gone for good, so each such cluster is logged at error level and recorded
 * (`store.lostClusters`, shown by `flotilla status`) until someone registers it again. Nothing is deleted on it
 * meanwhile: its objects stay as they were.
 */
export class RegistryLossWatch {
  readonly #options: RegistryLossWatchOptions;
  #epoch: string | undefined;
  #known: PoolClusterRef[] = [];

  constructor(options: RegistryLossWatchOptions) {
    this.#options = options;
  }

  async list(): Promise<RegisteredCluster[]> {
    const { store, log } = this.#options;
    const before = await store.dataEpoch.ensure();
    const clusters = await store.clusters.list();
    // Lost while listing: the listing may predate the loss. Decide at the next read, which sees the new epoch.
    if ((await store.dataEpoch.current()) !== before) return clusters;
    if (this.#epoch !== undefined && before !== this.#epoch) await this.#report(clusters);
    this.#epoch = before;
    this.#known = servablePoolClusters(clusters);
    const lost = await store.lostClusters.list();
    if (lost.length > 0) {
      const back = new Set(this.#known.map((c) => c.name));
      const returned = lost.filter((c) => back.has(c.name)).map((c) => c.name);
      await store.lostClusters.clear(returned);
      for (const cluster of returned) log.info({ cluster }, "lost pool cluster registered again; serving it");
    }
    return clusters;
  }

  async #report(now: readonly RegisteredCluster[]): Promise<void> {
    const { store, log, workerId } = this.#options;
    const lost = lostPoolClusters(this.#known, now);
    log.error(
      { lostPoolClusters: lost.map((c) => c.name) },
      "Redis lost its data: registry, queues and status are gone; agents register again, the generator regenerates from Git",
    );
    const lostAt = (this.#options.now?.() ?? new Date()).toISOString();
    await store.lostClusters.record(lost.map((c) => ({ ...c, lostAt, detectedBy: workerId })));
    for (const c of lost) {
      log.error(
        { cluster: c.name, server: c.server },
        "pool cluster lost with the Redis data: its credentials are gone; register it again (with credentials) to serve it",
      );
    }
  }
}
