import type { Application } from "@flotilla/core";
import { promoteRollout, type Rollout, resumeRollout } from "@flotilla/rollout";
import type { Redis } from "ioredis";
import { FENCE_CHECK, type FenceOption, fenceArgs, rethrowFence } from "./fence.ts";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/**
 * A change a rollout holds back until its step starts. The Application store keeps the state in force (what
 * workers, re-syncs and sync requests read); the staged change is the next one, kept here until released.
 */
export type StagedChange =
  | {
      change: "update";
      application: Application;
      desiredDigest: string;
      /** The rendered source the job will name (opaque here: the queue package owns its shape). */
      source?: unknown;
      /** The ApplicationSet whose name this Application takes over (a rename), as the job would say. */
      adoptFrom?: string;
    }
  | { change: "delete"; application: string; cluster: string; preserveResources: boolean };

export type RolloutAction = "promote" | "resume";

/** An operator's action on a rollout, bound to that rollout, carried out by the generator's next tick. */
export interface RolloutRequest {
  action: RolloutAction;
  /** The rollout it was asked for: a request for a rollout that a newer commit superseded is dropped. */
  rollout: string;
  /** ISO time of the request. */
  at: string;
}

export type RequestOutcome = { ok: true; request: RolloutRequest } | { ok: false; problem: string };

/**
 * Replaces a rollout and everything it holds back, at once: a reader never sees a new rollout with the previous
 * one's staged changes. KEYS: fence, rollouts, staged, requests. ARGV: fence, appSet, rollout JSON, (name, staged
 * JSON)…
 */
const START = new LuaScript(
  `${FENCE_CHECK}
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('DEL', KEYS[3])
redis.call('HDEL', KEYS[4], ARGV[2])
local i = 4
while i <= #ARGV do
  local stop = math.min(#ARGV, i + 511)
  local chunk = {}
  while i <= stop do chunk[#chunk + 1] = ARGV[i]; i = i + 1 end
  redis.call('HSET', KEYS[3], unpack(chunk))
end
return 1
`,
  4,
);

/** KEYS: fence, rollouts. ARGV: fence, appSet, rollout JSON. */
const PUT = new LuaScript(
  `${FENCE_CHECK}
return redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
`,
  2,
);

/** KEYS: fence, rollouts, staged, requests. ARGV: fence, appSet. */
const CLEAR = new LuaScript(
  `${FENCE_CHECK}
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
redis.call('HDEL', KEYS[4], ARGV[2])
return 1
`,
  4,
);

/** Settles a request only if it is still the one read. KEYS: fence, requests. ARGV: fence, appSet, request JSON. */
const SETTLE = new LuaScript(
  `${FENCE_CHECK}
if redis.call('HGET', KEYS[2], ARGV[2]) == ARGV[3] then return redis.call('HDEL', KEYS[2], ARGV[2]) end
return 0
`,
  2,
);

/**
 * Each RollingSync ApplicationSet's rollout: its state (steps, Applications, condition), the changes it holds back,
 * and operators' requests. Written by the leading generator (fenced); read by everyone; the rollout survives a
 * generator restart or a change of leader because it lives here and not in a process.
 */
export class RolloutStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async get(appSet: string): Promise<Rollout | undefined> {
    const json = await this.#redis.hget(this.#keys.rollouts, appSet);
    return json === null ? undefined : (JSON.parse(json) as Rollout);
  }

  async list(): Promise<Rollout[]> {
    const all = await this.#redis.hvals(this.#keys.rollouts);
    return all.map((json) => JSON.parse(json) as Rollout).sort((a, b) => a.appSet.localeCompare(b.appSet));
  }

  /** The named staged changes, in order; undefined where none is staged. */
  async staged(appSet: string, names: readonly string[]): Promise<(StagedChange | undefined)[]> {
    if (names.length === 0) return [];
    const values = await this.#redis.hmget(this.#keys.rolloutStaged(appSet), ...names);
    return values.map((json) => (json === null ? undefined : (JSON.parse(json) as StagedChange)));
  }

  /** Starts (or supersedes with) a rollout: its state and the changes it holds back replace the previous ones. */
  async start(rollout: Rollout, staged: readonly StagedChange[], options: FenceOption = {}): Promise<void> {
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.rollouts);
    const args = [fenceArg, rollout.appSet, JSON.stringify(rollout)];
    for (const change of staged) {
      args.push(change.change === "update" ? change.application.metadata.name : change.application);
      args.push(JSON.stringify(change));
    }
    const keys = [fenceKey, this.#keys.rollouts, this.#keys.rolloutStaged(rollout.appSet), this.#keys.rolloutRequests];
    try {
      await START.run(this.#redis, keys, args);
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }

  /** Stores the rollout's new state (what the controller made of it). */
  async put(rollout: Rollout, options: FenceOption = {}): Promise<void> {
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.rollouts);
    try {
      await PUT.run(this.#redis, [fenceKey, this.#keys.rollouts], [fenceArg, rollout.appSet, JSON.stringify(rollout)]);
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }

  /** Forgets an ApplicationSet's rollout (it left Git, or no longer rolls out), with what it held back. */
  async clear(appSet: string, options: FenceOption = {}): Promise<void> {
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.rollouts);
    const keys = [fenceKey, this.#keys.rollouts, this.#keys.rolloutStaged(appSet), this.#keys.rolloutRequests];
    try {
      await CLEAR.run(this.#redis, keys, [fenceArg, appSet]);
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }

  /** Passes the manual gate the ApplicationSet's rollout waits at (carried out by the generator's next tick). */
  promote(appSet: string, now: Date = new Date()): Promise<RequestOutcome> {
    return this.#request(appSet, "promote", now);
  }

  /** Resumes a halted rollout past the Applications that halted it (carried out by the generator's next tick). */
  resume(appSet: string, now: Date = new Date()): Promise<RequestOutcome> {
    return this.#request(appSet, "resume", now);
  }

  async request(appSet: string): Promise<RolloutRequest | undefined> {
    const json = await this.#redis.hget(this.#keys.rolloutRequests, appSet);
    return json === null ? undefined : (JSON.parse(json) as RolloutRequest);
  }

  /** Removes a request once carried out (or found moot), unless another one replaced it meanwhile. */
  async settle(appSet: string, request: RolloutRequest, options: FenceOption = {}): Promise<void> {
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.rolloutRequests);
    try {
      await SETTLE.run(
        this.#redis,
        [fenceKey, this.#keys.rolloutRequests],
        [fenceArg, appSet, JSON.stringify(request)],
      );
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }

  /**
   * Checks the action against the rollout as it is now (so the operator hears at once why it cannot be done) and
   * records it for the generator, which owns the rollout's state and checks it again when carrying it out.
   */
  async #request(appSet: string, action: RolloutAction, now: Date): Promise<RequestOutcome> {
    const rollout = await this.get(appSet);
    if (rollout === undefined) return { ok: false, problem: `ApplicationSet ${appSet} has no rollout` };
    const check = action === "promote" ? promoteRollout(rollout, now) : resumeRollout(rollout, now);
    if (!check.ok) return check;
    const request: RolloutRequest = { action, rollout: rollout.id, at: now.toISOString() };
    await this.#redis.hset(this.#keys.rolloutRequests, appSet, JSON.stringify(request));
    return { ok: true, request };
  }
}
