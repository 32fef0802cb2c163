import { FENCE_CHECK, type FenceProof, LuaScript, rethrowFence } from "@flotilla/store";
import type { Redis } from "ioredis";

/**
 * The latest desired state of every Application with pending work, per cluster queue, apart from the jobs.
 * A BullMQ job's data is fixed once the job waits, so "latest wins" needs a place the worker reads at run time:
 * this hash. Each write takes a sequence number, so that "the state I applied is still the latest" can be
 * checked atomically when the work is done.
 */
export interface DesiredKeys {
  /** Hash: coalescing key → `<seq>|<work item JSON>`. */
  desired: string;
  /** String counter: sequence numbers, monotonic per queue. */
  seq: string;
}

export function desiredKeys(prefix: string, queueName: string): DesiredKeys {
  return { desired: `${prefix}:${queueName}:flotilla:desired`, seq: `${prefix}:${queueName}:flotilla:seq` };
}

/**
 * Fenced when the producer holds a lease (the generator): a producer that lost its lease records nothing, and an
 * enqueue adds a job only after its record, so it adds nothing either.
 * KEYS: fence (any key when unfenced), desired, seq. ARGV: fence token ("" = none), coalescing key, work item JSON.
 */
const RECORD = new LuaScript(
  `${FENCE_CHECK}
local s = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], ARGV[2], s .. '|' .. ARGV[3])
return s
`,
  3,
);

// Forget the record only if nothing newer was written since the worker read it; a newer state stays for the
// follow-up job that its enqueue arranged.
const SETTLE = new LuaScript(
  `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and string.sub(v, 1, #ARGV[2] + 1) == ARGV[2] .. '|' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0
`,
  1,
);

export interface DesiredRecord {
  seq: number;
  json: string;
}

/**
 * Stores a new desired state and returns its sequence number. Must happen before the job is added. With a fence,
 * throws StaleFenceError (and stores nothing) unless the fence is still current.
 */
export async function recordDesired(
  redis: Redis,
  keys: DesiredKeys,
  id: string,
  json: string,
  fence?: FenceProof,
): Promise<number> {
  try {
    const fenceKey = fence?.key ?? keys.seq;
    return Number(await RECORD.run(redis, [fenceKey, keys.desired, keys.seq], [fence?.token ?? "", id, json]));
  } catch (err) {
    rethrowFence(err, fence);
  }
}

export async function readDesired(redis: Redis, keys: DesiredKeys, id: string): Promise<DesiredRecord | undefined> {
  const value = await redis.hget(keys.desired, id);
  if (value === null) return undefined;
  const bar = value.indexOf("|");
  return { seq: Number(value.slice(0, bar)), json: value.slice(bar + 1) };
}

/** Marks `seq` as applied; true when it was the latest (the record is gone), false when a newer one is waiting. */
export async function settleDesired(redis: Redis, keys: DesiredKeys, id: string, seq: number): Promise<boolean> {
  return (await SETTLE.run(redis, [keys.desired], [id, String(seq)])) === 1;
}

/** How many Applications have desired state not yet applied on this queue's cluster. */
export async function pendingDesired(redis: Redis, keys: DesiredKeys): Promise<number> {
  return await redis.hlen(keys.desired);
}
