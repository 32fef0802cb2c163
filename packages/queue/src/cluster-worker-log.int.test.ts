import { randomBytes } from "node:crypto";
import { type Application, specDigest } from "@flotilla/core";
import { eventually } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ClusterWorker, createClusterWorker } from "./cluster-worker.ts";
import type { SyncJob } from "./payloads.ts";
import { SyncQueues } from "./sync-queues.ts";

function syncJob(cluster: string, application: string): SyncJob {
  const app: Application = {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name: application },
    spec: {
      source: { repoURL: "https://git.example/fleet.git", targetRevision: "main", path: "apps/web" },
      destination: { cluster, namespace: "web" },
    },
  };
  return { appSet: "shop", application, cluster, desiredDigest: specDigest(app), revision: "a".repeat(40), app };
}

describeWithRedis("a cluster worker's log lines (real Redis)", (info) => {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  let connection: Redis;
  let queues: SyncQueues;
  const workers: ClusterWorker[] = [];
  const prefix = `logs-${randomBytes(3).toString("hex")}`;

  beforeAll(() => {
    connection = new Redis(info.url, { maxRetriesPerRequest: null });
    queues = new SyncQueues({ connection, prefix, attempts: 1, log });
  });

  afterAll(async () => {
    for (const w of workers) await w.close(2_000);
    await queues.close();
    await connection.quit();
  });

  it("the enqueue line, the handler's lines and the failure line carry appset, app and cluster", async () => {
    const cluster = `logs-${randomBytes(3).toString("hex")}`;
    workers.push(
      createClusterWorker(
        cluster,
        async (item, ctx) => {
          ctx.log.info({ kind: item.kind }, "handling");
          throw new Error("refused");
        },
        { connection, prefix, log },
      ),
    );
    await queues.enqueueSync(syncJob(cluster, "shop-web"));

    const failed = await eventually(
      "the job's failure line",
      () => lines.find((l) => l["msg"] === "job failed"),
      15_000,
      50,
    );
    const handled = lines.find((l) => l["msg"] === "handling");
    const enqueued = lines.find((l) => l["msg"] === "work enqueued");
    for (const line of [enqueued, handled, failed]) {
      expect(line).toMatchObject({ appset: "shop", app: "shop-web", cluster });
      expect(line).not.toHaveProperty("appSet");
      expect(line).not.toHaveProperty("application");
    }
    expect(handled).toMatchObject({ seq: expect.any(Number), jobId: failed?.["jobId"] });
  });
});
