import type { Redis } from "ioredis";
import type { StoreKeys } from "./keys.ts";

/** An Application in force on a cluster, by the ApplicationSet that owns its name there. */
export interface ClusterApplication {
  appSet: string;
  application: string;
}

/** What of a cluster is still in the store: the removal is done when every count is 0 (and its queue is empty). */
export interface ClusterLeftovers {
  /** Application names an ApplicationSet owns on it: in force, or whose delete has not been enqueued yet. */
  owned: number;
  /** Status entries: an Application a worker synced and has not deleted yet. */
  statuses: number;
  /** Inventories: objects Flotilla still owns on it. */
  inventories: number;
  /** Deletes that failed and are retried. */
  pendingDeletions: number;
}

/**
 * What the store still holds of one cluster's Applications, and forgetting them (`cluster rm --orphan`): the
 * Applications go from the store, their objects stay on the cluster, untouched.
 */
export class ClusterApplications {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** The Applications in force on the cluster, sorted by ApplicationSet then name. */
  async list(cluster: string): Promise<ClusterApplication[]> {
    const owners = await this.#redis.hgetall(this.#keys.owners(cluster));
    return Object.entries(owners)
      .map(([application, appSet]) => ({ appSet, application }))
      .sort((a, b) => a.appSet.localeCompare(b.appSet) || a.application.localeCompare(b.application));
  }

  /** How many Applications each of many clusters has in force, in the given order. */
  async counts(clusters: readonly string[]): Promise<number[]> {
    if (clusters.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const cluster of clusters) pipeline.hlen(this.#keys.owners(cluster));
    return ((await pipeline.exec()) ?? []).map(([err, n]) => {
      if (err) throw err;
      return Number(n);
    });
  }

  async leftovers(cluster: string): Promise<ClusterLeftovers> {
    const k = this.#keys;
    const replies = await this.#redis
      .pipeline()
      .hlen(k.owners(cluster))
      .hlen(k.appStatus(cluster))
      .hlen(k.appInventory(cluster))
      .hlen(k.pendingDeletions(cluster))
      .exec();
    const [owned, statuses, inventories, pendingDeletions] = (replies ?? []).map(([err, n]) => {
      if (err) throw err;
      return Number(n);
    });
    return {
      owned: owned ?? 0,
      statuses: statuses ?? 0,
      inventories: inventories ?? 0,
      pendingDeletions: pendingDeletions ?? 0,
    };
  }

  /**
   * Forgets every Application of the cluster: its ApplicationSets' stored Applications (so no generation deletes
   * them later through a queue nobody serves), their owners, status, inventory, history, sync requests and pending
   * deletions. Nothing is sent to the cluster. Returns what was forgotten.
   */
  async forget(cluster: string): Promise<ClusterApplication[]> {
    const k = this.#keys;
    const apps = await this.list(cluster);
    const statusFields = await this.#redis.hkeys(k.appStatus(cluster));
    const byAppSet = new Map<string, string[]>();
    for (const { appSet, application } of apps) {
      (byAppSet.get(appSet) ?? byAppSet.set(appSet, []).get(appSet)!).push(application);
    }
    const tx = this.#redis.multi();
    for (const [appSet, names] of byAppSet) {
      tx.hdel(k.appDesiredDigests(appSet), ...names);
      tx.hdel(k.appSpecs(appSet), ...names);
      tx.hdel(k.appSources(appSet), ...names);
    }
    const fields = new Set([...apps.map((a) => `${a.appSet}/${a.application}`), ...statusFields]);
    const history = [...fields].map((field) => k.appHistory(cluster, field));
    tx.del(
      k.owners(cluster),
      k.appStatus(cluster),
      k.appInventory(cluster),
      k.syncRequests(cluster),
      k.pendingDeletions(cluster),
      ...history,
    );
    const replies = await tx.exec();
    const failed = replies?.find(([err]) => err !== null)?.[0];
    if (replies === null || failed)
      throw failed ?? new Error(`forgetting cluster ${cluster}'s Applications was aborted`);
    return apps;
  }
}
