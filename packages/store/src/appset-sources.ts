import type { ApplicationSet } from "@flotilla/core";
import type { Redis } from "ioredis";
import { FENCE_CHECK, type FenceOption, fenceArgs, rethrowFence } from "./fence.ts";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/**
 * An ApplicationSet as the generator last read it from the fleet repository: where it came from and what it says
 * (generators, template, sync policy), so that the API and the dashboard show it without reading Git.
 */
export interface AppSetSource {
  appSet: string;
  /** Path of the file in the fleet repository. */
  file: string;
  /** The fleet commit it was read at. */
  commit: string;
  /** The ApplicationSet as parsed (validated) from that file. */
  spec: ApplicationSet;
}

/** KEYS: fence, appSetSources. ARGV: fence, appSet, JSON ("" = remove). */
const PUT = new LuaScript(
  `${FENCE_CHECK}
if ARGV[3] == '' then return redis.call('HDEL', KEYS[2], ARGV[2]) end
return redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
`,
  2,
);

/** One source record per ApplicationSet, written by the generator (fenced) and read by the API. */
export class AppSetSourceStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async put(source: AppSetSource, options: FenceOption = {}): Promise<void> {
    await this.#put(source.appSet, JSON.stringify(source), options);
  }

  async get(appSet: string): Promise<AppSetSource | undefined> {
    const json = await this.#redis.hget(this.#keys.appSetSources, appSet);
    return json === null ? undefined : (JSON.parse(json) as AppSetSource);
  }

  /** Every source record, by ApplicationSet name. */
  async list(): Promise<Map<string, AppSetSource>> {
    const all = await this.#redis.hgetall(this.#keys.appSetSources);
    return new Map(Object.entries(all).map(([name, json]) => [name, JSON.parse(json) as AppSetSource]));
  }

  /** Forgets an ApplicationSet that left Git and has nothing left in force. */
  async remove(appSet: string, options: FenceOption = {}): Promise<void> {
    await this.#put(appSet, "", options);
  }

  async #put(appSet: string, json: string, options: FenceOption): Promise<void> {
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.appSetSources);
    try {
      await PUT.run(this.#redis, [fenceKey, this.#keys.appSetSources], [fenceArg, appSet, json]);
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }
}
