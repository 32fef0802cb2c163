import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { expect, it } from "vitest";
import { describeWithRedis } from "./vitest.ts";

describeWithRedis("the test bed's Redis", (redis) => {
  it("answers PING", async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      expect(await client.ping()).toBe("PONG");
    } finally {
      client.disconnect();
    }
  });

  it("carries a BullMQ job from a producer to a worker", async () => {
    const connection = { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
    const name = `testbed-${Date.now()}`;
    const queue = new Queue(name, { connection });
    let onCompleted: (value: { id: string | undefined; result: unknown }) => void = () => {};
    const completed = new Promise<{ id: string | undefined; result: unknown }>((resolve) => {
      onCompleted = resolve;
    });
    const worker = new Worker(name, async (job) => ({ synced: (job.data as { cluster: string }).cluster }), {
      connection,
    });
    worker.on("completed", (job, result) => onCompleted({ id: job.id, result }));
    try {
      const job = await queue.add("sync", { cluster: "alpha" });
      const done = await completed;
      expect(done).toEqual({ id: job.id, result: { synced: "alpha" } });
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
