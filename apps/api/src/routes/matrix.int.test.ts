import type { AppStatus, FleetMatrix } from "@flotilla/status";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { beforeAll, describe, expect, it } from "vitest";
import { apiHarness } from "../testing/api-harness.ts";

const status = (appSet: string, application: string, cluster: string, over: Partial<AppStatus> = {}): AppStatus => ({
  appSet,
  application,
  cluster,
  sync: "Synced",
  health: "Healthy",
  revision: "a".repeat(40),
  lastSyncAt: "2026-12-01T10:00:00.000Z",
  resources: [],
  ...over,
});

describeWithRedis("GET /api/v1/matrix (real Redis)", (redis) => {
  const api = apiHarness(redis.url);

  beforeAll(async () => {
    const { store, deps } = api;
    const clusters: [string, Record<string, string>, number | undefined][] = [
      ["alpha", { env: "dev", region: "eu", team: "a" }, Date.now()],
      ["beta", { env: "prod", region: "us", tier: "db" }, Date.now()],
      ["gamma", { env: "prod", region: "ap", legacy: "yes" }, undefined],
      ["delta", { env: "prod", region: "eu", team: "b" }, Date.now() - 10 * 60_000],
    ];
    for (const [name, labels, beat] of clusters) {
      await store.clusters.register({ name, server: `https://${name}:6443`, labels, mode: "agent" });
      if (beat !== undefined) await store.clusters.heartbeat(name, beat);
    }
    const owned: [string, string, string][] = [
      ["guestbook", "gb-alpha", "alpha"],
      ["guestbook", "gb-alpha-2", "alpha"],
      ["guestbook", "gb-beta", "beta"],
      ["guestbook", "gb-gamma", "gamma"],
      ["shop", "shop-delta", "delta"],
    ];
    for (const [appSet, application, cluster] of owned) await store.owners.claim(appSet, [{ cluster, application }]);
    const inventory = { entries: [] } as never;
    const put = (s: AppStatus) =>
      deps.status.record(
        { cluster: s.cluster, appSet: s.appSet, application: s.application },
        { status: s, inventory },
      );
    await put(status("guestbook", "gb-alpha", "alpha"));
    await put(status("guestbook", "gb-alpha-2", "alpha", { sync: "OutOfSync", health: "Progressing" }));
    await put(status("guestbook", "gb-beta", "beta", { sync: "Error", health: "Degraded" }));
    await put(status("shop", "shop-delta", "delta"));
    // gb-gamma is generated (its name owned) but no worker has written a status: Unknown/Unknown.
    // "empty" is an ApplicationSet read from Git that produced nothing: an empty row.
    // Every ApplicationSet read from Git has a source record; the matrix only needs its name.
    for (const appSet of ["empty", "guestbook", "shop"]) await deps.redis.hset(store.keys.appSetSources, appSet, "{}");
  });

  const matrix = async (query = "", who: "read" | "admin" = "read"): Promise<FleetMatrix> => {
    const res = await api.call(who, { method: "GET", url: `/api/v1/matrix${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as FleetMatrix;
  };
  const columnsOf = (m: FleetMatrix) => m.columns.map((c) => c.name);
  const rowsOf = (m: FleetMatrix) => Object.fromEntries(m.rows.map((r) => [r.appSet, r.cells]));

  it("draws every ApplicationSet × every cluster: worst verdicts, multi-cells, labels, reachability, totals", async () => {
    const m = await matrix();
    expect(Date.parse(m.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(m.columns).toEqual([
      { name: "alpha", labels: { env: "dev", region: "eu", team: "a" }, reachable: true },
      { name: "beta", labels: { env: "prod", region: "us", tier: "db" }, reachable: true },
      { name: "delta", labels: { env: "prod", region: "eu", team: "b" }, reachable: false },
      { name: "gamma", labels: { env: "prod", region: "ap", legacy: "yes" }, reachable: null },
    ]);
    expect(m.rows).toEqual([
      { appSet: "empty", cells: "........", multi: {} },
      { appSet: "guestbook", cells: "OPED..UU", multi: { "0": 2 } },
      { appSet: "shop", cells: "....SH..", multi: {} },
    ]);
    expect(m.totals).toEqual({
      applications: 5,
      sync: { Synced: 2, OutOfSync: 1, Error: 1, Unknown: 1 },
      health: { Healthy: 2, Progressing: 1, Degraded: 1, Unknown: 1 },
    });
  });

  it("follows a status change at the next request", async () => {
    const ref = { cluster: "beta", appSet: "guestbook", application: "gb-beta" };
    await api.deps.status.record(ref, {
      status: status("guestbook", "gb-beta", "beta"),
      inventory: { entries: [] } as never,
    });
    try {
      expect(rowsOf(await matrix())["guestbook"]).toBe("OPSH..UU");
    } finally {
      await api.deps.status.record(ref, {
        status: status("guestbook", "gb-beta", "beta", { sync: "Error", health: "Degraded" }),
        inventory: { entries: [] } as never,
      });
    }
    expect(rowsOf(await matrix())["guestbook"]).toBe("OPED..UU");
  });

  it.each([
    ["env=prod", ["beta", "delta", "gamma"]],
    ["env==prod", ["beta", "delta", "gamma"]],
    ["tier!=db", ["alpha", "delta", "gamma"]],
    ["region in (eu,us)", ["alpha", "beta", "delta"]],
    ["region notin (eu)", ["beta", "gamma"]],
    ["!legacy", ["alpha", "beta", "delta"]],
    ["team", ["alpha", "delta"]],
    ["env=prod,region in (eu, us),!legacy", ["beta", "delta"]],
    ["env=staging", []],
  ])("selector %s chooses the columns %j", async (selector, columns) => {
    const m = await matrix(`?selector=${encodeURIComponent(selector)}`);
    expect(columnsOf(m)).toEqual(columns);
    for (const row of m.rows) expect(row.cells).toHaveLength(2 * columns.length);
  });

  it("the selector keeps each row's cells in step with the chosen columns", async () => {
    const m = await matrix(`?selector=${encodeURIComponent("env=prod")}`);
    expect(rowsOf(m)).toEqual({ empty: "......", guestbook: "ED..UU", shop: "..SH.." });
    expect(m.totals.applications).toBe(3);
  });

  it("chooses columns by cluster and rows by ApplicationSet, keeping the rest whole", async () => {
    const byCluster = await matrix("?cluster=gamma,alpha");
    expect(columnsOf(byCluster)).toEqual(["alpha", "gamma"]);
    expect(byCluster.rows).toEqual([
      { appSet: "empty", cells: "....", multi: {} },
      { appSet: "guestbook", cells: "OPUU", multi: { "0": 2 } },
      { appSet: "shop", cells: "....", multi: {} },
    ]);
    const byAppSet = await matrix("?appSet=shop");
    expect(columnsOf(byAppSet)).toEqual(["alpha", "beta", "delta", "gamma"]);
    expect(byAppSet.rows).toEqual([{ appSet: "shop", cells: "....SH..", multi: {} }]);
    expect(byAppSet.totals).toEqual({ applications: 1, sync: { Synced: 1 }, health: { Healthy: 1 } });
    const unknown = await matrix("?cluster=nowhere");
    expect(unknown.columns).toEqual([]);
  });

  it("a sync filter leaves others out of cells and totals and drops the emptied rows and columns", async () => {
    const m = await matrix("?sync=Synced");
    expect(columnsOf(m)).toEqual(["alpha", "delta"]);
    expect(m.rows).toEqual([
      { appSet: "guestbook", cells: "SH..", multi: {} },
      { appSet: "shop", cells: "..SH", multi: {} },
    ]);
    expect(m.totals).toEqual({ applications: 2, sync: { Synced: 2 }, health: { Healthy: 2 } });
    const unknown = await matrix("?sync=Unknown");
    expect(columnsOf(unknown)).toEqual(["gamma"]);
    expect(rowsOf(unknown)).toEqual({ guestbook: "UU" });
  });

  it("a health filter works alike, combined with the others", async () => {
    const m = await matrix("?health=Degraded,Unknown");
    expect(columnsOf(m)).toEqual(["beta", "gamma"]);
    expect(rowsOf(m)).toEqual({ guestbook: "EDUU" });
    expect(m.totals).toEqual({
      applications: 2,
      sync: { Error: 1, Unknown: 1 },
      health: { Degraded: 1, Unknown: 1 },
    });
    const combined = await matrix(`?health=Healthy,Progressing&sync=OutOfSync&selector=${encodeURIComponent("team")}`);
    expect(columnsOf(combined)).toEqual(["alpha"]);
    expect(combined.rows).toEqual([{ appSet: "guestbook", cells: "OP", multi: {} }]);
    const nothing = await matrix("?health=Missing");
    expect(nothing).toMatchObject({ columns: [], rows: [], totals: { applications: 0, sync: {}, health: {} } });
  });

  it("answers a read token and an admin token; no token is 401, a made-up one 401", async () => {
    await matrix("", "read");
    await matrix("", "admin");
    const none = await api.call("none", { method: "GET", url: "/api/v1/matrix" });
    expect(none.statusCode).toBe(401);
    const madeUp = await api.app.inject({
      method: "GET",
      url: "/api/v1/matrix",
      headers: { authorization: "Bearer not-a-token-of-this-api" },
    });
    expect(madeUp.statusCode).toBe(401);
  });

  describe("hostile query values: 400 naming the field, nothing answered", () => {
    it.each([
      ["?selector=env%3Dprod%2C", "query.selector", 'column 10: expected a requirement after ","'],
      ["?selector=env%3E3", "query.selector", "Gt/Lt"],
      ["?selector=region%20in%20(eu", "query.selector", 'column 14: expected "," or ")"'],
      ["?selector=env%3Bdrop", "query.selector", 'unexpected character ";"'],
      ["?selector=<4,097 characters>", "query.selector", "query.selector"],
      ["?sync=Bogus", "query.sync", "expected one of Synced, OutOfSync, Error, Unknown"],
      ["?sync=Synced&sync=Error", "query.sync", "query.sync"],
      ["?health=Healthy,,Degraded", "query.health", "empty entry"],
      ["?health=__proto__", "query.health", "expected one of"],
      ["?cluster=..%2F..%2Fetc", "query.cluster", "expected lower-case letters"],
      ["?cluster=dev%00", "query.cluster", "expected lower-case letters"],
      ["?appSet=Guest%20Book", "query.appSet", "expected lower-case letters"],
      ["?cluster=<1,001 names>", "query.cluster", "1001 entries"],
      ["?appSet=<16,385 characters>", "query.appSet", "query.appSet"],
      ["?limit=5", "query.limit", 'unknown field "limit"'],
    ])("%s → 400 naming %s", async (shown, field, words) => {
      const query = shown
        .replace("<4,097 characters>", "a".repeat(4097))
        .replace("<1,001 names>", `${"c,".repeat(1000)}c`)
        .replace("<16,385 characters>", "a".repeat(16_385));
      const res = await api.call("read", { method: "GET", url: `/api/v1/matrix${query}` });
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json() as { error: string; message: string; field?: string };
      expect(body.error).toBe("BadRequest");
      expect(body.field).toBe(field);
      expect(body.message).toContain(field);
      expect(body.message).toContain(words);
    });
  });
});
