import type { AppStatus, SyncStatus } from "@flotilla/status";

/** Which Applications a listing keeps. Every filter given must hold; `clusters` empty means all. */
export interface AppFilter {
  appSet?: string;
  clusters: readonly string[];
  sync?: SyncStatus;
  health?: AppStatus["health"];
}

/** Where a page starts: strictly after this Application in the listing's order (cluster, appSet, application). */
export interface AppPosition {
  cluster: string;
  appSet: string;
  application: string;
}

/** An Application's place in the listing order; one comparison used by sorting and by the cursor. */
export function compareApps(a: AppPosition, b: AppPosition): number {
  return cmp(a.cluster, b.cluster) || cmp(a.appSet, b.appSet) || cmp(a.application, b.application);
}

// Code-unit order, the same in every locale and every Node: a cursor must mean the same position tomorrow.
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function matches(status: AppStatus, filter: AppFilter): boolean {
  return (
    (filter.appSet === undefined || status.appSet === filter.appSet) &&
    (filter.sync === undefined || status.sync === filter.sync) &&
    (filter.health === undefined || status.health === filter.health)
  );
}

/**
 * The clusters a listing reads, in order, from the cursor's cluster on: the filter's clusters (or all registered
 * ones), sorted and without repeats, so a page reads only the hashes it can take items from.
 */
export function clustersToRead(registered: readonly string[], filter: AppFilter, after?: AppPosition): string[] {
  const chosen = filter.clusters.length > 0 ? filter.clusters : registered;
  return [...new Set(chosen)].sort(cmp).filter((c) => after === undefined || c >= after.cluster);
}

/**
 * One cluster's statuses that belong on the page: filtered, in order, after the cursor. Pure, so paging is tested
 * on data.
 */
export function pageItemsOf(statuses: readonly AppStatus[], filter: AppFilter, after?: AppPosition): AppStatus[] {
  return statuses
    .filter((s) => matches(s, filter) && (after === undefined || compareApps(s, after) > 0))
    .sort(compareApps);
}

/** The opaque cursor naming the last item of a page; base64url JSON, so a client never builds one. */
export function encodeCursor(position: AppPosition): string {
  return Buffer.from(JSON.stringify([position.cluster, position.appSet, position.application])).toString("base64url");
}

/** The position a cursor names, or undefined when it is not one this API made. */
export function decodeCursor(cursor: string): AppPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    if (!parsed.every((p) => typeof p === "string" && p.length > 0 && p.length <= 253)) return undefined;
    const [cluster, appSet, application] = parsed as [string, string, string];
    return { cluster, appSet, application };
  } catch {
    return undefined;
  }
}

/**
 * A cheap test on a status's hash field and JSON text that says no only to what cannot match the filter, so the
 * listing parses what may. The ApplicationSet is the field's prefix; a status with sync or health X has the text
 * `"sync":"X"` (a resource's health may match too, which the exact check after parsing settles).
 */
export function mayMatch(filter: AppFilter): ((field: string, json: string) => boolean) | undefined {
  const prefix = filter.appSet === undefined ? undefined : `${filter.appSet}/`;
  const texts = [
    filter.sync === undefined ? undefined : `"sync":${JSON.stringify(filter.sync)}`,
    filter.health === undefined ? undefined : `"health":${JSON.stringify(filter.health)}`,
  ].filter((t): t is string => t !== undefined);
  if (prefix === undefined && texts.length === 0) return undefined;
  return (field, json) =>
    (prefix === undefined || field.startsWith(prefix)) && texts.every((text) => json.includes(text));
}
