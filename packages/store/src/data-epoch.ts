import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { StoreKeys } from "./keys.ts";

/**
 * A random id written once into an empty store. Every process that remembers it and later finds it gone or
 * different knows that Redis lost its data since (FLUSHALL, a restart without persistence, a failover to an
 * empty replica) — the one event after which "not in the registry" no longer means "removed by an operator".
 */
export class DataEpoch {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** The current epoch, starting a new one when there is none (the first process after a loss does). */
  async ensure(): Promise<string> {
    const fresh = randomBytes(8).toString("hex");
    // SET NX GET (Redis 7): one round trip, and exactly one of several racing processes starts the epoch.
    const previous = (await this.#redis.call("SET", this.#keys.dataEpoch, fresh, "NX", "GET")) as string | null;
    return previous ?? fresh;
  }

  /** The current epoch without starting one; undefined right after a loss. */
  async current(): Promise<string | undefined> {
    return (await this.#redis.get(this.#keys.dataEpoch)) ?? undefined;
  }
}
