import { type FleetState, readPoolWorkers } from "@flotilla/status";
import { storeKeys } from "@flotilla/store";
import type { ApiDeps } from "../deps.ts";

/**
 * Everything the fleet summary is computed from, read in one go: the registry, the statuses and pending deletions
 * of the clusters asked for (every registered one when none is named), and the fleet-wide records. The per-cluster
 * reads go out together, so 1,000 clusters cost one round of replies rather than 1,000 round trips.
 */
export async function readFleetState(
  deps: Pick<ApiDeps, "redis" | "prefix" | "store" | "status">,
  options: { clusters: readonly string[] },
): Promise<FleetState> {
  const now = Date.now();
  const registered = await deps.store.clusters.list();
  const names = options.clusters.length > 0 ? [...new Set(options.clusters)] : registered.map((c) => c.name);
  const [statuses, pendingDeletions, lostClusters, generations, holds, poolWorkers] = await Promise.all([
    Promise.all(names.map((c) => deps.status.list(c))).then((all) => all.flat()),
    Promise.all(names.map((c) => deps.store.pendingDeletions.list(c))).then((all) => all.flat()),
    deps.store.lostClusters.list(),
    deps.store.generations.listGenerations(),
    deps.store.holds.list(),
    readPoolWorkers(deps.redis, storeKeys(deps.prefix)),
  ]);
  return { now, clusters: registered, statuses, pendingDeletions, lostClusters, generations, holds, poolWorkers };
}
