import type { Redis } from "ioredis";
import { FENCE_CHECK, type FenceOption, fenceArgs, rethrowFence } from "./fence.ts";
import type { GenerationRecord } from "./generation-record.ts";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/**
 * Writes the record and announces it on the status event stream (kind `generation`), so the API's event stream
 * tells its clients; the entry names the ApplicationSet only, readers re-read the record.
 * KEYS: fence, generations, status events. ARGV: fence, appSet, record JSON ("" = remove), events maxlen.
 */
const PUT = new LuaScript(
  `${FENCE_CHECK}
local written
if ARGV[3] == '' then written = redis.call('HDEL', KEYS[2], ARGV[2])
else written = redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'kind', 'generation', 'appSet', ARGV[2])
return written
`,
  3,
);

/** Entries the status event stream keeps; the same cap as the status store's. */
const EVENTS_MAX_LEN = 10_000;

/** One generation record per ApplicationSet: the latest one replaces the previous. */
export class GenerationStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async record(record: GenerationRecord, options: FenceOption = {}): Promise<void> {
    await this.#put(record.appSet, JSON.stringify(record), options);
  }

  async getGeneration(appSet: string): Promise<GenerationRecord | undefined> {
    const json = await this.#redis.hget(this.#keys.generations, appSet);
    return json === null ? undefined : (JSON.parse(json) as GenerationRecord);
  }

  /** Every record, sorted by ApplicationSet name. */
  async listGenerations(): Promise<GenerationRecord[]> {
    const all = await this.#redis.hgetall(this.#keys.generations);
    return Object.keys(all)
      .sort()
      .map((name) => JSON.parse(all[name]!) as GenerationRecord);
  }

  /** Forgets an ApplicationSet that left Git. */
  async remove(appSet: string, options: FenceOption = {}): Promise<void> {
    await this.#put(appSet, "", options);
  }

  async #put(appSet: string, json: string, options: FenceOption): Promise<void> {
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.generations);
    try {
      await PUT.run(
        this.#redis,
        [fenceKey, this.#keys.generations, this.#keys.statusEvents],
        [fenceArg, appSet, json, EVENTS_MAX_LEN],
      );
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }
}
