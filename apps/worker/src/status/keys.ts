/** An Application on a cluster: the unit every status, inventory and history record is kept for. */
export interface AppRef {
  cluster: string;
  appSet: string;
  application: string;
}

/**
 * The worker's Redis key layout, under the store's prefix. Status and inventory are one hash per cluster (one
 * HGETALL shows a cluster's state); history is one sorted set per Application, scored by time, so "what ran at T"
 * is a reverse range query.
 */
export interface StatusKeys {
  /** Hash: `<appSet>/<application>` → AppStatus JSON. */
  status(cluster: string): string;
  /** Hash: `<appSet>/<application>` → Inventory JSON (what the Application owns; the prune input). */
  inventory(cluster: string): string;
  /** Sorted set: HistoryEntry JSON scored by epoch ms. Append-only, trimmed only by length. */
  history(ref: AppRef): string;
  /** Hash: `<appSet>/<application>` → SyncRequest JSON (a manual sync asked for and not yet honoured). */
  syncRequests(cluster: string): string;
}

export function statusKeys(prefix: string): StatusKeys {
  return {
    status: (cluster) => `${prefix}status:${cluster}`,
    inventory: (cluster) => `${prefix}inventory:${cluster}`,
    history: (ref) => `${prefix}history:${ref.cluster}:${fieldOf(ref)}`,
    syncRequests: (cluster) => `${prefix}sync-requests:${cluster}`,
  };
}

/** The hash field naming an Application within its cluster's hashes. */
export function fieldOf(ref: Pick<AppRef, "appSet" | "application">): string {
  return `${ref.appSet}/${ref.application}`;
}

/** Every status, inventory, history and sync-request key of one cluster, as ACL glob patterns (see `agentReach`). */
export function statusKeyPatterns(prefix: string, cluster: string): string[] {
  const keys = statusKeys(prefix);
  return [keys.status(cluster), keys.inventory(cluster), `${prefix}history:${cluster}:*`, keys.syncRequests(cluster)];
}
