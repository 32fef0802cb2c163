import { type AppStatus, applicationsOf, type FleetState, fleetSummary } from "@flotilla/status";
import type { RegisteredCluster } from "@flotilla/store";
import { describe, expect, it } from "vitest";
import { fleetSummaryText, problemsLine } from "./fleet-summary-format.ts";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const status = (application: string, cluster: string, over: Partial<AppStatus> = {}): AppStatus => ({
  appSet: "shop",
  application,
  cluster,
  sync: "Synced",
  health: "Healthy",
  revision: "a".repeat(40),
  lastSyncAt: "2026-12-01T10:00:00.000Z",
  resources: [],
  ...over,
});
const cluster = (name: string, mode: "agent" | "pool", lastSeen?: number): RegisteredCluster => ({
  name,
  server: `https://${name}:6443`,
  labels: {},
  annotations: {},
  mode,
  hasCredentials: mode === "pool",
  updatedAt: "2026-12-01T00:00:00.000Z",
  ...(lastSeen !== undefined && { lastSeen }),
});
const well: FleetState = {
  now: NOW,
  clusters: [cluster("dev", "agent", NOW - 1_000), cluster("prod", "agent", NOW - 1_000)],
  ...applicationsOf([status("web", "dev"), status("web", "prod")]),
  pendingDeletions: [],
  lostClusters: [],
  generations: [],
  holds: [],
  poolWorkers: [],
};

describe("fleetSummaryText (golden)", () => {
  it("a well fleet: the count lines and 'all is well'", () => {
    expect(fleetSummaryText(fleetSummary(well))).toBe(
      "2 Applications: 2 Synced, 0 OutOfSync, 0 Error; 2 Healthy, 0 Progressing, 0 Degraded, 0 Missing, 0 Unknown\n" +
        "2 clusters: 2 Connected, 0 HeartbeatStale, 0 NeverSeen, 0 Unserved\n" +
        "all is well\n",
    );
    expect(problemsLine(fleetSummary(well))).toBe("all is well");
  });

  it("every kind of problem, one kubectl-style table each", () => {
    const state: FleetState = {
      ...well,
      clusters: [
        ...well.clusters,
        cluster("edge", "agent", NOW - 3_600_000),
        cluster("new", "agent"),
        cluster("pool-a", "pool"),
      ],
      ...applicationsOf([
        status("web", "dev"),
        status("web", "prod"),
        status("api", "prod", {
          sync: "Error",
          lastError: { reason: "RenderFailed", message: "a.yaml: bad", at: "2026-12-01T10:00:00Z", retrying: false },
        }),
        status("cart", "dev", { sync: "OutOfSync", health: "Missing", syncMessage: "manual sync policy: waits" }),
        status("blog", "prod", { appSet: "blog", health: "Degraded", healthMessage: "0/1 available" }),
      ]),
      pendingDeletions: [
        {
          cluster: "prod",
          appSet: "shop",
          application: "old",
          preserveResources: false,
          attempts: 3,
          lastError: "ConfigMap/shop/old delete failed (forbidden)",
          since: Date.parse("2026-12-01T09:00:00Z"),
          lastAttemptAt: Date.parse("2026-12-01T09:10:00Z"),
          nextAttemptAt: Date.parse("2026-12-01T09:15:00Z"),
        },
      ],
      lostClusters: [
        { name: "gone", server: "https://gone:6443", lostAt: "2026-12-01T08:00:00.000Z", detectedBy: "pool-1" },
      ],
      generations: [
        {
          appSet: "edge",
          commit: "c".repeat(40),
          time: "2026-12-01T11:00:00.000Z",
          counts: { applications: 1, creates: 0, updates: 0, deletes: 0, unchanged: 1, errors: 1 },
          errors: [{ appSet: "edge", element: 1, application: "web-x", params: "name=x", message: "bad server" }],
          errorsTruncated: false,
        },
      ],
      holds: [
        {
          appSet: "shop",
          kind: "shrink",
          reason: "generation would delete 2 of 3 Application(s); held by the deletion guard",
          applications: [{ application: "a", cluster: "prod" }, { application: "b" }],
          since: "2026-12-01T11:30:00.000Z",
          commit: "d".repeat(40),
        },
      ],
    };
    const text = fleetSummaryText(fleetSummary(state, { limit: 2 }));
    expect(text).toBe(
      [
        "5 Applications: 3 Synced, 1 OutOfSync, 1 Error; 3 Healthy, 0 Progressing, 1 Degraded, 1 Missing, 0 Unknown",
        "5 clusters: 2 Connected, 1 HeartbeatStale, 1 NeverSeen, 1 Unserved",
        "",
        "3 Application(s) in Error, OutOfSync or Degraded:",
        "APPLICATION   APPSET   CLUSTER   SYNC     HEALTH     REVISION       LAST SYNC             MESSAGE",
        "api           shop     prod      Error    Healthy    aaaaaaaaaaaa   2026-12-01 10:00:00   RenderFailed: a.yaml: bad",
        "blog          blog     prod      Synced   Degraded   aaaaaaaaaaaa   2026-12-01 10:00:00   0/1 available",
        "… and 1 more (raise --limit to list them)",
        "",
        "1 ApplicationSet(s) whose last generation did not do all that Git asks:",
        "APPSET   COMMIT         AT                    PROBLEM",
        'edge     cccccccccccc   2026-12-01 11:00:00   element 1 [name=x] (Application "web-x"): bad server',
        "",
        "held: ApplicationSet shop (deletions held) since 2026-12-01 11:30:00, at dddddddddddd: 2 Application(s): a on prod, b",
        "  generation would delete 2 of 3 Application(s); held by the deletion guard",
        "",
        "1 pending deletion(s), retried until done or abandoned:",
        "APPLICATION   APPSET   CLUSTER   ATTEMPTS   SINCE                 NEXT TRY              LAST ERROR",
        "old           shop     prod      3          2026-12-01 09:00:00   2026-12-01 09:15:00   ConfigMap/shop/old delete failed (forbidden)",
        "",
        "1 pool cluster(s) lost with the Redis data: no worker serves them and their objects stay as they are; register each again with its credentials, under the same name and server:",
        "CLUSTER   SERVER              LOST SINCE            NOTICED BY",
        "gone      https://gone:6443   2026-12-01 08:00:00   pool-1",
        "",
        "1 pool cluster(s) no live pool worker serves: nothing syncs them until one does:",
        "CLUSTER   MODE   SERVER                REACHABILITY   LAST SEEN",
        "pool-a    pool   https://pool-a:6443   Unserved       never",
        "",
        "2 agent cluster(s) whose agent's heartbeat stopped or never came:",
        "CLUSTER   MODE    SERVER              REACHABILITY     LAST SEEN",
        "edge      agent   https://edge:6443   HeartbeatStale   2026-12-01 11:00:00",
        "new       agent   https://new:6443    NeverSeen        never",
        "",
      ].join("\n"),
    );
    expect(problemsLine(fleetSummary(state))).toBe(
      "3 unwell Application(s), 1 generation problem(s), 1 hold(s), 1 pending deletion(s), 1 lost cluster(s), " +
        "1 unserved cluster(s), 2 silent agent(s)",
    );
  });
});
