import { describe, expect, it } from "vitest";
import { describeRequests, parseRequestCounts, requestsBetween, totalRequests } from "./api-requests.ts";

const scrape = `# HELP apiserver_request_total [STABLE] Counter of apiserver requests
# TYPE apiserver_request_total counter
apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="configmaps",scope="resource",subresource="",verb="PATCH",version="v1"} 7
apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="configmaps",scope="resource",subresource="",verb="PATCH",version="v1"} 3
apiserver_request_total{code="200",component="apiserver",dry_run="",group="apps",resource="deployments",scope="resource",subresource="status",verb="PUT",version="v1"} 2
apiserver_request_total{code="200",component="",dry_run="",group="",resource="",scope="",subresource="/metrics",verb="GET",version=""} 1e+00
apiserver_request_duration_seconds_bucket{verb="PATCH",resource="configmaps",le="0.1"} 999
apiserver_request_total{verb="GET",resource="pods",odd="a \\"quoted\\" } value"} 4
apiserver_request_total{verb="GET",resource="pods"} NaN
`;

describe("parseRequestCounts", () => {
  it("sums the request counter by verb and resource, across codes and scrapes, and ignores other families", () => {
    const counts = parseRequestCounts(scrape);
    parseRequestCounts(scrape, counts);
    expect(Object.fromEntries(counts)).toEqual({
      "PATCH configmaps": 20,
      "PUT deployments/status": 4,
      "GET (no resource)//metrics": 2,
      "GET pods": 8,
    });
  });

  it("reads nothing from text that is not Prometheus exposition", () => {
    expect(parseRequestCounts("<html>apiserver_request_total</html>\n{}\n").size).toBe(0);
  });
});

describe("requestsBetween", () => {
  it("gives what grew, largest first", () => {
    const before = new Map([
      ["PATCH configmaps", 10],
      ["GET pods", 5],
    ]);
    const after = new Map([
      ["PATCH configmaps", 40],
      ["GET pods", 5],
      ["GET namespaces", 50],
    ]);
    const rows = requestsBetween(before, after);
    expect(rows).toEqual([
      ["GET namespaces", 50],
      ["PATCH configmaps", 30],
    ]);
    expect(totalRequests(rows)).toBe(80);
    expect(describeRequests(rows, 1)).toBe("GET namespaces 50, … (1 more)");
  });
});
