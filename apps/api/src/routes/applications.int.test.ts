import type { AppStatus, HistoryEntry } from "@flotilla/status";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { beforeAll, expect, it } from "vitest";
import { apiHarness } from "../testing/api-harness.ts";

interface Page {
  items: (Omit<AppStatus, "resources"> & { resourceCount: number; driftedCount: number })[];
  next?: string;
}

const CLUSTERS = 24;
const PER_CLUSTER = 125;
const SYNCS: AppStatus["sync"][] = ["Synced", "OutOfSync", "Error"];
const HEALTHS: AppStatus["health"][] = ["Healthy", "Progressing", "Degraded", "Missing", "Unknown"];

const clusterName = (i: number) => `c-${String(i).padStart(3, "0")}`;

/** A seeded status: which ApplicationSet, sync and health follow from its numbers, so each filter has known answers. */
function seeded(c: number, a: number): AppStatus {
  return {
    cluster: clusterName(c),
    appSet: a % 2 === 0 ? "shop" : "blog",
    application: `app-${String(a).padStart(4, "0")}`,
    sync: SYNCS[a % 3]!,
    health: HEALTHS[(a + c) % 5]!,
    revision: "a".repeat(40),
    lastSyncAt: "2026-12-01T10:00:00.000Z",
    resources: [{ id: `/ConfigMap/ns/cm-${a}`, action: "unchanged", health: "Healthy" }],
  };
}

describeWithRedis("Applications API over a seeded status store (real Redis)", (redis) => {
  const api = apiHarness(redis.url);
  const all: AppStatus[] = [];

  beforeAll(async () => {
    for (let c = 0; c < CLUSTERS; c++) {
      await api.store.clusters.register({
        name: clusterName(c),
        server: `https://${clusterName(c)}:6443`,
        mode: "agent",
      });
      const pipeline = api.deps.redis.pipeline();
      for (let a = 0; a < PER_CLUSTER; a++) {
        const s = seeded(c, a);
        all.push(s);
        pipeline.hset(`${api.prefix}status:${s.cluster}`, `${s.appSet}/${s.application}`, JSON.stringify(s));
      }
      await pipeline.exec();
    }
    // One name in two ApplicationSets on one cluster (a rename half done): naming the ApplicationSet is needed.
    const twin = { ...seeded(0, 1), appSet: "blog-renamed" };
    all.push(twin);
    await api.deps.redis.hset(
      `${api.prefix}status:${twin.cluster}`,
      `${twin.appSet}/${twin.application}`,
      JSON.stringify(twin),
    );
    const ref = { cluster: clusterName(1), appSet: "shop", application: "app-0000" };
    const entry = (at: string, result: HistoryEntry["result"], revision?: string): HistoryEntry => ({
      at: Date.parse(at),
      result,
      jobId: at,
      ...(revision !== undefined && { revision }),
    });
    const status = seeded(1, 0);
    for (const e of [
      entry("2026-11-24T20:00:00Z", "Synced", "1".repeat(40)),
      entry("2026-11-24T21:00:00Z", "Error"),
      entry("2026-11-24T22:00:00Z", "Synced", "2".repeat(40)),
    ]) {
      await api.deps.status.record(ref, { status, inventory: { entries: [] }, history: e });
    }
  });

  const order = (s: { cluster: string; appSet: string; application: string }) =>
    `${s.cluster}\u0000${s.appSet}\u0000${s.application}`;
  const sortedAll = () => [...all].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const list = async (query: string) => {
    const res = await api.call("read", { method: "GET", url: `/api/v1/applications${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  /** Every page of a listing, following `next`. */
  const walk = async (query: string) => {
    const seen: Page["items"] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const sep = query === "" ? "?" : "&";
      const page = await list(`${query}${next === undefined ? "" : `${sep}cursor=${next}`}`);
      seen.push(...page.items);
      next = page.next;
      pages++;
    } while (next !== undefined && pages < 1000);
    return { seen, pages };
  };

  it("pages through every Application exactly once, in order (cluster, ApplicationSet, name), 100 by default", async () => {
    const first = await list("");
    expect(first.items).toHaveLength(100);
    expect(first.next).toBeDefined();
    const { seen, pages } = await walk("?limit=700");
    expect(pages).toBe(Math.ceil(all.length / 700));
    expect(seen.map(order)).toEqual(sortedAll().map(order));
  });

  it("filters combine (appset, repeated cluster, sync, health) and page correctly", async () => {
    const want = sortedAll().filter(
      (s) =>
        s.appSet === "shop" &&
        [clusterName(3), clusterName(17)].includes(s.cluster) &&
        s.sync === "OutOfSync" &&
        s.health === "Degraded",
    );
    expect(want.length).toBeGreaterThan(5);
    const { seen } = await walk(
      `?appset=shop&cluster=${clusterName(17)}&cluster=${clusterName(3)}&sync=OutOfSync&health=Degraded&limit=3`,
    );
    expect(seen.map(order)).toEqual(want.map(order));
    const oneCluster = await walk(`?cluster=${clusterName(5)}&limit=1000`);
    expect(oneCluster.seen).toHaveLength(PER_CLUSTER);
    expect(new Set(oneCluster.seen.map((s) => s.cluster))).toEqual(new Set([clusterName(5)]));
  });

  it("items are summaries: no resources list, its counts instead", async () => {
    const [item] = (await list(`?cluster=${clusterName(2)}&appset=shop&limit=1`)).items;
    expect(item).toEqual({
      cluster: clusterName(2),
      appSet: "shop",
      application: "app-0000",
      sync: "Synced",
      health: HEALTHS[2],
      revision: "a".repeat(40),
      lastSyncAt: "2026-12-01T10:00:00.000Z",
      resourceCount: 1,
      driftedCount: 0,
    });
  });

  it.each([
    ["limit=-1", "query.limit"],
    ["limit=0", "query.limit"],
    ["limit=1e9", "query.limit"],
    ["limit=2.5", "query.limit"],
    ["limit=ten", "query.limit"],
    ["sync=Bogus", "query.sync"],
    ["health=Fine", "query.health"],
    ["cursor=%7B%22a%22%3A1%7D", "query.cursor"],
    ["cursor=bm90LWEtY3Vyc29y", "query.cursor"],
    ["cluster=Not_A_Name", "query.cluster.0"],
    ["status=Synced", "query.status"],
  ])("?%s is a 400 naming %s", async (query, field) => {
    const res = await api.call("read", { method: "GET", url: `/api/v1/applications?${query}` });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: "BadRequest", field });
  });

  it("get: the full status; the ApplicationSet found when it is the only one, 409 naming both when not, 404 else", async () => {
    const res = await api.call("read", { method: "GET", url: `/api/v1/applications/${clusterName(4)}/app-0002` });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as { appSet: string; status: AppStatus; conditions: unknown[]; diffs: unknown[] };
    expect(detail.appSet).toBe("shop");
    expect(detail.status).toEqual(seeded(4, 2));
    // Not generated (the status was seeded, no spec stored): said as a condition.
    expect(detail.conditions).toEqual([expect.objectContaining({ type: "NotInGit" })]);

    const twin = await api.call("read", { method: "GET", url: `/api/v1/applications/${clusterName(0)}/app-0001` });
    expect(twin.statusCode).toBe(409);
    expect((twin.json() as { message: string }).message).toContain("blog, blog-renamed");
    const named = await api.call("read", {
      method: "GET",
      url: `/api/v1/applications/${clusterName(0)}/app-0001?appset=blog-renamed`,
    });
    expect(named.statusCode).toBe(200);

    for (const url of [
      `/api/v1/applications/${clusterName(0)}/nope`,
      `/api/v1/applications/${clusterName(0)}/app-0001?appset=other`,
      "/api/v1/applications/no-such-cluster/app-0001",
      // A glob in the name matches nothing but itself.
      `/api/v1/applications/${clusterName(0)}/app-*`,
    ]) {
      const missing = await api.call("read", { method: "GET", url });
      expect(missing.statusCode, url).toBe(404);
      expect(missing.json()).toMatchObject({ error: "NotFound" });
    }
  });

  it("get: every field the status model writes arrives (hooks, a hook's phase, field diffs, the last error)", async () => {
    // A response schema drops what it does not name: this status fills every optional field there is.
    const full: AppStatus = {
      cluster: clusterName(2),
      appSet: "hooks",
      application: "every-field",
      sync: "OutOfSync",
      health: "Degraded",
      healthMessage: "1 of 2 replicas available",
      revision: "b".repeat(40),
      fleetRevision: "c".repeat(40),
      bundleDigest: `sha256:${"d".repeat(64)}`,
      desiredDigest: `sha256:${"e".repeat(64)}`,
      lastSyncAt: "2026-12-01T10:00:00.000Z",
      syncMessage: "manual sync policy: waiting for a sync request",
      resources: [
        {
          id: "apps/Deployment/ns/web",
          action: "configured",
          health: "Degraded",
          message: "1 of 2 replicas available",
          drift: ["spec.replicas"],
          diff: [{ path: "spec.replicas", desired: "2", live: "5" }],
        },
        { id: "batch/Job/ns/migrate", action: "created", health: "Healthy", hook: "PreSync" },
      ],
      lastError: {
        reason: "HookFailed",
        message: "PreSync Job migrate failed",
        at: "2026-12-01T10:00:01.000Z",
        retrying: false,
      },
      hooks: {
        desiredDigest: `sha256:${"e".repeat(64)}`,
        bundleDigest: `sha256:${"d".repeat(64)}`,
        phases: { PreSync: "Failed" },
        message: "Job migrate: BackoffLimitExceeded",
        at: "2026-12-01T10:00:01.000Z",
      },
    };
    const ref = { cluster: full.cluster, appSet: full.appSet, application: full.application };
    await api.deps.status.record(ref, { status: full, inventory: { entries: [] } });
    const res = await api.call("read", {
      method: "GET",
      url: `/api/v1/applications/${full.cluster}/${full.application}?appset=hooks`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { status: AppStatus }).status).toEqual(full);
  });

  it("history: newest first; `at` answers which revision ran then (a failed sync does not count)", async () => {
    const base = `/api/v1/applications/${clusterName(1)}/app-0000/history`;
    const res = await api.call("read", { method: "GET", url: base });
    expect(res.statusCode, res.body).toBe(200);
    const { items } = res.json() as { items: { at: string; result: string; revision?: string }[] };
    expect(items.map((e) => [e.at, e.result])).toEqual([
      ["2026-11-24T22:00:00.000Z", "Synced"],
      ["2026-11-24T21:00:00.000Z", "Error"],
      ["2026-11-24T20:00:00.000Z", "Synced"],
    ]);
    expect((await api.call("read", { method: "GET", url: `${base}?limit=1` })).json()).toMatchObject({
      items: [{ revision: "2".repeat(40) }],
    });
    const at = await api.call("read", { method: "GET", url: `${base}?at=2026-11-24T21:30:00%2B00:00` });
    expect(at.json()).toEqual({
      cluster: clusterName(1),
      appSet: "shop",
      application: "app-0000",
      at: "2026-11-24T21:30:00.000Z",
      revision: "1".repeat(40),
      since: "2026-11-24T20:00:00.000Z",
    });
    const before = await api.call("read", { method: "GET", url: `${base}?at=2026-11-01T00:00:00Z` });
    expect(before.json()).toMatchObject({ revision: null });
    for (const bad of ["yesterday", "2026-11-24", "2026-13-01T00:00:00Z"]) {
      const refused = await api.call("read", { method: "GET", url: `${base}?at=${bad}` });
      expect(refused.statusCode, bad).toBe(400);
      expect(refused.json()).toMatchObject({ field: "query.at" });
    }
  });

  it("auth: reading needs a token; sync and refresh need admin (a read token is 403)", async () => {
    const app = `/api/v1/applications/${clusterName(1)}/app-0000`;
    for (const url of ["/api/v1/applications", app, `${app}/history`]) {
      expect((await api.call("none", { method: "GET", url })).statusCode, url).toBe(401);
      expect((await api.call("read", { method: "GET", url })).statusCode, url).toBe(200);
    }
    for (const url of [`${app}/sync`, `${app}/refresh`]) {
      expect((await api.call("none", { method: "POST", url, payload: {} })).statusCode, url).toBe(401);
      const read = await api.call("read", { method: "POST", url, payload: {} });
      expect(read.statusCode, url).toBe(403);
      // Admin passes auth; this Application has no stored spec, so nothing can be synced: 404, and nothing queued.
      const admin = await api.call("admin", { method: "POST", url, payload: {} });
      expect(admin.statusCode, url).toBe(404);
    }
    expect(await api.deps.redis.hlen(`${api.prefix}sync-requests:${clusterName(1)}`)).toBe(0);
  });

  it("hostile sync bodies are 400s naming the field", async () => {
    const url = `/api/v1/applications/${clusterName(1)}/app-0000/sync`;
    for (const [payload, field] of [
      [{ prune: "yes" }, "body.prune"],
      [{ prune: true, force: true }, "body.force"],
      [[true], "body"],
    ] as const) {
      const res = await api.call("admin", { method: "POST", url, payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ field });
    }
  });

  it("the OpenAPI document lists the Application routes", async () => {
    const doc = (await api.call("none", { method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/applications",
        "/api/v1/applications/{cluster}/{application}",
        "/api/v1/applications/{cluster}/{application}/sync",
        "/api/v1/applications/{cluster}/{application}/refresh",
        "/api/v1/applications/{cluster}/{application}/history",
      ]),
    );
  });
});
