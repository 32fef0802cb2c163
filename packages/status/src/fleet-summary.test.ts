import type { GenerationRecord, HoldRecord, LostCluster, PendingDeletion, RegisteredCluster } from "@flotilla/store";
import { describe, expect, it } from "vitest";
import { applicationsOf, type FleetState, fleetSummary, listedUnwell } from "./fleet-summary.ts";
import type { AppStatus } from "./types.ts";

const NOW = Date.parse("2026-12-01T12:00:00Z");

const status = (application: string, cluster: string, over: Partial<AppStatus> = {}): AppStatus => ({
  appSet: "shop",
  application,
  cluster,
  sync: "Synced",
  health: "Healthy",
  revision: "a".repeat(40),
  lastSyncAt: "2026-11-24T21:00:00.000Z",
  resources: [{ id: "apps/Deployment/web/web", action: "unchanged", health: "Healthy" }],
  ...over,
});

const agent = (name: string, lastSeen: number | null = NOW - 1_000): RegisteredCluster => ({
  name,
  server: `https://${name}:6443`,
  labels: {},
  annotations: {},
  mode: "agent",
  hasCredentials: false,
  updatedAt: "2026-12-01T00:00:00.000Z",
  ...(lastSeen !== null && { lastSeen }),
});

const pool = (name: string): RegisteredCluster => ({ ...agent(name, null), mode: "pool", hasCredentials: true });

const state = ({ statuses, ...over }: Partial<FleetState> & { statuses?: AppStatus[] } = {}): FleetState => ({
  now: NOW,
  clusters: [agent("dev"), agent("prod")],
  ...applicationsOf(statuses ?? [status("web-prod", "prod"), status("web-dev", "dev")]),
  pendingDeletions: [],
  lostClusters: [],
  generations: [],
  holds: [],
  poolWorkers: [],
  ...over,
});

const owed: PendingDeletion = {
  cluster: "prod",
  appSet: "shop",
  application: "cart-prod",
  preserveResources: false,
  attempts: 9,
  lastError: "ConfigMap/shop/cart delete failed (forbidden)",
  since: Date.parse("2026-11-24T20:00:00Z"),
  lastAttemptAt: Date.parse("2026-11-24T20:30:00Z"),
  nextAttemptAt: Date.parse("2026-11-24T20:35:00Z"),
};

const record = (appSet: string, over: Partial<GenerationRecord> = {}): GenerationRecord => ({
  appSet,
  commit: "c".repeat(40),
  time: "2026-11-24T21:30:00.000Z",
  counts: { applications: 2, creates: 0, updates: 0, deletes: 0, unchanged: 2, errors: 0 },
  errors: [],
  errorsTruncated: false,
  ...over,
});

describe("fleetSummary", () => {
  it("counts Applications by sync and health and clusters by reachability; well when nothing is wrong", () => {
    const summary = fleetSummary(state());
    expect(summary).toEqual({
      well: true,
      applications: {
        total: 2,
        sync: { Synced: 2, OutOfSync: 0, Error: 0 },
        health: { Healthy: 2, Progressing: 0, Degraded: 0, Missing: 0, Unknown: 0 },
      },
      clusters: { total: 2, reachability: { Connected: 2, HeartbeatStale: 0, NeverSeen: 0, Unserved: 0 } },
      problems: {
        applications: { count: 0, items: [] },
        generations: [],
        holds: [],
        pendingDeletions: [],
        lostClusters: [],
        unservedClusters: [],
        staleAgents: [],
      },
    });
  });

  it("lists Error, OutOfSync and Degraded Applications by name with why, capped, with the exact count", () => {
    const statuses = [
      status("b-err", "prod", {
        sync: "Error",
        lastError: { reason: "RenderFailed", message: "a.yaml: bad", at: "2026-11-24T21:00:00Z", retrying: true },
      }),
      status("a-manual", "prod", { sync: "OutOfSync", health: "Missing", syncMessage: "manual sync policy: waits" }),
      status("c-degraded", "dev", { health: "Degraded", healthMessage: "0/1 replicas available" }),
      status("d-progressing", "dev", { health: "Progressing" }),
      status("e-fine", "dev"),
    ];
    const summary = fleetSummary(state({ statuses }), { limit: 2 });
    expect(summary.well).toBe(false);
    expect(summary.applications.sync).toEqual({ Synced: 3, OutOfSync: 1, Error: 1 });
    expect(summary.applications.health).toMatchObject({ Healthy: 2, Degraded: 1, Progressing: 1, Missing: 1 });
    expect(summary.problems.applications.count).toBe(3);
    expect(summary.problems.applications.items).toEqual([
      {
        appSet: "shop",
        application: "a-manual",
        cluster: "prod",
        sync: "OutOfSync",
        health: "Missing",
        revision: "a".repeat(40),
        lastSyncAt: "2026-11-24T21:00:00.000Z",
        message: "manual sync policy: waits",
      },
      expect.objectContaining({ application: "b-err", message: "RenderFailed: a.yaml: bad (retrying)" }),
    ]);
    const all = fleetSummary(state({ statuses }));
    expect(all.problems.applications.items.map((a) => [a.application, a.message])).toEqual([
      ["a-manual", "manual sync policy: waits"],
      ["b-err", "RenderFailed: a.yaml: bad (retrying)"],
      ["c-degraded", "0/1 replicas available"],
    ]);
  });

  it("lists only unwell Applications whose status it has; one gone between the reads is counted, not listed", () => {
    const broken = status("api", "prod", { sync: "Error" });
    const summary = fleetSummary({ ...state(), applications: [broken], details: new Map() });
    expect(summary.problems.applications).toEqual({ count: 1, items: [] });
    expect(listedUnwell([broken, status("web", "dev")], { limit: 5 })).toEqual([broken]);
    expect(listedUnwell([broken], { limit: 0 })).toEqual([]);
  });

  it("filters by cluster and ApplicationSet: counts, Applications and deletions alike", () => {
    const statuses = [
      status("api-prod", "prod", { sync: "Error" }),
      status("web-dev", "dev", { sync: "Error" }),
      status("blog-prod", "prod", { appSet: "blog", sync: "Error" }),
    ];
    const pendingDeletions = [owed, { ...owed, appSet: "blog", application: "x" }, { ...owed, cluster: "dev" }];
    const summary = fleetSummary(state({ statuses, pendingDeletions }), { clusters: ["prod"], appSet: "shop" });
    expect(summary.applications.total).toBe(1);
    expect(summary.clusters.total).toBe(1);
    expect(summary.problems.applications.items.map((a) => a.application)).toEqual(["api-prod"]);
    expect(summary.problems.pendingDeletions).toEqual([owed]);
  });

  it("a hold makes the fleet unwell until decided; held records are filtered by ApplicationSet", () => {
    const hold: HoldRecord = {
      appSet: "shop",
      kind: "removed",
      reason: "ApplicationSet removed from Git",
      applications: [{ application: "web-prod", cluster: "prod" }],
      since: "2026-12-01T09:00:00.000Z",
      commit: "c".repeat(40),
    };
    expect(fleetSummary(state({ holds: [hold] })).problems.holds).toEqual([hold]);
    expect(fleetSummary(state({ holds: [hold] })).well).toBe(false);
    expect(fleetSummary(state({ holds: [hold] }), { appSet: "blog" }).well).toBe(true);
  });

  it("a lost cluster is listed unless the cluster filter excludes it; no ApplicationSet filter hides it", () => {
    const lost: LostCluster = {
      name: "prod",
      server: "https://prod.example:6443",
      lostAt: "2026-11-24T22:00:00.000Z",
      detectedBy: "pool-1",
    };
    expect(fleetSummary(state({ lostClusters: [lost] }), { appSet: "shop" }).problems.lostClusters).toEqual([lost]);
    expect(fleetSummary(state({ lostClusters: [lost] }), { clusters: ["dev"] }).well).toBe(true);
    expect(fleetSummary(state({ lostClusters: [lost] }), { clusters: ["prod"] }).well).toBe(false);
  });

  it("only generations that failed or had element errors are problems", () => {
    const generations = [
      record("blog", { generatorError: "fleet repository: unreachable" }),
      record("edge", { counts: { applications: 2, creates: 0, updates: 0, deletes: 0, unchanged: 2, errors: 4 } }),
      record("fine"),
      record("shop", { held: { count: 7, names: ["a"], reason: "held" } }),
    ];
    const summary = fleetSummary(state({ generations }));
    expect(summary.problems.generations.map((g) => g.appSet)).toEqual(["blog", "edge"]);
    expect(fleetSummary(state({ generations }), { appSet: "fine" }).well).toBe(true);
  });

  it("a pool cluster no live worker holds is unserved; a worker past its TTL holds nothing", () => {
    const clusters = [pool("p1"), pool("p2"), pool("p3")];
    const poolWorkers = [
      { id: "w1", lastBeat: NOW - 5_000, holds: ["p1"] },
      { id: "w2", lastBeat: NOW - 120_000, holds: ["p2"] },
    ];
    const summary = fleetSummary(state({ clusters, statuses: [], poolWorkers }));
    expect(summary.clusters.reachability).toEqual({ Connected: 1, HeartbeatStale: 0, NeverSeen: 0, Unserved: 2 });
    expect(summary.problems.unservedClusters).toEqual([
      { name: "p2", server: "https://p2:6443", mode: "pool", reachability: "Unserved" },
      { name: "p3", server: "https://p3:6443", mode: "pool", reachability: "Unserved" },
    ]);
    expect(summary.well).toBe(false);
    expect(
      fleetSummary(state({ clusters, statuses: [], poolWorkers }), { poolWorkerTtlMs: 600_000 }).problems,
    ).toMatchObject({ unservedClusters: [{ name: "p3" }] });
  });

  it("an agent whose heartbeat is older than the threshold is stale; one that never beat is never seen", () => {
    const clusters = [agent("fresh"), agent("old", NOW - 61_000), agent("new", null)];
    const summary = fleetSummary(state({ clusters, statuses: [] }));
    expect(summary.problems.staleAgents).toEqual([
      {
        name: "old",
        server: "https://old:6443",
        mode: "agent",
        reachability: "HeartbeatStale",
        lastSeen: new Date(NOW - 61_000).toISOString(),
      },
      { name: "new", server: "https://new:6443", mode: "agent", reachability: "NeverSeen" },
    ]);
    expect(
      fleetSummary(state({ clusters, statuses: [] }), { heartbeatStaleMs: 120_000 }).clusters.reachability,
    ).toEqual({ Connected: 2, HeartbeatStale: 0, NeverSeen: 1, Unserved: 0 });
  });
});
