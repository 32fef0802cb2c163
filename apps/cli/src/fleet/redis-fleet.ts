import { StatusStore } from "@flotilla/status";
import { Redis } from "ioredis";
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
 * The workers' status store in Redis, read-only, for `flotilla history` (every other command asks the API).
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
  const status = new StatusStore(redis, { prefix: connection.prefix });
  return {
    fleet: {
      statuses: (cluster) => status.list(cluster),
      history: (ref, limit) => status.history(ref, limit),
      revisionAt: (ref, time) => status.revisionAt(ref, time),
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
