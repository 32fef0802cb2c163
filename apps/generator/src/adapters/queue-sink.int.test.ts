import { randomBytes } from "node:crypto";
import { type Application, specDigest } from "@flotilla/core";
import { SyncQueues, type WorkItem } from "@flotilla/queue";
import { type Fence, fenceOf, isStaleFenceError, openStore, type Store } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { queueSink } from "./queue-sink.ts";
import { NotLeaderError } from "./store-state.ts";

const log = pino({ level: "silent" });

function item(application: string): WorkItem {
  const app: Application = {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name: application },
    spec: {
      source: { repoURL: "https://git.example/fleet.git", targetRevision: "main", path: "apps/a" },
      destination: { cluster: "prod", namespace: "a" },
    },
  };
  return {
    kind: "sync",
    job: { appSet: "s", application, cluster: "prod", desiredDigest: specDigest(app), revision: "c1", app },
  };
}

describeWithRedis("the generator's job sink (real Redis)", (info) => {
  let redis: Redis;
  let store: Store;
  let queues: SyncQueues;

  beforeEach(async () => {
    redis = new Redis(info.url, { maxRetriesPerRequest: null });
    const prefix = `sink-${randomBytes(5).toString("hex")}:`;
    store = await openStore({ redis, prefix, needsCredentials: false, log });
    queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull`, log });
  });
  afterEach(async () => {
    await queues.close();
    await redis.quit();
  });

  it("a cycle that lost its lease enqueues nothing, even when its lease was lost after it last checked", async () => {
    const lease = store.lease("generator", { ttlMs: 60_000 });
    const lost = (await lease.acquire())!;
    await lease.release(lost);
    const successor = (await lease.acquire())!;
    // The cycle still believes it holds `lost` (a pause between its check and the write).
    let fence: Fence | undefined = fenceOf(lost);
    const sink = queueSink({ queues, fence: () => fence, keys: store.keys });

    await expect(sink.enqueue([item("a-prod"), item("b-prod")])).rejects.toSatisfy(isStaleFenceError);
    expect(await queues.counts("prod")).toMatchObject({ waiting: 0, pending: 0 });

    fence = undefined;
    await expect(sink.enqueue([item("a-prod")])).rejects.toBeInstanceOf(NotLeaderError);
    expect(await queues.counts("prod")).toMatchObject({ waiting: 0, pending: 0 });

    fence = fenceOf(successor);
    await sink.enqueue([item("a-prod"), item("b-prod")]);
    expect(await queues.counts("prod")).toMatchObject({ waiting: 2, pending: 2 });
  });
});
