import type { HealthStatus, SyncStatus } from "../api/types.ts";

/**
 * The matrix's filters, as the page's URL query carries them (so a view can be shared and reloaded) and as
 * `GET /api/v1/matrix` takes them: the same names, comma-separated lists.
 */
export interface MatrixFilters {
  /** A cluster label selector in kubectl syntax, passed to the API as typed (it parses and refuses it). */
  selector: string;
  appSets: string[];
  clusters: string[];
  sync: SyncStatus[];
  health: HealthStatus[];
}

export const SYNC_VALUES: readonly SyncStatus[] = ["Synced", "OutOfSync", "Error", "Unknown"];
export const HEALTH_VALUES: readonly HealthStatus[] = ["Healthy", "Progressing", "Degraded", "Missing", "Unknown"];

export const NO_FILTERS: MatrixFilters = { selector: "", appSets: [], clusters: [], sync: [], health: [] };

/** Longest selector kept from a URL; a longer one is a pasted accident, not a filter. */
const MAX_SELECTOR = 1024;
/** Most names kept per list: more than a person types, fewer than a hostile URL can hold. */
const MAX_NAMES = 100;
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function names(value: string | null): string[] {
  if (value === null) return [];
  const seen = new Set<string>();
  for (const part of value.split(",")) {
    const name = part.trim();
    if (NAME.test(name)) seen.add(name);
    if (seen.size >= MAX_NAMES) break;
  }
  return [...seen];
}

function members<T extends string>(value: string | null, allowed: readonly T[]): T[] {
  if (value === null) return [];
  const parts = new Set(value.split(",").map((p) => p.trim()));
  // In the contract's order, so two URLs naming the same set read back equal.
  return allowed.filter((v) => parts.has(v));
}

/**
 * A URL query → filters. Anything this page cannot use is dropped rather than sent on: unknown statuses, names
 * that are not Kubernetes names, an over-long selector, repeated parameters beyond the first.
 */
export function filtersFromQuery(search: string): MatrixFilters {
  const q = new URLSearchParams(search);
  const selector = (q.get("selector") ?? "").trim();
  return {
    selector: selector.length > MAX_SELECTOR || /[\r\n]/.test(selector) ? "" : selector,
    appSets: names(q.get("appSet")),
    clusters: names(q.get("cluster")),
    sync: members(q.get("sync"), SYNC_VALUES),
    health: members(q.get("health"), HEALTH_VALUES),
  };
}

/** Filters → a URL query (without `?`), empty fields left out, in a fixed order. */
export function queryFromFilters(f: MatrixFilters): string {
  const q = new URLSearchParams();
  if (f.selector !== "") q.set("selector", f.selector);
  if (f.appSets.length > 0) q.set("appSet", f.appSets.join(","));
  if (f.clusters.length > 0) q.set("cluster", f.clusters.join(","));
  if (f.sync.length > 0) q.set("sync", f.sync.join(","));
  if (f.health.length > 0) q.set("health", f.health.join(","));
  return q.toString();
}

/** Whether an Application's verdict passes the status filters (a live event for one that does not is left out). */
export function passesStatus(f: Pick<MatrixFilters, "sync" | "health">, v: { sync: SyncStatus; health: HealthStatus }) {
  return (f.sync.length === 0 || f.sync.includes(v.sync)) && (f.health.length === 0 || f.health.includes(v.health));
}

/** The comma list a person typed into a names field → the names kept (same rules as the URL). */
export const namesFromInput = (text: string): string[] => names(text);
