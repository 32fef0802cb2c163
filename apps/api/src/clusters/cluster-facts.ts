import { mapLimit } from "@flotilla/core";
import { type HoldRecord, type RegisteredCluster, readHoldingsReport } from "@flotilla/store";
import type { ApiDeps } from "../deps.ts";
import type { ClusterFacts } from "./cluster-view.ts";

/** Queue counts read at once when listing a fleet: each is a few Redis calls. */
const QUEUE_READS = 16;

/**
 * Everything `clusterView` judges, for many clusters in a few round trips: contacts, pool holdings, Application
 * counts in one pipeline each; the queue counts per cluster (BullMQ's own); the holds once, only when some cluster
 * is being removed.
 */
export async function readClusterFacts(
  deps: Pick<ApiDeps, "redis" | "store" | "queues">,
  clusters: readonly RegisteredCluster[],
): Promise<ClusterFacts[]> {
  const names = clusters.map((c) => c.name);
  const keys = deps.store.keys;
  const [contacts, applications, live, reports] = await Promise.all([
    deps.store.clusterContacts.get(names),
    deps.store.clusterApplications.counts(names),
    deps.redis.zrange(keys.poolWorkers, 0, -1),
    deps.redis.hgetall(keys.poolWorkerHoldings),
  ]);
  const holders = holdersByCluster(new Set(live), reports);
  const removing = clusters.filter((c) => c.removing !== undefined);
  const holds: HoldRecord[] = removing.length > 0 ? await deps.store.holds.list() : [];
  const remaining = new Map<string, number>();
  for (const c of removing) {
    const left = await deps.store.clusterApplications.leftovers(c.name);
    remaining.set(c.name, Math.max(left.owned, left.statuses) + left.pendingDeletions);
  }
  const queues = await mapLimit(names, QUEUE_READS, async (name) => {
    const c = await deps.queues.counts(name);
    return { waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed };
  });
  const now = Date.now();
  return clusters.map((cluster, i) => ({
    cluster,
    contact: contacts[i],
    holders: holders.get(cluster.name) ?? [],
    queue: queues[i]!,
    applications: applications[i] ?? 0,
    remaining: remaining.get(cluster.name) ?? 0,
    holds,
    now,
  }));
}

/**
 * Cluster → the live pool workers whose last report says they hold it; for a cluster being handed over that no one
 * holds yet, the worker handing it over (it still drains its jobs).
 */
function holdersByCluster(live: ReadonlySet<string>, reports: Record<string, string>): Map<string, string[]> {
  const holding = new Map<string, string[]>();
  const leaving = new Map<string, string[]>();
  const add = (to: Map<string, string[]>, cluster: string, worker: string) =>
    (to.get(cluster) ?? to.set(cluster, []).get(cluster)!).push(worker);
  for (const [worker, json] of Object.entries(reports)) {
    if (!live.has(worker)) continue;
    const report = readHoldingsReport(json);
    for (const cluster of report.held) add(holding, cluster, worker);
    for (const cluster of report.leaving) add(leaving, cluster, worker);
  }
  for (const [cluster, workers] of leaving) if (!holding.has(cluster)) holding.set(cluster, workers);
  return holding;
}
