/** A page of the fleet's clusters, by name. */
export interface ClusterPage<T> {
  items: T[];
  /** The cursor of the next page; absent on the last. */
  next?: string;
}

/**
 * The clusters after the cursor's name, at most `limit` of them (all when no limit): a fleet of thousands is
 * listed a page at a time, and only a page's clusters have their queues and contacts read. Pure, so paging is
 * tested on data; `clusters` are sorted by name, as the store lists them.
 */
export function pageOfClusters<T extends { name: string }>(
  clusters: readonly T[],
  options: { limit?: number; after?: string },
): ClusterPage<T> {
  const { limit, after } = options;
  const rest = after === undefined ? clusters : clusters.filter((c) => c.name > after);
  if (limit === undefined || rest.length <= limit) return { items: [...rest] };
  const items = rest.slice(0, limit);
  return { items, next: encodeClusterCursor(items[items.length - 1]!.name) };
}

/** The opaque cursor naming a page's last cluster; base64url JSON, so a client never builds one. */
export function encodeClusterCursor(name: string): string {
  return Buffer.from(JSON.stringify({ after: name })).toString("base64url");
}

/** The cluster name a cursor names, or undefined when it is not one this API made. */
export function decodeClusterCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const { after } = parsed as { after?: unknown };
    return typeof after === "string" && after.length > 0 && after.length <= 253 ? after : undefined;
  } catch {
    return undefined;
  }
}
