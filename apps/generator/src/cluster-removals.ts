import type { ClusterQueueCounts } from "@flotilla/queue";
import type { Store } from "@flotilla/store";
import type { Logger } from "pino";

export interface ClusterRemovalDeps {
  store: Pick<Store, "clusters" | "clusterApplications" | "agentUsers">;
  /** The cluster's queue as it stands. */
  queueCounts: (cluster: string) => Promise<ClusterQueueCounts>;
  logger: Logger;
}

/**
 * Ends the removals whose work is done: a cluster being removed goes from the registry (with its agent's Redis
 * user) once nothing of it is left — no Application in force or waiting for its delete, no status or inventory a
 * worker has not cleared, no failed delete being retried, no job queued or running. A removal held by the
 * deletion guard waits here until an operator releases or dismisses the hold. Returns the clusters removed.
 */
export async function finishClusterRemovals(deps: ClusterRemovalDeps): Promise<string[]> {
  const removed: string[] = [];
  for (const cluster of await deps.store.clusters.list()) {
    if (cluster.removing === undefined) continue;
    const log = deps.logger.child({ cluster: cluster.name });
    const left = await deps.store.clusterApplications.leftovers(cluster.name);
    const queue = await deps.queueCounts(cluster.name);
    const busy = queue.waiting + queue.active + queue.delayed;
    if (left.owned + left.statuses + left.inventories + left.pendingDeletions + busy > 0) {
      log.debug({ ...left, queued: busy }, "cluster removal waits for its Applications to be deleted");
      continue;
    }
    await deps.store.clusters.remove(cluster.name);
    if (cluster.mode === "agent") {
      await deps.store.agentUsers
        .remove(cluster.name)
        .catch((err: unknown) => log.warn({ err }, "agent's Redis user not removed; remove it with ACL DELUSER"));
    }
    log.info({ since: cluster.removing.since }, "cluster removal finished; its record is gone");
    removed.push(cluster.name);
  }
  return removed;
}
