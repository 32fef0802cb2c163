import { parseServedReport, type StoreKeys } from "@flotilla/store";
import type { Redis } from "ioredis";
import type { PoolWorker } from "./cluster-reachability.ts";

/**
 * The pool workers' own membership records (written by the worker's Membership at each heartbeat), read-only: who
 * beat when, and what each reported serving (held, or being handed over). A report that does not parse counts as
 * holding nothing.
 */
export async function readPoolWorkers(
  redis: Redis,
  keys: Pick<StoreKeys, "poolWorkers" | "poolWorkerHoldings">,
): Promise<PoolWorker[]> {
  const [beats, reports] = await Promise.all([
    redis.zrange(keys.poolWorkers, 0, -1, "WITHSCORES"),
    redis.hgetall(keys.poolWorkerHoldings),
  ]);
  const workers: PoolWorker[] = [];
  for (let i = 0; i + 1 < beats.length; i += 2) {
    const id = beats[i]!;
    workers.push({ id, lastBeat: Number(beats[i + 1]), holds: parseServedReport(reports[id]) });
  }
  return workers;
}
