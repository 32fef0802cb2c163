import { randomUUID } from "node:crypto";
import { type QueuedWork, SyncQueues } from "@flotilla/queue";
import { openStore, type Store } from "@flotilla/store";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type GeneratorService, startGeneratorService } from "./service.ts";
import { prodAppSet } from "./testing/fleet-repo.ts";
import { testGeneratorConfig } from "./testing/service-config.ts";

const CLUSTERS = ["prod-a", "prod-b", "prod-c", "prod-d"];

/**
 * Labels decide which clusters an ApplicationSet selects, so a relabel is a generation change like a commit: a
 * relabel that takes most clusters out of the selection must meet the deletion guard, whether an operator
 * relabels or an agent restarts declaring other labels. Through the real generator service on real Redis.
 */
describeWithRedis(
  "a relabel that shrinks a generation is held by the deletion guard (real Redis, real Git)",
  (info) => {
    const prefix = `t${randomUUID().slice(0, 8)}:`;
    const fleet = new TestGitRepo();
    let redis: Redis;
    let store: Store;
    let queues: SyncQueues;
    const services: GeneratorService[] = [];

    async function start(): Promise<GeneratorService> {
      const config = testGeneratorConfig({ fleetDir: fleet.dir, redis: { url: info.url, prefix }, render: false });
      const service = await startGeneratorService(config, pino({ level: "silent" }));
      services.push(service);
      return service;
    }

    beforeAll(async () => {
      redis = new Redis(info.url, { maxRetriesPerRequest: null });
      store = await openStore({ redis, prefix, needsCredentials: false, log: pino({ level: "silent" }) });
      queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull` });
      for (const name of CLUSTERS) {
        await store.clusters.registerAgent({ name, server: `https://${name}:6443`, labels: { env: "prod" } });
      }
    });

    afterAll(async () => {
      for (const s of services.splice(0)) await s.stop();
      await queues.close();
      await redis.quit();
      fleet.remove();
    });

    it("3 of 4 clusters relabelled out of the selection at once: nothing is deleted, the shrink is held", async () => {
      fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      const first = await start();
      expect(await first.nextCycle()).toMatchObject({ applications: 4, syncs: 4, deletes: 0, failed: [] });
      await first.stop();
      services.splice(services.indexOf(first), 1);
      for (const cluster of CLUSTERS) await queues.queue(cluster).obliterate({ force: true });

      // Two by the operator, one by an agent restarting with another FLOTILLA_LABELS (env is its own key).
      await store.clusters.setLabels("prod-b", { env: "dev" });
      await store.clusters.setLabels("prod-c", { env: "dev" });
      await store.clusters.registerAgent({ name: "prod-d", server: "https://prod-d:6443", labels: { env: "dev" } });

      const second = await start();
      expect(await second.nextCycle()).toMatchObject({ applications: 1, deletes: 0, held: 1 });
      for (const cluster of CLUSTERS) {
        const jobs = await queues.queue(cluster).getJobs(["waiting", "delayed", "prioritized"]);
        expect(jobs.map((j) => (j.data as QueuedWork).item.kind)).not.toContain("delete");
      }
      expect([...(await store.applications.desiredDigests("shop")).keys()].sort()).toEqual(
        CLUSTERS.map((c) => `web-${c}`).sort(),
      );
      const record = await store.generations.getGeneration("shop");
      expect(record?.held).toMatchObject({ count: 3 });
      expect(record?.held?.names.sort()).toEqual(["web-prod-b", "web-prod-c", "web-prod-d"]);
    });
  },
);
