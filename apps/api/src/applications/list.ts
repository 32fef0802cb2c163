import type { AppStatus, StatusStore } from "@flotilla/status";
import { type AppFilter, type AppPosition, clustersToRead, encodeCursor, mayMatch, pageItemsOf } from "./page.ts";

export interface ListRequest {
  filter: AppFilter;
  limit: number;
  after?: AppPosition;
}

export interface ListDeps {
  status: Pick<StatusStore, "listClusters">;
  /** The registered clusters' names (one HKEYS), read when the filter names none. */
  clusterNames(): Promise<string[]>;
}

/**
 * Clusters whose hashes are read per round trip: few at first (a page of 100 unfiltered items needs two or three
 * clusters of 50), doubling up to the most, so a filter that matches little reads on in ever fewer round trips
 * until the page fills or the clusters run out.
 */
const FIRST_BATCH = 4;
const MOST_PER_BATCH = 64;

/** One page of the listing and the cursor of the next, if there is more. */
export async function listApplications(
  deps: ListDeps,
  request: ListRequest,
): Promise<{ items: AppStatus[]; next?: string }> {
  const { filter, limit, after } = request;
  const registered = filter.clusters.length > 0 ? [] : await deps.clusterNames();
  const clusters = clustersToRead(registered, filter, after);
  const keep = mayMatch(filter);
  const items: AppStatus[] = [];
  let more = false;
  for (
    let i = 0, size = FIRST_BATCH;
    i < clusters.length && !more;
    i += size, size = Math.min(size * 2, MOST_PER_BATCH)
  ) {
    const batch = clusters.slice(i, i + size);
    const statuses = await deps.status.listClusters(batch, keep === undefined ? {} : { keep });
    for (const [j, cluster] of batch.entries()) {
      const onCluster = statuses[j] ?? [];
      // A status whose cluster field disagrees with its hash is placed by its hash: that is where a cursor finds it.
      const placed = onCluster.map((s) => (s.cluster === cluster ? s : { ...s, cluster }));
      for (const status of pageItemsOf(placed, filter, after)) {
        if (items.length === limit) {
          more = true;
          break;
        }
        items.push(status);
      }
      if (more) break;
    }
  }
  const last = items.at(-1);
  return more && last !== undefined ? { items, next: encodeCursor(last) } : { items };
}
