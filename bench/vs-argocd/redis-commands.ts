// What a system asks of Redis: the server's own per-command counters (INFO commandstats), read before and after a
// phase. Both systems use the bench's one Redis (Flotilla for its store and queues, Argo CD as its cache), and
// nothing else does, so the difference is the system's. Scripts count once as EVALSHA, their commands again inside.
import type { Redis } from "ioredis";
import { requestsBetween } from "./api-requests.ts";

/** Calls by command name ("evalsha", "hgetall", …). */
export type CommandCounts = Map<string, number>;

/** `cmdstat_get:calls=12,usec=30,…` lines of INFO commandstats → calls by command; other lines are ignored. */
export function parseCommandStats(info: string): CommandCounts {
  const counts: CommandCounts = new Map();
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match?.[1] !== undefined) counts.set(match[1], Number(match[2]));
  }
  return counts;
}

export async function commandCounts(redis: Redis): Promise<CommandCounts> {
  return parseCommandStats(await redis.info("commandstats"));
}

/** after − before, largest first, zeros and the bench's own INFO calls left out. */
export function commandsBetween(before: CommandCounts, after: CommandCounts): Array<[string, number]> {
  return requestsBetween(before, after).filter(([name]) => name !== "info");
}
