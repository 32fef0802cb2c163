import type { Redis } from "ioredis";
import type { StoreKeys } from "./keys.ts";

/** A pool cluster whose record and credentials Redis lost: nothing can reach it until it is registered again. */
export interface LostCluster {
  name: string;
  /** The API server it was registered with, so that an operator knows which credentials to add back. */
  server: string;
  /** When the loss was noticed (ISO 8601). */
  lostAt: string;
  /** Who noticed it (a pool worker's id). */
  detectedBy: string;
}

/**
 * The record of lost pool clusters that `flotilla status` shows. Written by the pool worker that notices a data
 * loss, cleared when the cluster is registered again with credentials.
 */
export class LostClusterRecords {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async record(clusters: readonly LostCluster[]): Promise<void> {
    if (clusters.length === 0) return;
    await this.#redis.hset(this.#keys.lostClusters, ...clusters.flatMap((c) => [c.name, JSON.stringify(c)]));
  }

  /** Every lost cluster, by name. */
  async list(): Promise<LostCluster[]> {
    const all = await this.#redis.hgetall(this.#keys.lostClusters);
    return Object.keys(all)
      .sort()
      .map((name) => JSON.parse(all[name]!) as LostCluster);
  }

  async clear(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.#redis.hdel(this.#keys.lostClusters, ...names);
  }
}
