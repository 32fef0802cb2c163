import { holdingsReport, parseHoldingsReport, type StoreKeys } from "@flotilla/store";
import type { Redis } from "ioredis";
import type { WorkerHoldings } from "./balance.ts";

/**
 * The live pool workers: a sorted set of worker ids scored by their last heartbeat, and beside it what each
 * reported holding at that heartbeat. A worker that stops beating drops out after `ttlMs`, which is what lets the
 * others take its clusters. The reports let every worker compute the same split (`assignClusters`) without
 * asking the others.
 */
export class Membership {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #heldKey: string;
  readonly #workerId: string;
  readonly #ttlMs: number;

  constructor(
    redis: Redis,
    keys: Pick<StoreKeys, "poolWorkers" | "poolWorkerHoldings">,
    workerId: string,
    ttlMs: number,
  ) {
    this.#redis = redis;
    this.#key = keys.poolWorkers;
    this.#heldKey = keys.poolWorkerHoldings;
    this.#workerId = workerId;
    this.#ttlMs = ttlMs;
  }

  /**
   * Records this worker as alive, holding `held`, and returns every live worker (itself included) with what it
   * last reported holding, sorted by id.
   */
  async beat(
    held: readonly string[],
    now: number = Date.now(),
    leaving: readonly string[] = [],
  ): Promise<WorkerHoldings[]> {
    const result = await this.#redis
      .multi()
      .zadd(this.#key, now, this.#workerId)
      .hset(this.#heldKey, this.#workerId, holdingsReport(held, leaving))
      .zremrangebyscore(this.#key, "-inf", now - this.#ttlMs)
      .zrange(this.#key, 0, -1)
      .hgetall(this.#heldKey)
      .exec();
    const failed = result?.find(([err]) => err !== null)?.[0];
    if (result === null || failed) throw failed ?? new Error("pool membership heartbeat was aborted");
    const live = new Set(result[3]?.[1] as string[]);
    live.add(this.#workerId);
    const reports = result[4]?.[1] as Record<string, string>;
    // A worker that died without leaving keeps its report until someone notices it is no longer live.
    const dead = Object.keys(reports).filter((id) => !live.has(id));
    if (dead.length > 0) await this.#redis.hdel(this.#heldKey, ...dead);
    return [...live]
      .sort()
      .map((id) => ({ id, held: id === this.#workerId ? [...held] : parseHoldingsReport(reports[id]) }));
  }

  /**
   * Says what this worker holds now, between heartbeats: a cluster it just took shows as served at once, not a
   * tick later (a fleet that converged in less than a tick would otherwise be reported Unserved).
   */
  async report(held: readonly string[], leaving: readonly string[] = []): Promise<void> {
    await this.#redis.hset(this.#heldKey, this.#workerId, holdingsReport(held, leaving));
  }

  /** Leaves at once, so the others need not wait for the TTL to take its clusters. */
  async leave(): Promise<void> {
    await this.#redis.multi().zrem(this.#key, this.#workerId).hdel(this.#heldKey, this.#workerId).exec();
  }
}
