import type { RegisteredCluster } from "@flotilla/store";

/**
 * How a cluster is reached, as the fleet can tell without calling it. `Connected`: its agent's heartbeat is recent,
 * or a live pool worker holds it. `HeartbeatStale`: its agent beat once and stopped. `NeverSeen`: an agent cluster
 * whose agent never beat. `Unserved`: a pool cluster no live pool worker holds, so nobody syncs it.
 */
export type Reachability = "Connected" | "HeartbeatStale" | "NeverSeen" | "Unserved";

export const REACHABILITIES: readonly Reachability[] = ["Connected", "HeartbeatStale", "NeverSeen", "Unserved"];

/** A live pool worker (its heartbeat within the membership TTL) and the clusters it reported holding. */
export interface PoolWorker {
  id: string;
  /** Epoch ms of its last heartbeat. */
  lastBeat: number;
  holds: readonly string[];
}

export interface ReachabilityOptions {
  now: number;
  /** An agent heartbeat older than this is stale. */
  heartbeatStaleMs: number;
  /** Pool clusters some live worker holds. */
  served: ReadonlySet<string>;
}

export function reachabilityOf(
  cluster: Pick<RegisteredCluster, "mode" | "lastSeen" | "name">,
  options: ReachabilityOptions,
): Reachability {
  if (cluster.mode === "pool") return options.served.has(cluster.name) ? "Connected" : "Unserved";
  if (cluster.lastSeen === undefined) return "NeverSeen";
  return options.now - cluster.lastSeen > options.heartbeatStaleMs ? "HeartbeatStale" : "Connected";
}

/** The clusters some live pool worker holds; a worker whose heartbeat is older than `ttlMs` holds nothing. */
export function servedClusters(workers: readonly PoolWorker[], now: number, ttlMs: number): Set<string> {
  const served = new Set<string>();
  for (const w of workers) if (now - w.lastBeat <= ttlMs) for (const c of w.holds) served.add(c);
  return served;
}
