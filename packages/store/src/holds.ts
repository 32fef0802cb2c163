import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { FENCE_CHECK, type FenceOption, fenceArgs, rethrowFence } from "./fence.ts";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/** Why deletions wait: the generation shrank past the guard, or the ApplicationSet left Git. */
export type HoldKind = "shrink" | "removed";

export interface HeldApplication {
  application: string;
  /** The cluster it is on, when the store knows it. */
  cluster?: string;
}

/** Deletions that were due and did not happen: visible until they happen, are released, or dismissed. */
export interface HoldRecord {
  appSet: string;
  kind: HoldKind;
  reason: string;
  applications: HeldApplication[];
  /** ISO time the hold of this set of Applications began (kept while the same Applications stay held). */
  since: string;
  /** The fleet commit at which they were last found due. */
  commit: string;
}

/**
 * An operator's answer to a hold, carried out by the generator's next cycle. `release`: exactly these Applications
 * are deleted, even though the guard would hold them. `dismiss`: they are kept and this hold goes away (for a
 * removed ApplicationSet: its Applications are forgotten, their objects stay on the clusters).
 */
export interface HoldDecision {
  id: string;
  action: "release" | "dismiss";
  applications: string[];
  /** ISO time of the decision. */
  at: string;
}

/** KEYS: fence, holds. ARGV: fence, appSet, record JSON ("" = clear). */
const PUT = new LuaScript(
  `${FENCE_CHECK}
if ARGV[3] == '' then return redis.call('HDEL', KEYS[2], ARGV[2]) end
return redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
`,
  2,
);

/**
 * An operator's decision binds to the hold as it is at that instant: the names are copied from the record in the
 * same script, so a cycle that changed the hold meanwhile cannot widen what was released.
 * KEYS: holds, decisions. ARGV: appSet, action, ISO time, id. Returns the decision JSON, or false with no hold.
 */
const DECIDE = new LuaScript(
  `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return false end
local record = cjson.decode(json)
local names = {}
for i, held in ipairs(record.applications) do names[i] = held.application end
local decision = cjson.encode({ id = ARGV[4], action = ARGV[2], applications = names, at = ARGV[3] })
redis.call('HSET', KEYS[2], ARGV[1], decision)
return decision
`,
  2,
);

/** Removes a decision once carried out, unless a newer one replaced it. KEYS: fence, decisions. ARGV: fence, appSet, id. */
const SETTLE = new LuaScript(
  `${FENCE_CHECK}
local json = redis.call('HGET', KEYS[2], ARGV[2])
if not json then return 0 end
if cjson.decode(json).id ~= ARGV[3] then return 0 end
return redis.call('HDEL', KEYS[2], ARGV[2])
`,
  2,
);

function parseDecision(json: string): HoldDecision {
  const d = JSON.parse(json) as HoldDecision;
  // cjson writes an empty array as {}.
  return { ...d, applications: Array.isArray(d.applications) ? d.applications : [] };
}

/**
 * Held deletions, one record per ApplicationSet, written by the generator (fenced) and answered by an operator
 * (release or dismiss) through this store; the generator's next cycle carries the answer out.
 */
export class HoldStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** Every hold, by ApplicationSet name. */
  async list(): Promise<HoldRecord[]> {
    const all = await this.#redis.hgetall(this.#keys.holds);
    return Object.keys(all)
      .sort()
      .map((name) => JSON.parse(all[name]!) as HoldRecord);
  }

  async get(appSet: string): Promise<HoldRecord | undefined> {
    const json = await this.#redis.hget(this.#keys.holds, appSet);
    return json === null ? undefined : (JSON.parse(json) as HoldRecord);
  }

  /** Writes (replaces) the ApplicationSet's hold. */
  async put(record: HoldRecord, options: FenceOption = {}): Promise<void> {
    await this.#put(record.appSet, JSON.stringify(record), options);
  }

  /** The hold is no longer due (its deletions happened, were released, or Git wants the Applications again). */
  async clear(appSet: string, options: FenceOption = {}): Promise<void> {
    await this.#put(appSet, "", options);
  }

  /**
   * Asks the generator to delete exactly the Applications held now (it is triggered; the decision waits in Redis
   * if no generator runs); undefined when nothing is held.
   */
  async release(appSet: string, at: Date = new Date()): Promise<HoldDecision | undefined> {
    return await this.#decide(appSet, "release", at);
  }

  /** Asks the next generator cycle to keep the held Applications and drop the hold; undefined when nothing is held. */
  async dismiss(appSet: string, at: Date = new Date()): Promise<HoldDecision | undefined> {
    return await this.#decide(appSet, "dismiss", at);
  }

  /** Decisions waiting for the generator, by ApplicationSet. */
  async decisions(): Promise<Map<string, HoldDecision>> {
    const all = await this.#redis.hgetall(this.#keys.holdDecisions);
    return new Map(Object.entries(all).map(([name, json]) => [name, parseDecision(json)]));
  }

  /** Marks a decision carried out. */
  async settle(appSet: string, decision: HoldDecision, options: FenceOption = {}): Promise<void> {
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.holdDecisions);
    try {
      await SETTLE.run(this.#redis, [fenceKey, this.#keys.holdDecisions], [fenceArg, appSet, decision.id]);
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }

  /** The held names an operator dismissed for this ApplicationSet: kept, and not reported again as they are. */
  async dismissed(appSet: string): Promise<string[]> {
    const json = await this.#redis.hget(this.#keys.holdsDismissed, appSet);
    return json === null ? [] : (JSON.parse(json) as string[]);
  }

  /** Remembers (or, with an empty list, forgets) the dismissed names. */
  async setDismissed(appSet: string, names: readonly string[], options: FenceOption = {}): Promise<void> {
    const json = names.length === 0 ? "" : JSON.stringify([...names].sort());
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.holdsDismissed);
    try {
      await PUT.run(this.#redis, [fenceKey, this.#keys.holdsDismissed], [fenceArg, appSet, json]);
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }

  async #decide(appSet: string, action: HoldDecision["action"], at: Date): Promise<HoldDecision | undefined> {
    const json = (await DECIDE.run(
      this.#redis,
      [this.#keys.holds, this.#keys.holdDecisions],
      [appSet, action, at.toISOString(), randomUUID()],
    )) as string | null;
    if (json === null) return undefined;
    // The decision waits in Redis for whichever generator leads; this only saves it the wait for its next poll.
    const reason = `hold of ApplicationSet ${appSet} ${action === "release" ? "released" : "dismissed"}`;
    await this.#redis.publish(this.#keys.generatorTrigger, JSON.stringify({ reason }));
    return parseDecision(json);
  }

  async #put(appSet: string, json: string, options: FenceOption): Promise<void> {
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.holds);
    try {
      await PUT.run(this.#redis, [fenceKey, this.#keys.holds], [fenceArg, appSet, json]);
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }
}
