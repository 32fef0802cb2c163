import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Fence } from "./fence.ts";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/**
 * SET NX PX takes a free lease; taking it advances the fencing counter in the same script, so every holder gets a
 * token larger than any before it. Re-acquiring a lease one already holds extends it and keeps the token.
 *
 * The counter must stay monotonic when Redis loses its data (FLUSHALL, a restart without persistence, a failover
 * to an empty replica): restarted at 1, it would sooner or later hand out a token a stale replica still holds, and
 * that replica's writes would pass. So a new token is the largest of: the stored counter + 1, the Redis server's
 * clock in microseconds (no two acquisitions fall in one microsecond, so the counter never runs ahead of the clock
 * and a token taken after a loss is larger than any taken before it; in milliseconds, two acquisitions a
 * millisecond apart around a loss could share a token), and the largest token this caller has seen + 1 (covers a
 * replacement Redis whose clock is behind). Microseconds since 1970 stay below 2^53, exact in Lua and JavaScript.
 * KEYS: lease, fence. ARGV: holder, ttl ms, largest token seen. Returns the fencing token, or 0 when someone else
 * holds it.
 */
const ACQUIRE = new LuaScript(
  `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local t = redis.call('TIME')
  local clock = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local stored = tonumber(redis.call('GET', KEYS[2]) or '0')
  local token = math.max(stored + 1, clock, tonumber(ARGV[3]) + 1)
  redis.call('SET', KEYS[2], string.format('%d', token))
  return token
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('GET', KEYS[2]) or '0')
end
return 0
`,
  2,
);

/** Compare-and-extend: only the holder whose token is stored may extend. KEYS: lease. ARGV: holder, ttl ms. */
const RENEW = new LuaScript(
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`,
  1,
);

/** Compare-and-delete, so a holder that lost the lease cannot release its successor's. KEYS: lease. ARGV: holder. */
const RELEASE = new LuaScript(
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
  1,
);

export interface LeaseOptions {
  /** How long a grant lasts without renewal. @defaultValue 15000 */
  ttlMs?: number;
  /**
   * Subtracted from the TTL when computing the local deadline, to absorb clock-rate differences and the time a
   * reply spends in flight. @defaultValue ttlMs / 10
   */
  safetyMarginMs?: number;
  /** Local monotonic clock in ms. @defaultValue `performance.now` */
  clock?: () => number;
}

export interface LeaseGrant {
  lease: string;
  /** Random token naming this holder; only it can renew or release. */
  holder: string;
  /** Fencing token: pass it with writes (`{ fence }`) so that a stale holder's writes are refused. */
  fence: number;
  /** Local clock time (see `LeaseOptions.clock`) after which this holder must assume it lost the lease. */
  deadline: number;
}

/** A named lease (leader election) with fencing tokens. */
export class Lease {
  readonly name: string;
  readonly ttlMs: number;
  readonly #redis: Redis;
  readonly #keys: StoreKeys;
  readonly #margin: number;
  readonly #clock: () => number;
  #largestSeen = 0;

  constructor(redis: Redis, keys: StoreKeys, name: string, options: LeaseOptions = {}) {
    this.name = name;
    this.#redis = redis;
    this.#keys = keys;
    this.ttlMs = options.ttlMs ?? 15_000;
    this.#margin = options.safetyMarginMs ?? Math.floor(this.ttlMs / 10);
    this.#clock = options.clock ?? (() => performance.now());
  }

  now(): number {
    return this.#clock();
  }

  /** Takes the lease if it is free (or already ours); undefined when another holder has it. */
  async acquire(holder: string = randomBytes(16).toString("hex")): Promise<LeaseGrant | undefined> {
    const sent = this.#clock();
    const fence = Number(
      await ACQUIRE.run(
        this.#redis,
        [this.#keys.lease(this.name), this.#keys.leaseFence(this.name)],
        [holder, this.ttlMs, this.#largestSeen],
      ),
    );
    if (fence === 0) return undefined;
    this.#largestSeen = Math.max(this.#largestSeen, fence);
    return { lease: this.name, holder, fence, deadline: this.#deadlineFrom(sent) };
  }

  /** Extends the grant; undefined when the lease is no longer this holder's (it expired and was taken, or released). */
  async renew(grant: LeaseGrant): Promise<LeaseGrant | undefined> {
    const sent = this.#clock();
    const ok = await RENEW.run(this.#redis, [this.#keys.lease(this.name)], [grant.holder, this.ttlMs]);
    return ok === 1 ? { ...grant, deadline: this.#deadlineFrom(sent) } : undefined;
  }

  /** Gives the lease up at once so another replica need not wait for the TTL. False when it was not ours. */
  async release(grant: LeaseGrant): Promise<boolean> {
    return (await RELEASE.run(this.#redis, [this.#keys.lease(this.name)], [grant.holder])) === 1;
  }

  /** The current fencing token (the latest holder's), for diagnostics. */
  async currentFence(): Promise<number> {
    return Number((await this.#redis.get(this.#keys.leaseFence(this.name))) ?? 0);
  }

  // Measured from when the request was sent: the server's TTL started no earlier than that.
  #deadlineFrom(sent: number): number {
    return sent + this.ttlMs - this.#margin;
  }
}

export function fenceOf(grant: LeaseGrant): Fence {
  return { lease: grant.lease, token: grant.fence };
}
