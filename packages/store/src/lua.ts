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
    // -1: a script whose keys vary with its input (one per cluster, say) and which is given them all.
    if (this.numberOfKeys >= 0 && keys.length !== this.numberOfKeys) {
      throw new RangeError(`script expects ${this.numberOfKeys} keys, got ${keys.length}`);
    }
    // One array, not spread arguments: a 100,000-Application commit has more arguments than a JS call may take.
    const argv: (string | number | Buffer)[] = [this.sha, keys.length, ...keys];
    for (const a of args) argv.push(a);
    try {
      return await redis.call("EVALSHA", argv);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      argv[0] = this.source;
      return await redis.call("EVAL", argv);
    }
  }
}
