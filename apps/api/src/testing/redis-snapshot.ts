import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Every key under a prefix with a digest of its value (DUMP), so "nothing changed" is checked for values too, not
 * only for the key count: a refused request must not have touched a token, a cluster or a queue.
 */
export async function redisSnapshot(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${escapeGlob(prefix)}*`, "COUNT", 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  const snapshot = new Map<string, string>();
  for (const key of keys.sort()) {
    const dumped = await redis.dumpBuffer(key);
    snapshot.set(key, dumped === null ? "gone" : createHash("sha256").update(dumped).digest("hex"));
  }
  return snapshot;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
