import { appKey, type FleetState, type FleetSummaryOptions, listedUnwell, readPoolWorkers } from "@flotilla/status";
import { storeKeys } from "@flotilla/store";
import type { ApiDeps } from "../deps.ts";

/**
 * Everything the fleet summary is computed from, read in one go: the registry, the Applications' verdicts and the
 * pending deletions of the clusters asked for (every registered one when none is named), and the fleet-wide
 * records; then the full statuses of only the unwell Applications the summary lists. The per-cluster reads go out
 * together, so 1,000 clusters cost one round of replies rather than 1,000 round trips, and 50,000 healthy
 * Applications cost 50,000 short strings, not 50,000 statuses to parse.
 */
export async function readFleetState(
  deps: Pick<ApiDeps, "redis" | "prefix" | "store" | "status">,
  options: FleetSummaryOptions & { clusters: readonly string[] },
): Promise<FleetState> {
  const now = Date.now();
  const registered = await deps.store.clusters.list();
  const names = options.clusters.length > 0 ? [...new Set(options.clusters)] : registered.map((c) => c.name);
  const [applications, pendingDeletions, lostClusters, generations, holds, poolWorkers] = await Promise.all([
    deps.status.verdicts(names),
    Promise.all(names.map((c) => deps.store.pendingDeletions.list(c))).then((all) => all.flat()),
    deps.store.lostClusters.list(),
    deps.store.generations.listGenerations(),
    deps.store.holds.list(),
    readPoolWorkers(deps.redis, storeKeys(deps.prefix)),
  ]);
  const listed = await deps.status.getMany(listedUnwell(applications, options));
  const details = new Map(listed.map((s) => [appKey(s), s]));
  return {
    now,
    clusters: registered,
    applications,
    details,
    pendingDeletions,
    lostClusters,
    generations,
    holds,
    poolWorkers,
  };
}
