import type { Redis } from "ioredis";

/**
 * The live pool workers: a sorted set of worker ids scored by their last heartbeat. A worker that stops beating
 * drops out after `ttlMs`, which is what lets the others grow their share and take its clusters.
 */
export class Membership {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #workerId: string;
  readonly #ttlMs: number;

  constructor(redis: Redis, key: string, workerId: string, ttlMs: number) {
    this.#redis = redis;
    this.#key = key;
    this.#workerId = workerId;
    this.#ttlMs = ttlMs;
  }

  /** Records this worker as alive and returns how many workers are (itself included). */
  async beat(now: number = Date.now()): Promise<number> {
    const result = await this.#redis
      .multi()
      .zadd(this.#key, now, this.#workerId)
      .zremrangebyscore(this.#key, "-inf", now - this.#ttlMs)
      .zcard(this.#key)
      .exec();
    const count = result?.[2]?.[1];
    return typeof count === "number" ? count : 1;
  }

  /** Leaves at once, so the others need not wait for the TTL to grow their share. */
  async leave(): Promise<void> {
    await this.#redis.zrem(this.#key, this.#workerId);
  }
}
