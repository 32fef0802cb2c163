import { randomUUID } from "node:crypto";
import { parsePrometheusText, type Scrape, samplesOf, sampleValue } from "@flotilla/metrics";
import { openStore, type Store } from "@flotilla/store";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type GeneratorService, startGeneratorService } from "./service.ts";
import { prodAppSet } from "./testing/fleet-repo.ts";
import { testGeneratorConfig } from "./testing/service-config.ts";

/** An ApplicationSet whose one element cannot be rendered: `{{missing}}` is not a parameter (strict templates). */
const BROKEN = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: broken }
spec:
  generators:
    - list: { elements: [{ app: one }] }
  template:
    metadata: { name: "{{missing}}" }
    spec:
      source: { repoURL: "https://git.example/fleet.git", path: "apps/one" }
      destination: { cluster: "prod-a", namespace: "one" }
`;

describeWithRedis("the generator's /metrics after real cycles (real Redis, real Git)", (redisInfo) => {
  const prefix = `t${randomUUID().slice(0, 8)}:`;
  const fleet = new TestGitRepo();
  let redis: Redis;
  let store: Store;
  let service: GeneratorService;

  async function scrape(): Promise<Scrape> {
    const res = await fetch(`http://127.0.0.1:${service.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await res.text());
  }

  /** The ApplicationSets' gauges are read from Redis through a cache of a few seconds. */
  async function scrapeUntil(check: (s: Scrape) => boolean, what: string): Promise<Scrape> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const s = await scrape();
      if (check(s)) return s;
      if (Date.now() > deadline) throw new Error(`${what}: not seen within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    redis = new Redis(redisInfo.url, { maxRetriesPerRequest: null });
    store = await openStore({ redis, prefix, needsCredentials: false, log: pino({ level: "silent" }) });
    for (const name of ["prod-a", "prod-b"]) {
      await store.clusters.register({ name, server: `https://${name}:6443`, labels: { env: "prod" }, mode: "agent" });
    }
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["a", "b", "c", "d"]), "appsets/broken.yaml": BROKEN });
    const config = testGeneratorConfig({ fleetDir: fleet.dir, redis: { url: redisInfo.url, prefix }, render: false });
    service = await startGeneratorService(config, pino({ level: "silent" }));
  });

  afterAll(async () => {
    await service.stop();
    await redis.quit();
    fleet.remove();
  });

  it("after a generation: its duration per ApplicationSet, its outcome, the Applications in force", async () => {
    expect(await service.nextCycle()).toMatchObject({ applications: 8, failed: ["broken"] });
    const s = await scrapeUntil(
      (x) => sampleValue(x, "flotilla_appset_applications", { appset: "shop" }) === 8,
      "shop's Applications in force",
    );
    expect(sampleValue(s, "flotilla_appset_generation_seconds_count", { appset: "shop" })).toBe(1);
    expect(sampleValue(s, "flotilla_appset_generation_seconds_sum", { appset: "shop" })).toBeGreaterThan(0);
    expect(sampleValue(s, "flotilla_appset_generations_total", { appset: "shop", outcome: "ok" })).toBe(1);
    expect(sampleValue(s, "flotilla_appset_generations_total", { appset: "broken", outcome: "failed" })).toBe(1);
    expect(sampleValue(s, "flotilla_appset_held_deletions", { appset: "shop" })).toBe(0);
    expect(s.families.get("flotilla_appset_generation_seconds")?.type).toBe("histogram");
    expect(sampleValue(s, "process_resident_memory_bytes")).toBeGreaterThan(1_000_000);
  });

  it("a shrink past the guard shows in appset_held_deletions, the held Applications still in force", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["a"]), "appsets/broken.yaml": BROKEN });
    const cycle = service.nextCycle();
    await redis.publish(`${prefix}generator:trigger`, JSON.stringify({ reason: "test push", repoURLs: [] }));
    expect(await cycle).toMatchObject({ held: 1, deletes: 0 });
    const s = await scrapeUntil(
      (x) => sampleValue(x, "flotilla_appset_held_deletions", { appset: "shop" }) === 6,
      "the held deletions",
    );
    expect(sampleValue(s, "flotilla_appset_applications", { appset: "shop" })).toBe(8);
    expect(sampleValue(s, "flotilla_appset_generation_seconds_count", { appset: "shop" })).toBe(2);
    expect(samplesOf(s, "flotilla_appset_held_deletions").map((x) => x.labels["appset"])).toEqual(["broken", "shop"]);
  });

  it("a release executes the deletions: the hold's series reads 0 and the Applications in force drop", async () => {
    const cycle = service.nextCycle();
    expect(await store.holds.release("shop")).toBeDefined();
    await redis.publish(`${prefix}generator:trigger`, JSON.stringify({ reason: "hold released", repoURLs: [] }));
    expect(await cycle).toMatchObject({ deletes: 6, held: 0 });
    const s = await scrapeUntil(
      (x) => sampleValue(x, "flotilla_appset_applications", { appset: "shop" }) === 2,
      "the released deletions gone",
    );
    expect(sampleValue(s, "flotilla_appset_held_deletions", { appset: "shop" })).toBe(0);
  });
});
