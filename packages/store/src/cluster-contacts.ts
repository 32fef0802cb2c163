import type { Redis } from "ioredis";
import type { ClusterContact } from "./cluster-types.ts";
import type { StoreKeys } from "./keys.ts";

/**
 * The pool workers' last contact with each cluster they serve. Expires on its own, so a contact written after its
 * cluster was removed (a probe still in flight) does not outlive it for long, and no contact means nobody looked.
 */
export class ClusterContacts {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;
  readonly #ttlMs: number;

  constructor(redis: Redis, keys: StoreKeys, ttlMs = 10 * 60_000) {
    this.#redis = redis;
    this.#keys = keys;
    this.#ttlMs = ttlMs;
  }

  async record(cluster: string, contact: ClusterContact): Promise<void> {
    await this.#redis.set(this.#keys.clusterContact(cluster), JSON.stringify(contact), "PX", this.#ttlMs);
  }

  /** The last contact with each cluster, in the given order; undefined where none is known. */
  async get(clusters: readonly string[]): Promise<(ClusterContact | undefined)[]> {
    if (clusters.length === 0) return [];
    const values = await this.#redis.mget(clusters.map((c) => this.#keys.clusterContact(c)));
    return values.map((json) => {
      if (json === null) return undefined;
      try {
        return JSON.parse(json) as ClusterContact;
      } catch {
        return undefined;
      }
    });
  }
}
