import { StatusStore } from "@flotilla/status";
import { openStore } from "@flotilla/store";
import { Redis } from "ioredis";
import pino from "pino";
import type { FleetReader } from "../commands/fleet-status.ts";

/** The fleet's Redis does not answer: nothing was read. */
export class FleetUnavailableError extends Error {
  override readonly name = "FleetUnavailableError";
}

export interface FleetConnection {
  url: string;
  prefix: string;
}

/**
 * The fleet's state in Redis, read-only: the registry for the cluster list, the workers' status store for the
 * Applications, the store for what else it records (pending deletions, lost clusters, generation records).
 */
export async function openFleet(connection: FleetConnection): Promise<{ fleet: FleetReader; close(): Promise<void> }> {
  // One attempt, quickly: a person at a terminal wants "cannot reach Redis", not a minute of retries.
  const redis = new Redis(connection.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new FleetUnavailableError(
      `cannot reach Redis at ${withoutPassword(connection.url)}: ${(err as Error).message}`,
    );
  }
  const store = await openStore({
    redis,
    prefix: connection.prefix,
    needsCredentials: false,
    log: pino({ level: "silent" }),
  });
  const status = new StatusStore(redis, { prefix: connection.prefix });
  return {
    fleet: {
      clusters: async () => (await store.clusters.list()).map((c) => c.name),
      statuses: (cluster) => status.list(cluster),
      pendingDeletions: (cluster) => store.pendingDeletions.list(cluster),
      lostClusters: () => store.lostClusters.list(),
      generations: () => store.generations.listGenerations(),
      holds: () => store.holds.list(),
    },
    close: async () => {
      await redis.quit();
    },
  };
}

/** The URL as it may be shown: a password in it never reaches a terminal or a log. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable Redis URL)";
  }
}
