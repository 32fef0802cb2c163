import { randomBytes } from "node:crypto";
import { type StartedSentinel, startSentinel } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectRedis, redisEndpoint, untilReady } from "./redis-connection.ts";

describeWithRedis("a Redis found through a real Sentinel", (redisInfo) => {
  let sentinel: StartedSentinel;

  beforeAll(async () => {
    sentinel = await startSentinel({ master: { host: redisInfo.host, port: redisInfo.port } });
  });

  afterAll(async () => {
    await sentinel?.stop();
  });

  it("connects to the master the Sentinel names, through connectRedis and a redis+sentinel:// URL", async () => {
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const url = `redis+sentinel://${sentinel.host}:${sentinel.port}/${sentinel.masterName}`;
    const redis = connectRedis({ url, log });
    try {
      await untilReady(redis);
      const key = `sentinel-test:${randomBytes(4).toString("hex")}`;
      await redis.set(key, "through-sentinel", "EX", 60);
      // The same key read straight from the master: the Sentinel led the connection there.
      const direct = connectRedis({ url: redisInfo.url, log });
      try {
        expect(await direct.get(key)).toBe("through-sentinel");
      } finally {
        direct.disconnect();
      }
      // A duplicate (BullMQ's blocking connections, the event subscribers) finds the master the same way.
      const twin = redis.duplicate();
      try {
        expect(await twin.get(key)).toBe("through-sentinel");
      } finally {
        twin.disconnect();
      }
      expect(redisEndpoint(url)).toBe(url);
    } finally {
      redis.disconnect();
    }
  });
});
