import type { Redis } from "ioredis";
import { FENCE_CHECK, type FenceOption, fenceArgs, rethrowFence } from "./fence.ts";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/** KEYS: fence, sizes. ARGV: fence, epoch ms, size, oldest epoch ms kept ("" = reset: forget every size). */
const RECORD = new LuaScript(
  `${FENCE_CHECK}
if ARGV[4] == '' then return redis.call('DEL', KEYS[2]) end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[2] .. ':' .. ARGV[3])
return redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
`,
  2,
);

/**
 * The sizes each ApplicationSet's generation had over time: the deletion guard's baseline is the largest of them
 * within its window, so that a shrink in steps adds up instead of passing one step at a time. A size is recorded
 * when it is about to change, so the size in force until then is never lost from the window.
 */
export class GenerationSizeStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** The largest size recorded at or after `since`; 0 when none was. */
  async largestSince(appSet: string, since: Date): Promise<number> {
    const members = await this.#redis.zrangebyscore(this.#keys.generationSizes(appSet), since.getTime(), "+inf");
    return members.reduce((max, m) => Math.max(max, Number(m.slice(m.indexOf(":") + 1))), 0);
  }

  /** Records `size` as in force at `at`, and forgets sizes older than `windowMs`. */
  async record(appSet: string, size: number, at: Date, windowMs: number, options: FenceOption = {}): Promise<void> {
    const t = at.getTime();
    await this.#run(appSet, [String(t), String(size), String(t - windowMs)], options);
  }

  /** Forgets every size: after an operator released a shrink, the size left is the new whole. */
  async reset(appSet: string, options: FenceOption = {}): Promise<void> {
    await this.#run(appSet, ["", "", ""], options);
  }

  async #run(appSet: string, args: string[], options: FenceOption): Promise<void> {
    const key = this.#keys.generationSizes(appSet);
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, key);
    try {
      await RECORD.run(this.#redis, [fenceKey, key], [fenceArg, ...args]);
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }
}
