import { randomUUID } from "node:crypto";
import { type QueuedWork, SyncQueues } from "@flotilla/queue";
import { openStore, type Store } from "@flotilla/store";
import { eventually, TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type GeneratorService, startGeneratorService } from "./service.ts";
import { prodAppSet as appSetFrom } from "./testing/fleet-repo.ts";
import { pushWebhook, testGeneratorConfig } from "./testing/service-config.ts";

const SECRET = "webhook-secret";

describeWithRedis("generator service (real Redis, real Git)", (redisInfo) => {
  let prefix: string;
  let fleet: TestGitRepo;
  /** The apps' source repository: the generator resolves and renders it. */
  let source: TestGitRepo;
  const prodAppSet = (name: string, apps: readonly string[]) => appSetFrom(name, apps, source.dir);
  const configMaps = (apps: readonly string[], value: string): Record<string, string> =>
    Object.fromEntries(
      apps.map((a) => [
        `apps/${a}/cm.yaml`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${a} }\ndata: { v: "${value}" }\n`,
      ]),
    );
  let redis: Redis;
  let store: Store;
  let queues: SyncQueues;
  const services: GeneratorService[] = [];

  async function start(): Promise<GeneratorService> {
    const config = testGeneratorConfig({
      fleetDir: fleet.dir,
      redis: { url: redisInfo.url, prefix },
      render: true,
      webhookSecret: SECRET,
    });
    const service = await startGeneratorService(config, pino({ level: "silent" }));
    services.push(service);
    return service;
  }

  const push = (service: GeneratorService, dir: string) =>
    pushWebhook({ port: service.port, secret: SECRET, repository: dir });

  async function waiting(cluster: string): Promise<{ application: string; kind: string }[]> {
    const jobs = await queues.queue(cluster).getJobs(["waiting", "delayed", "prioritized"]);
    return jobs
      .map((j) => (j.data as QueuedWork).item)
      .map((item) => ({ application: item.job.application, kind: item.kind }))
      .sort((a, b) => a.application.localeCompare(b.application));
  }

  beforeEach(async () => {
    prefix = `t${randomUUID().slice(0, 8)}:`;
    fleet = new TestGitRepo();
    source = new TestGitRepo();
    source.commit(configMaps(["web", "api", "db", "blog", "comments"], "1"));
    redis = new Redis(redisInfo.url, { maxRetriesPerRequest: null });
    store = await openStore({ redis, prefix, needsCredentials: false, log: pino({ level: "silent" }) });
    queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull` });
    for (const [name, env] of [
      ["prod-a", "prod"],
      ["prod-b", "prod"],
      ["dev", "dev"],
    ] as const) {
      await store.clusters.register({ name, server: `https://${name}:6443`, labels: { env }, mode: "agent" });
    }
  });

  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop();
    await queues.close();
    await redis.quit();
  });

  it("a new commit that adds an app puts its jobs on each cluster's queue", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    const service = await start();
    const first = await service.nextCycle();
    expect(first).toMatchObject({ appSets: 1, applications: 2, syncs: 2, failed: [] });
    expect(await waiting("prod-a")).toEqual([{ application: "web-prod-a", kind: "sync" }]);
    expect(await waiting("dev")).toEqual([]);

    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    const cycle = service.nextCycle();
    expect((await push(service, fleet.dir)).status).toBe(202);
    expect(await cycle).toMatchObject({ syncs: 2 });
    expect(await waiting("prod-b")).toEqual([
      { application: "api-prod-b", kind: "sync" },
      { application: "web-prod-b", kind: "sync" },
    ]);
  });

  it("renders each unique source once and publishes it; jobs name the bundle, and a source push re-renders", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    const service = await start();
    await service.nextCycle();
    const jobsOf = async () =>
      (await Promise.all(["prod-a", "prod-b"].map((c) => queues.queue(c).getJobs(["waiting", "prioritized"]))))
        .flat()
        .map((j) => (j.data as QueuedWork).item)
        .map((item) => (item.kind === "sync" ? item.job.source : undefined));
    const first = await jobsOf();
    expect(first).toHaveLength(2);
    // One input (same repository, commit, path): one bundle for both clusters.
    expect(first[0]).toEqual(first[1]);
    const digest = (first[0] as { bundle: string }).bundle;
    const bundle = await store.bundles.byDigest(digest);
    expect(bundle?.manifests).toEqual([
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web" }, data: { v: "1" } },
    ]);
    expect(await redis.keys(`${prefix}bundles:sha256:*`)).toHaveLength(1);

    // A push to the source repository, not the fleet: the spec is unchanged, the bundle is not.
    for (const c of ["prod-a", "prod-b"]) await queues.queue(c).drain();
    const commit = source.commit(configMaps(["web", "api", "db", "blog", "comments"], "2"));
    const cycle = service.nextCycle();
    expect((await push(service, source.dir)).status).toBe(202);
    expect(await cycle).toMatchObject({ syncs: 2 });
    const second = (await jobsOf()) as { commit: string; bundle: string }[];
    expect(second.map((s) => s.commit)).toEqual([commit, commit]);
    expect(second[0]!.bundle).not.toBe(digest);
    expect((await store.bundles.byDigest(second[0]!.bundle))?.manifests[0]).toMatchObject({ data: { v: "2" } });
    expect(await store.applications.sources("shop", ["web-prod-a"])).toEqual([second[0]]);
  });

  it("a source push that arrives between two lease terms is generated by the next term", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    const service = await start();
    await service.nextCycle();
    for (const c of ["prod-a", "prod-b"]) await queues.queue(c).drain();

    // The lease goes with the data (FLUSHALL, a failover to an empty replica): this replica's term ends at its
    // next renewal, and a push in the gap starts no cycle.
    await redis.del(store.keys.lease("generator"));
    await eventually("the term ended", () => (service.isLeader() ? undefined : true), 20_000);
    const commit = source.commit(configMaps(["web"], "gap"));
    expect((await push(service, source.dir)).status).toBe(202);

    // The next term's first cycle fetches every source anew, though the last fetch was seconds ago.
    await service.nextCycle();
    const jobs = await queues.queue("prod-a").getJobs(["waiting", "prioritized"]);
    const sources = jobs
      .map((j) => (j.data as QueuedWork).item)
      .map((i) => (i.kind === "sync" ? i.job.source : undefined));
    expect(sources).toEqual([expect.objectContaining({ commit })]);
  }, 40_000);

  it("a source that does not render reaches the workers as that Application's failure, once", async () => {
    source.commit({ ...configMaps(["api"], "1"), "apps/web/cm.yaml": "kind: [unclosed" });
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    const service = await start();
    expect(await service.nextCycle()).toMatchObject({ syncs: 4, sourcesPending: 0 });
    const jobs = (await queues.queue("prod-a").getJobs(["waiting"])).map((j) => (j.data as QueuedWork).item);
    const web = jobs.find((i) => i.job.application === "web-prod-a");
    expect(web?.kind === "sync" && web.job.source).toMatchObject({
      failure: { step: "render", message: expect.stringMatching(/^render failed: apps\/web\/cm\.yaml/) },
    });
    const cycle = service.nextCycle();
    await redis.publish(`${prefix}generator:trigger`, "test");
    expect(await cycle).toMatchObject({ syncs: 0 });
  });

  it("a webhook with a wrong signature is refused and triggers nothing", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    const service = await start();
    await service.nextCycle();
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    const res = await pushWebhook({ port: service.port, secret: "guess", repository: fleet.dir });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "signature does not match" });
    await new Promise((r) => setTimeout(r, 500));
    expect((await waiting("prod-a")).map((j) => j.application)).toEqual(["web-prod-a"]);
  });

  it("a file removed from Git becomes delete jobs, within the deletion guard", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api", "db"]) });
    const service = await start();
    await service.nextCycle();
    await queues.queue("prod-a").drain();
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    const cycle = service.nextCycle();
    await redis.publish(`${prefix}generator:trigger`, "test");
    expect(await cycle).toMatchObject({ deletes: 2, held: 0 });
    expect(await waiting("prod-a")).toEqual([{ application: "db-prod-a", kind: "delete" }]);
    expect((await store.applications.desiredDigests("shop")).size).toBe(4);
  });

  it("a relabelled cluster regenerates at once: its apps appear, then disappear", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    const service = await start();
    await service.nextCycle();
    let cycle = service.nextCycle();
    await store.clusters.setLabels("dev", { env: "prod" });
    expect(await cycle).toMatchObject({ syncs: 1 });
    expect(await waiting("dev")).toEqual([{ application: "web-dev", kind: "sync" }]);
    await queues.queue("prod-a").drain();
    cycle = service.nextCycle();
    await store.clusters.setLabels("prod-a", { env: "dev" });
    expect(await cycle).toMatchObject({ deletes: 1 });
    expect(await waiting("prod-a")).toEqual([{ application: "web-prod-a", kind: "delete" }]);
  });

  it("Git unreachable mid-run: zero delete jobs and the error recorded", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    const service = await start();
    await service.nextCycle();
    fleet.remove();
    const cycle = service.nextCycle();
    await redis.publish(`${prefix}generator:trigger`, "test");
    const report = await cycle;
    expect(report.error).toMatch(/^fleet repository: git repository .* is unreachable/);
    for (const c of ["prod-a", "prod-b"]) expect((await waiting(c)).filter((j) => j.kind === "delete")).toEqual([]);
    expect((await store.applications.desiredDigests("shop")).size).toBe(4);
    expect((await store.generations.getGeneration("shop"))?.generatorError).toMatch(/unreachable/);
  });

  it("a malformed ApplicationSet is recorded on itself only; its sibling still generates", async () => {
    fleet.commit({
      "appsets/shop.yaml": prodAppSet("shop", ["web"]),
      "appsets/blog.yaml": prodAppSet("blog", ["blog"]),
    });
    const service = await start();
    await service.nextCycle();
    fleet.commit({
      "appsets/shop.yaml": prodAppSet("shop", ["web"]).replace("template:", "tempalte:"),
      "appsets/blog.yaml": prodAppSet("blog", ["blog", "comments"]),
    });
    const cycle = service.nextCycle();
    await redis.publish(`${prefix}generator:trigger`, "test");
    expect(await cycle).toMatchObject({ failed: ["shop"], syncs: 2, deletes: 0 });
    expect((await store.generations.getGeneration("shop"))?.generatorError).toMatch(
      /^appsets\/shop\.yaml at [0-9a-f]{12} does not parse: .*spec\.tempalte: unknown field "tempalte"; the previous generation stays in force$/,
    );
    expect((await store.generations.getGeneration("blog"))?.generatorError).toBeUndefined();
    expect((await store.applications.desiredDigests("shop")).size).toBe(2);
  });

  it("two replicas: exactly one generates", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    const a = await start();
    const b = await start();
    await Promise.race([a.nextCycle(), b.nextCycle()]);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
  });

  it("a burst of 50 triggers for one app leaves at most one waiting job for it", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    const service = await start();
    await service.nextCycle();
    for (let i = 0; i < 50; i++) {
      fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]).replace("apps/{{app}}", `apps/{{app}}/v${i}`) });
      await redis.publish(`${prefix}generator:trigger`, `burst ${i}`);
    }
    let syncs = (await service.nextCycle()).syncs;
    while (syncs > 0) syncs = (await Promise.race([service.nextCycle(), idle(1500)])).syncs;
    expect(await waiting("prod-a")).toEqual([{ application: "web-prod-a", kind: "sync" }]);
  });
});

/** A report with nothing to do: used to stop waiting when no further cycle comes. */
function idle(ms: number) {
  return new Promise<{ syncs: number }>((r) => setTimeout(() => r({ syncs: 0 }), ms));
}
