import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import {
  eventually,
  forwardTcp,
  freePort,
  probeHttp,
  redisRetryLines,
  type ServiceProcess,
  type StartedRedis,
  startRedis,
  startServiceProcess,
  type TcpForward,
  untilStatus,
} from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

describeWithRedis("worker process and its Redis (real Redis)", (redisInfo) => {
  const procs: ServiceProcess[] = [];
  const forwards: TcpForward[] = [];
  afterEach(async () => {
    for (const p of procs.splice(0)) p.kill();
    for (const f of forwards.splice(0)) await f.close();
  });

  it("with no Redis at start: logs structured retry lines with backoff, /healthz 200 and /readyz 503; ready once Redis appears", async () => {
    const redisPort = await freePort();
    const healthPort = await freePort();
    const proc = startServiceProcess({
      script: MAIN,
      env: {
        FLOTILLA_MODE: "pool",
        FLOTILLA_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        FLOTILLA_REDIS_PREFIX: `worker-start-${randomBytes(4).toString("hex")}:`,
        FLOTILLA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        FLOTILLA_HEALTH_PORT: String(healthPort),
        FLOTILLA_WORKER_ID: "starting",
      },
    });
    procs.push(proc);

    const retries = await redisRetryLines(proc, 3);
    expect(retries[0]).toMatchObject({
      level: 40,
      name: "flotilla:worker",
      redis: `redis://127.0.0.1:${redisPort}`,
      attempt: 1,
      err: { code: "ECONNREFUSED" },
    });
    const delays = retries.map((l) => l.retryInMs as number);
    expect(delays[2]).toBeGreaterThan(delays[1]!);
    expect(delays[1]).toBeGreaterThan(delays[0]!);

    expect(await eventually("/healthz", () => probeHttp(healthPort, "/healthz"), 30_000)).toMatchObject({
      status: 200,
    });
    expect(await probeHttp(healthPort, "/readyz")).toEqual({
      status: 503,
      body: { ready: false, checks: { redis: false, started: false } },
    });

    forwards.push(await forwardTcp({ port: redisPort, to: { host: redisInfo.host, port: redisInfo.port } }));
    const ready = await untilStatus({ port: healthPort, path: "/readyz", status: 200 });
    expect(ready.body).toEqual({ ready: true, checks: { redis: true, started: true } });
    expect(proc.logs().some((l) => l.msg === "worker started")).toBe(true);
  });

  describe("against a Redis that may evict keys", () => {
    let own: StartedRedis;
    beforeAll(async () => {
      own = await startRedis();
      const admin = new Redis(own.info.url);
      await admin.config("SET", "maxmemory-policy", "volatile-lru");
      await admin.quit();
    }, 120_000);
    afterAll(async () => {
      await own?.stop();
    });

    it("refuses to start with exit 2, naming the policy and what to set", async () => {
      const proc = startServiceProcess({
        script: MAIN,
        env: {
          FLOTILLA_MODE: "pool",
          FLOTILLA_REDIS_URL: own.info.url,
          FLOTILLA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        },
      });
      procs.push(proc);
      expect(await proc.exited).toBe(2);
      expect(proc.stderr()).toMatch(
        /flotilla worker: Redis maxmemory-policy is "volatile-lru"; Flotilla \(BullMQ\) needs "noeviction"/,
      );
      expect(proc.logs().some((l) => l.level === 60 && l.msg === "worker cannot start")).toBe(true);
    });
  });
});
