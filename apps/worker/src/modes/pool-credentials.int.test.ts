import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { SyncQueues } from "@flotilla/queue";
import { openStore } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRuntime, type WorkerRuntime } from "../runtime.ts";
import { application, syncJob, uniqueName } from "../testing/fixtures.ts";
import { eventually, testKey } from "../testing/harness.ts";
import { PoolWorker } from "./pool.ts";

const TOKEN = "pool-token-5ecret-never-sent-elsewhere";

describeWithRedis("pool mode with a repointed cluster record (real Redis)", (info) => {
  const prefix = `${uniqueName("pool-aad")}:`;
  const lines: string[] = [];
  const seen: IncomingMessage["headers"][] = [];
  let bait: Server;
  let redis: Redis;
  let runtime: WorkerRuntime;
  let worker: PoolWorker;
  let queues: SyncQueues;

  beforeAll(async () => {
    // Where an attacker who can write the registry would like the token to go.
    bait = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => bait.listen(0, "127.0.0.1", resolve));
    redis = new Redis(info.url, { maxRetriesPerRequest: null });
    const log = pino(
      { level: "info" },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const store = await openStore({ redis, prefix, encryptionKey: testKey(), log });
    runtime = createRuntime({ redis, store, prefix, log, localRender: false });
    queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull` });
  });

  afterAll(async () => {
    await worker?.stop(2_000);
    await queues.close();
    await runtime.close();
    await redis.quit();
    await new Promise((resolve) => bait.close(resolve));
  });

  it("refuses the credentials, logs it at error level and never connects to the new server", async () => {
    const { store } = runtime;
    await store.clusters.register({
      name: "victim",
      server: "https://victim.example:6443",
      mode: "pool",
      credentials: { kind: "token", token: TOKEN },
    });
    const record = JSON.parse((await redis.hget(store.keys.clusters, "victim"))!) as Record<string, unknown>;
    const { port } = bait.address() as AddressInfo;
    await redis.hset(store.keys.clusters, "victim", JSON.stringify({ ...record, server: `http://127.0.0.1:${port}` }));

    worker = new PoolWorker(runtime, { workerId: "w", leaseTtlMs: 3_000, tickMs: 300, driftWatch: false });
    await worker.start();
    expect(worker.held()).toEqual(["victim"]);
    const app = application({
      name: "cfg",
      repoURL: "https://git.example/r.git",
      path: "p",
      cluster: "victim",
      namespace: "ns",
    });
    await queues.enqueueSync(syncJob("aad", app));

    const refused = await eventually(
      async () => lines.filter((l) => l.includes("stored credentials refused")),
      (found) => found.length > 0,
      30_000,
      "the refusal logged",
    );
    expect(JSON.parse(refused[0]!)).toMatchObject({ level: 50, cluster: "victim" });
    expect(seen).toEqual([]);
    expect(lines.join("\n")).not.toContain(TOKEN);
  });
});
