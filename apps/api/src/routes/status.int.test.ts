import type { AppStatus, FleetSummary } from "@flotilla/status";
import { storeKeys } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { beforeAll, expect, it } from "vitest";
import { apiHarness } from "../testing/api-harness.ts";

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

describeWithRedis("GET /api/v1/status (real Redis)", (redis) => {
  const api = apiHarness(redis.url);
  const inventory = { entries: [] } as never;

  beforeAll(async () => {
    const { store, deps } = api;
    for (const name of ["dev", "prod"]) {
      await store.clusters.register({ name, server: `https://${name}:6443`, labels: {}, mode: "agent" });
      await store.clusters.heartbeat(name);
    }
    await store.clusters.register({ name: "silent", server: "https://silent:6443", labels: {}, mode: "agent" });
    await store.clusters.heartbeat("silent", Date.now() - 10 * 60_000);
    for (const name of ["pool-a", "pool-b"]) {
      await store.clusters.register({
        name,
        server: `https://${name}:6443`,
        labels: {},
        mode: "pool",
        credentials: { kind: "token", token: "not-a-real-token" },
      });
    }
    // What a live pool worker's membership heartbeat leaves: it holds pool-a only.
    const keys = storeKeys(api.prefix);
    await deps.redis.zadd(keys.poolWorkers, Date.now(), "worker-1");
    await deps.redis.hset(keys.poolWorkerHoldings, "worker-1", JSON.stringify(["pool-a"]));

    const put = (s: AppStatus) =>
      deps.status.record(
        { cluster: s.cluster, appSet: s.appSet, application: s.application },
        { status: s, inventory },
      );
    await put(status("web", "dev"));
    await put(status("web", "prod"));
    await put(
      status("api", "prod", {
        sync: "Error",
        lastError: { reason: "RenderFailed", message: "a.yaml: bad", at: "2026-12-01T10:00:00Z", retrying: false },
      }),
    );
    await put(status("blog", "prod", { appSet: "blog", health: "Degraded", healthMessage: "0/1 available" }));
    await store.pendingDeletions.recordFailure({
      cluster: "prod",
      appSet: "shop",
      application: "cart",
      preserveResources: false,
      error: "ConfigMap/shop/cart delete failed (forbidden)",
      at: 1_000,
      retryDelayMs: () => 60_000,
    });
  });

  const get = async (who: "read" | "admin" | "none", url: string) => api.call(who, { method: "GET", url });

  it("answers the counts and every problem, field by field, to a read token", async () => {
    const res = await get("read", "/api/v1/status");
    expect(res.statusCode).toBe(200);
    const summary = res.json() as FleetSummary;
    expect(summary.well).toBe(false);
    expect(summary.applications).toEqual({
      total: 4,
      sync: { Synced: 3, OutOfSync: 0, Error: 1 },
      health: { Healthy: 3, Progressing: 0, Degraded: 1, Missing: 0, Unknown: 0 },
    });
    expect(summary.clusters).toEqual({
      total: 5,
      reachability: { Connected: 3, HeartbeatStale: 1, NeverSeen: 0, Unserved: 1 },
    });
    expect(summary.problems.applications).toEqual({
      count: 2,
      items: [
        {
          appSet: "shop",
          application: "api",
          cluster: "prod",
          sync: "Error",
          health: "Healthy",
          revision: "a".repeat(40),
          lastSyncAt: "2026-12-01T10:00:00.000Z",
          message: "RenderFailed: a.yaml: bad",
        },
        expect.objectContaining({ application: "blog", health: "Degraded", message: "0/1 available" }),
      ],
    });
    expect(summary.problems.pendingDeletions).toEqual([
      expect.objectContaining({ application: "cart", cluster: "prod", attempts: 1, since: 1_000 }),
    ]);
    expect(summary.problems.unservedClusters).toEqual([
      { name: "pool-b", server: "https://pool-b:6443", mode: "pool", reachability: "Unserved" },
    ]);
    expect(summary.problems.staleAgents).toEqual([
      expect.objectContaining({ name: "silent", reachability: "HeartbeatStale", lastSeen: expect.any(String) }),
    ]);
  });

  it("filters by cluster (repeatable) and ApplicationSet, and caps the list while the count stays exact", async () => {
    const dev = (await get("read", "/api/v1/status?cluster=dev")).json() as FleetSummary;
    expect(dev).toMatchObject({ well: true, applications: { total: 1 }, clusters: { total: 1 } });
    const two = (await get("read", "/api/v1/status?cluster=dev&cluster=prod&appset=shop")).json() as FleetSummary;
    expect(two.applications.total).toBe(3);
    expect(two.problems.applications.items.map((a) => a.application)).toEqual(["api"]);
    expect(two.problems.staleAgents).toEqual([]);
    const capped = (await get("read", "/api/v1/status?limit=1")).json() as FleetSummary;
    expect(capped.problems.applications.count).toBe(2);
    expect(capped.problems.applications.items).toHaveLength(1);
  });

  it("counts statuses written before verdicts were kept (read whole for that cluster)", async () => {
    const { store, deps } = api;
    await store.clusters.register({ name: "legacy", server: "https://legacy:6443", labels: {}, mode: "agent" });
    await store.clusters.heartbeat("legacy");
    const old = status("old", "legacy", { sync: "OutOfSync" });
    await deps.redis.hset(store.keys.appStatus("legacy"), "shop/old", JSON.stringify(old));
    const summary = (await get("read", "/api/v1/status?cluster=legacy")).json() as FleetSummary;
    expect(summary.applications).toMatchObject({ total: 1, sync: { OutOfSync: 1 } });
    expect(summary.problems.applications.items).toEqual([expect.objectContaining({ application: "old" })]);
  });

  it("the OpenAPI document describes the summary and the event stream", async () => {
    const doc = (await api.app.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    const status = doc.paths["/api/v1/status"]?.get?.responses["200"]?.content?.["application/json"];
    expect(JSON.stringify(status)).toContain("unservedClusters");
    expect(Object.keys(doc.paths["/api/v1/events"]?.get?.responses["200"]?.content ?? {})).toEqual([
      "text/event-stream",
    ]);
  });

  it("no token is 401; hostile queries are 400 naming the field", async () => {
    expect((await get("none", "/api/v1/status")).statusCode).toBe(401);
    const cases: [string, string][] = [
      ["/api/v1/status?limit=-1", "limit"],
      ["/api/v1/status?limit=lots", "limit"],
      ["/api/v1/status?cluster=Not_A_Name", "cluster.0"],
      ["/api/v1/status?appset=", "appset"],
      ["/api/v1/status?colour=red", "colour"],
      [`/api/v1/status?cluster=${"a".repeat(300)}`, "cluster.0"],
    ];
    for (const [url, field] of cases) {
      const res = await get("read", url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ error: "BadRequest", field: `query.${field}` });
    }
  });
});
