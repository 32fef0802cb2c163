import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseYamlDocuments } from "@flotilla/core";
import { openStore } from "@flotilla/store";
import { eventually } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { createRuntime, PoolWorker } from "@flotilla/worker";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import type { ClusterView } from "../clusters/cluster-view.ts";
import { apiHarness } from "../testing/api-harness.ts";
import { HOSTILE_PAGE_QUERIES } from "../testing/hostile-paging.ts";

const silent = pino({ level: "silent" });

describeWithClusters("cluster routes (real Redis, real clusters)", (clusters) => {
  const key = Buffer.alloc(32, 7);
  const api = apiHarness(testbedRedis().url, { encryptionKey: key });
  const [dev, staging] = clusters;
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  const post = (body: unknown, url = "/api/v1/clusters") =>
    api.call("admin", { method: "POST", url, payload: body as Record<string, unknown> });

  it("registers a pool cluster from a real kubeconfig: its server, labels, no credentials in the answer", async () => {
    const res = await post({ name: "dev", kubeconfig: dev!.kubeconfig, labels: { env: "dev" } });
    expect(res.statusCode, res.body).toBe(201);
    const { cluster } = res.json() as { cluster: ClusterView };
    expect(cluster).toMatchObject({
      name: "dev",
      server: dev!.apiUrl,
      mode: "pool",
      labels: { env: "dev" },
      annotations: {},
      hasCredentials: true,
      applications: 0,
      queue: { waiting: 0, active: 0, delayed: 0, failed: 0 },
      reachability: { status: "Unknown", source: "none" },
    });
    expect(res.body).not.toContain(dev!.token);
    // Stored encrypted, one context: what a pool worker reads back is a kubeconfig for this cluster only.
    const creds = await api.store.clusters.getCredentials("dev");
    expect(creds?.kind).toBe("kubeconfig");
    const stored = JSON.parse((creds as { kubeconfig: string }).kubeconfig) as {
      contexts: unknown[];
      clusters: unknown[];
    };
    expect(stored.contexts).toHaveLength(1);
    expect(stored.clusters).toHaveLength(1);
    expect(JSON.stringify(await api.deps.redis.hgetall(api.store.keys.clusterCredentials))).not.toContain(dev!.token);
  });

  it("a second registration under the name is 409 unless overwrite=true", async () => {
    const again = await post({ name: "dev", kubeconfig: dev!.kubeconfig });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: "Conflict", message: expect.stringContaining("overwrite=true") });
    const replaced = await post(
      { name: "dev", kubeconfig: dev!.kubeconfig, labels: { env: "dev2" } },
      "/api/v1/clusters?overwrite=true",
    );
    expect(replaced.statusCode, replaced.body).toBe(201);
    expect((replaced.json() as { cluster: ClusterView }).cluster.labels).toEqual({ env: "dev2" });
  });

  it("picks --context out of a kubeconfig with several, and refuses an unknown one naming it", async () => {
    const merged = twoContexts(dev!.kubeconfig, staging!.kubeconfig);
    const res = await post({ name: "staging", kubeconfig: merged, context: "second" });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as { cluster: ClusterView }).cluster.server).toBe(staging!.apiUrl);
    const unknown = await post({ name: "nowhere", kubeconfig: merged, context: "third" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: "body.context" });
    expect(unknown.json().message).toMatch(
      /context "third" is not in the kubeconfig's contexts \(it has "first", "second"\)/,
    );
  });

  it("a pool worker then serves it: get shows the serving worker and Reachable", async () => {
    const redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    const store = await openStore({ redis, prefix: api.prefix, encryptionKey: key, log: silent });
    const runtime = createRuntime({
      redis,
      store,
      prefix: api.prefix,
      log: silent,
      repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-api-worker-")),
    });
    const worker = new PoolWorker(runtime, {
      workerId: "pool-api-test",
      leaseTtlMs: 3_000,
      tickMs: 300,
      driftWatch: false,
    });
    await worker.start();
    closers.push(async () => {
      await worker.stop(2_000);
      await runtime.close();
      await redis.quit();
    });
    const seen = await eventually(
      "dev served and reachable",
      async () => {
        const view = (await api.call("read", { method: "GET", url: "/api/v1/clusters/dev" })).json() as ClusterView;
        return view.reachability.status === "Reachable" && view.servedBy !== undefined ? view : undefined;
      },
      20_000,
    );
    expect(seen.servedBy).toEqual({ kind: "pool-worker", id: "pool-api-test" });
    expect(seen.reachability.source).toBe("worker");
    const list = await api.call("read", { method: "GET", url: "/api/v1/clusters" });
    const names = (list.json() as { items: ClusterView[] }).items.map((c) => c.name);
    expect(names).toEqual(["dev", "staging"]);
  });

  it("registers an agent cluster and answers its join secret once: a Redis user that works, env to set", async () => {
    const res = await post({ name: "edge-1", mode: "agent", labels: { tier: "edge" } });
    expect(res.statusCode, res.body).toBe(201);
    const { cluster, agent } = res.json() as {
      cluster: ClusterView;
      agent: { user: string; password: string; env: Record<string, string> };
    };
    expect(cluster).toMatchObject({ mode: "agent", hasCredentials: false, reachability: { status: "Unknown" } });
    expect(agent.env).toMatchObject({
      FLOTILLA_MODE: "agent",
      FLOTILLA_CLUSTER: "edge-1",
      FLOTILLA_LABELS: "tier=edge",
    });
    expect(agent.env.FLOTILLA_REDIS_PREFIX).toBe(api.prefix);
    const url = new URL(agent.env.FLOTILLA_REDIS_URL!);
    expect(decodeURIComponent(url.username)).toBe(agent.user);
    const asAgent = new Redis(agent.env.FLOTILLA_REDIS_URL!, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await asAgent.connect();
      await asAgent.set(api.store.keys.clusterHeartbeat("edge-1"), String(Date.now()));
      await expect(asAgent.hgetall(api.store.keys.clusterCredentials)).rejects.toThrow(/NOPERM/);
    } finally {
      asAgent.disconnect();
    }
    const read = await api.call("read", { method: "GET", url: "/api/v1/clusters/edge-1" });
    expect(read.body).not.toContain(agent.password);
    expect((read.json() as ClusterView).reachability.status).toBe("Reachable");
    expect((read.json() as ClusterView).servedBy).toEqual({ kind: "agent", id: "edge-1" });
  });

  it("relabels by merge: set and remove keys; bad keys are 400 naming body.set.<key>", async () => {
    const res = await api.call("admin", {
      method: "PATCH",
      url: "/api/v1/clusters/staging/labels",
      payload: { set: { env: "staging", region: "eu" } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const merged = await api.call("admin", {
      method: "PATCH",
      url: "/api/v1/clusters/staging/labels",
      payload: { set: { tier: "web" }, remove: ["region"] },
    });
    expect((merged.json() as ClusterView).labels).toEqual({ env: "staging", tier: "web" });
    for (const [set, field] of [
      [{ "bad key": "x" }, "body.set.bad key"],
      [{ env: "not valid!" }, "body.set.env"],
      [{ "-x": "y" }, "body.set.-x"],
    ] as const) {
      const bad = await api.call("admin", {
        method: "PATCH",
        url: "/api/v1/clusters/staging/labels",
        payload: { set },
      });
      expect(bad.statusCode, JSON.stringify(set)).toBe(400);
      expect(bad.json()).toMatchObject({ error: "BadRequest", field });
    }
    const proto = await api.call("admin", {
      method: "PATCH",
      url: "/api/v1/clusters/staging/labels",
      headers: { "content-type": "application/json" },
      payload: '{"set":{"__proto__":{"polluted":"yes"}}}',
    });
    expect(proto.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const missing = await api.call("admin", {
      method: "PATCH",
      url: "/api/v1/clusters/nope/labels",
      payload: { set: {} },
    });
    expect(missing.statusCode).toBe(404);
    expect((await api.store.clusters.get("staging"))?.labels).toEqual({ env: "staging", tier: "web" });
  });

  describe("hostile registrations: a 4xx naming the field, nothing stored, no kubeconfig text quoted", () => {
    const secretish = "sekrit-token-value-abc123";
    const cases: [string, unknown, number, string | undefined, RegExp][] = [
      [
        "not YAML",
        { name: "h1", kubeconfig: `users: [\n  token: ${secretish}\n  - {` },
        400,
        "body.kubeconfig",
        /is not valid YAML/,
      ],
      ["two documents", { name: "h2", kubeconfig: "a: 1\n---\nb: 2\n" }, 400, "body.kubeconfig", /2 YAML documents/],
      ["a list", { name: "h3", kubeconfig: `- ${secretish}\n` }, 400, "body.kubeconfig", /is not a kubeconfig/],
      [
        "no current-context",
        { name: "h4", kubeconfig: "apiVersion: v1\nclusters: []\n" },
        400,
        "body.context",
        /no current-context/,
      ],
      ["a name with /", { name: "a/b", kubeconfig: "x: 1" }, 400, "body.name", /must match pattern/],
      ["an unknown field", { name: "h5", kubeconfig: "x: 1", insecure: true }, 400, "body.insecure", /unknown field/],
      [
        "labels with a bad key",
        { name: "h6", kubeconfig: "x: 1", labels: { "a b": "c" } },
        400,
        "body.labels.a b",
        /label key/,
      ],
      ["a wrong type", { name: "h7", kubeconfig: 42 }, 400, "body.kubeconfig", /must be string/],
      [
        "agent with a kubeconfig",
        { name: "h8", mode: "agent", kubeconfig: "x: 1" },
        400,
        "body.kubeconfig",
        /agent-mode/,
      ],
      ["pool without a kubeconfig", { name: "h9" }, 400, "body.kubeconfig", /required in pool mode/],
    ];
    it.each(cases)("%s", async (_what, body, status, field, message) => {
      const res = await post(body);
      expect(res.statusCode, res.body).toBe(status);
      const answer = res.json() as { field?: string; message: string };
      if (field !== undefined) expect(answer.field).toBe(field);
      expect(answer.message).toMatch(message);
      expect(res.body).not.toContain(secretish);
      const name = (body as { name: string }).name;
      if (!name.includes("/")) expect(await api.store.clusters.get(name)).toBeUndefined();
    });

    it("a __proto__ label key and a name with / in the path are refused, nothing polluted", async () => {
      const proto = await api.call("admin", {
        method: "POST",
        url: "/api/v1/clusters",
        headers: { "content-type": "application/json" },
        payload: '{"name":"p1","mode":"agent","labels":{"__proto__":{"env":"x"}}}',
      });
      expect(proto.statusCode).toBe(400);
      expect(({} as Record<string, unknown>).env).toBeUndefined();
      expect(await api.store.clusters.get("p1")).toBeUndefined();
      const slash = await api.call("read", { method: "GET", url: "/api/v1/clusters/a%2Fb" });
      expect(slash.statusCode).toBe(400);
      expect(slash.json()).toMatchObject({ error: "BadRequest", field: "params.name" });
    });

    it("a kubeconfig of 10 MB is refused as too large (413)", async () => {
      const res = await post({ name: "huge", kubeconfig: `x: "${"a".repeat(10 * 1024 * 1024)}"` });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: "PayloadTooLarge" });
      expect(await api.store.clusters.get("huge")).toBeUndefined();
    });

    it("a kubeconfig whose context reads files is refused, naming the field", async () => {
      const withFile = dev!.kubeconfig.replace(
        /certificate-authority-data: .*/,
        "certificate-authority: /home/me/.kube/ca.pem",
      );
      const res = await post({ name: "files", kubeconfig: withFile });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/certificate-authority names a file/);
      expect(res.body).not.toContain(dev!.token);
    });
  });

  it("no token → 401, read token on a mutating route → 403, on every cluster route", async () => {
    const routes = [
      { method: "GET" as const, url: "/api/v1/clusters", mutating: false },
      { method: "GET" as const, url: "/api/v1/clusters/dev", mutating: false },
      { method: "POST" as const, url: "/api/v1/clusters", payload: { name: "m", mode: "agent" }, mutating: true },
      { method: "PATCH" as const, url: "/api/v1/clusters/dev/labels", payload: { set: { a: "b" } }, mutating: true },
      { method: "DELETE" as const, url: "/api/v1/clusters/nothing-here", mutating: true },
    ];
    for (const { mutating, ...route } of routes) {
      const none = await api.call("none", route);
      expect(none.statusCode, `${route.method} ${route.url} without a token`).toBe(401);
      const read = await api.call("read", route);
      expect(read.statusCode, `${route.method} ${route.url} with a read token`).toBe(mutating ? 403 : 200);
    }
    expect(await api.store.clusters.get("m")).toBeUndefined();
  });

  it("unknown clusters are 404 on get, relabel and remove", async () => {
    for (const route of [
      { method: "GET" as const, url: "/api/v1/clusters/ghost" },
      { method: "DELETE" as const, url: "/api/v1/clusters/ghost" },
      { method: "DELETE" as const, url: "/api/v1/clusters/ghost?orphan=true" },
    ]) {
      const res = await api.call("admin", route);
      expect(res.statusCode, route.url).toBe(404);
      expect(res.json()).toMatchObject({ error: "NotFound", message: 'cluster "ghost" not found' });
    }
  });

  it("removing an agent cluster with orphan drops its record and its Redis user at once", async () => {
    const res = await api.call("admin", { method: "DELETE", url: "/api/v1/clusters/edge-1?orphan=true" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ cluster: "edge-1", orphan: true, applications: [] });
    expect(await api.store.clusters.get("edge-1")).toBeUndefined();
    const users = (await api.deps.redis.call("ACL", "USERS")) as string[];
    expect(users).not.toContain(api.store.agentUsers.userOf("edge-1"));
  });

  it("lists the fleet a page at a time: each cluster once, in name order, the last page without next", async () => {
    for (const n of [1, 2, 3, 4, 5]) expect((await post({ name: `paged-${n}`, mode: "agent" })).statusCode).toBe(201);
    const list = (url: string) => api.call("read", { method: "GET", url });
    const all = (await list("/api/v1/clusters")).json() as { items: ClusterView[]; next?: string };
    expect(all.next).toBeUndefined();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await list(`/api/v1/clusters?limit=2${cursor === undefined ? "" : `&cursor=${cursor}`}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: ClusterView[]; next?: string };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.name));
      cursor = page.next;
      pages++;
    } while (cursor !== undefined);
    expect(seen).toEqual(all.items.map((c) => c.name));
    expect(seen).toEqual([...seen].sort());
    expect(pages).toBe(Math.ceil(seen.length / 2));

    for (const [query, field] of HOSTILE_PAGE_QUERIES) {
      const res = await list(`/api/v1/clusters?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect((res.json() as { field?: string }).field, query).toBe(field);
    }
  });
});

describeWithClusters("cluster registration without an encryption key", (clusters) => {
  const api = apiHarness(testbedRedis().url, { encryptionKey: null });
  it("a pool registration is 503 naming FLOTILLA_ENCRYPTION_KEY_FILE; nothing is stored", async () => {
    const res = await api.call("admin", {
      method: "POST",
      url: "/api/v1/clusters",
      payload: { name: "dev", kubeconfig: clusters[0]!.kubeconfig },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: "EncryptionKeyMissing" });
    expect(res.json().message).toContain("FLOTILLA_ENCRYPTION_KEY_FILE");
    expect(await api.store.clusters.get("dev")).toBeUndefined();
  });
});

/** One kubeconfig holding both clusters' contexts, named first and second, the first current. */
function twoContexts(first: string, second: string): string {
  const rename = (text: string, name: string) => {
    const config = parseKubeconfig(text);
    return {
      cluster: { ...config.clusters[0], name },
      user: { ...config.users[0], name },
      context: { name, context: { cluster: name, user: name } },
    };
  };
  const a = rename(first, "first");
  const b = rename(second, "second");
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": "first",
    clusters: [a.cluster, b.cluster],
    users: [a.user, b.user],
    contexts: [a.context, b.context],
  });
}

function parseKubeconfig(text: string): { clusters: Record<string, unknown>[]; users: Record<string, unknown>[] } {
  return parseYamlDocuments(text, "kubeconfig").documents[0]!.data as {
    clusters: Record<string, unknown>[];
    users: Record<string, unknown>[];
  };
}
