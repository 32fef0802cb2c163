import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script run by digest, sent in full only when Redis does not know it yet. */
export class LuaScript {
  readonly sha: string;
  readonly source: string;
  readonly numberOfKeys: number;

  constructor(source: string, numberOfKeys: number) {
    this.source = source;
    this.numberOfKeys = numberOfKeys;
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const argv: (string | number)[] = [this.sha, keys.length, ...keys, ...args];
    try {
      return await redis.call("EVALSHA", argv);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      argv[0] = this.source;
      return await redis.call("EVAL", argv);
    }
  }
}
