import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * A Lua script run by digest, sent in full only when Redis does not know it yet (after a restart or a
 * SCRIPT FLUSH). Kept local rather than ioredis `defineCommand` so that calls stay typed.
 */
export class LuaScript {
  readonly sha: string;
  readonly source: string;
  readonly numberOfKeys: number;

  constructor(source: string, numberOfKeys: number) {
    this.source = source;
    this.numberOfKeys = numberOfKeys;
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
    if (keys.length !== this.numberOfKeys) {
      throw new RangeError(`script expects ${this.numberOfKeys} keys, got ${keys.length}`);
    }
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
