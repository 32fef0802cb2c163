// What a system asks of the API servers: kube-apiserver's own request counter (apiserver_request_total), read
// before and after a phase. The counter has no user-agent label, so the controllers' and KWOK's requests are in
// it too — the same for every system, as they run the same Deployments — and the differences are each system's.
import { samplesOf } from "@flotilla/metrics";
import { apiRequest, type Cluster } from "@flotilla/testbed";
import { readScrape } from "./scrape.ts";

/** Requests by "VERB resource[/subresource]", summed over clusters. */
export type RequestCounts = Map<string, number>;

/** Sums apiserver_request_total from Prometheus text by verb and resource; other families are ignored. */
export function parseRequestCounts(text: string, into: RequestCounts = new Map()): RequestCounts {
  for (const { labels, value } of samplesOf(readScrape(text), "apiserver_request_total")) {
    if (!Number.isFinite(value)) continue;
    const resource = labels["resource"] || "(no resource)";
    const sub = labels["subresource"];
    const key = `${labels["verb"] ?? "?"} ${resource}${sub ? `/${sub}` : ""}`;
    into.set(key, (into.get(key) ?? 0) + value);
  }
  return into;
}

export async function requestCounts(clusters: readonly Cluster[]): Promise<RequestCounts> {
  const counts: RequestCounts = new Map();
  for (const text of await Promise.all(
    clusters.map(async (c) => {
      const res = await apiRequest(c.info, "/metrics", { timeoutMs: 30_000 });
      if (res.status !== 200) throw new Error(`${c.name}: GET /metrics answered ${res.status}`);
      return res.body;
    }),
  )) {
    parseRequestCounts(text, counts);
  }
  return counts;
}

/** after − before, largest first, zeros left out. */
export function requestsBetween(before: RequestCounts, after: RequestCounts): Array<[string, number]> {
  return Array.from(after, ([key, n]) => [key, n - (before.get(key) ?? 0)] as [string, number])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

export const totalRequests = (rows: ReadonlyArray<[string, number]>): number => rows.reduce((s, [, n]) => s + n, 0);

/** "PATCH configmaps 1000, GET namespaces 1000, …": the largest `top`, for a log line. */
export function describeRequests(rows: ReadonlyArray<[string, number]>, top = 40): string {
  const shown = rows.slice(0, top).map(([key, n]) => `${key} ${n}`);
  return rows.length > top ? `${shown.join(", ")}, … (${rows.length - top} more)` : shown.join(", ");
}
