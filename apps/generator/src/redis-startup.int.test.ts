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
  TestGitRepo,
  untilStatus,
} from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

describeWithRedis("generator process and its Redis (real Redis, real Git)", (redisInfo) => {
  const fleet = new TestGitRepo();
  const procs: ServiceProcess[] = [];
  const forwards: TcpForward[] = [];
  fleet.commit({ "README.md": "no ApplicationSets yet\n" });

  const start = (redisUrl: string, webhookPort: number): ServiceProcess => {
    const proc = startServiceProcess({
      script: MAIN,
      env: {
        FLOTILLA_FLEET_REPO: fleet.dir,
        FLOTILLA_FLEET_REVISION: "main",
        FLOTILLA_REDIS_URL: redisUrl,
        FLOTILLA_REDIS_PREFIX: `gen-start-${randomBytes(4).toString("hex")}:`,
        FLOTILLA_WEBHOOK_PORT: String(webhookPort),
        FLOTILLA_POLL_INTERVAL: "1h",
      },
    });
    procs.push(proc);
    return proc;
  };

  afterEach(async () => {
    for (const p of procs.splice(0)) p.kill();
    for (const f of forwards.splice(0)) await f.close();
  });
  afterAll(() => fleet.remove());

  it("with no Redis at start: logs structured retry lines with backoff, is alive (/healthz 200) but not ready (/readyz 503); ready once Redis appears", async () => {
    const redisPort = await freePort();
    const webhookPort = await freePort();
    const proc = start(`redis://127.0.0.1:${redisPort}`, webhookPort);

    const retries = await redisRetryLines(proc, 3);
    expect(retries[0]).toMatchObject({
      level: 40,
      name: "flotilla:generator",
      redis: `redis://127.0.0.1:${redisPort}`,
      attempt: 1,
      err: { code: "ECONNREFUSED" },
    });
    const delays = retries.map((l) => l.retryInMs as number);
    expect(delays[1]).toBeGreaterThan(delays[0]!);
    expect(delays[2]).toBeGreaterThan(delays[1]!);

    expect(await eventually("/healthz", () => probeHttp(webhookPort, "/healthz"), 30_000)).toMatchObject({
      status: 200,
    });
    expect(await probeHttp(webhookPort, "/readyz")).toEqual({
      status: 503,
      body: { ready: false, checks: { redis: false, lease: false } },
    });
    expect(proc.child.exitCode).toBeNull();

    forwards.push(await forwardTcp({ port: redisPort, to: { host: redisInfo.host, port: redisInfo.port } }));
    const ready = await untilStatus({ port: webhookPort, path: "/readyz", status: 200 });
    expect(ready.body).toEqual({ ready: true, checks: { redis: true, lease: true } });
    await eventually(
      "the lease taken and a cycle run",
      () => (proc.logs().some((l) => l.msg === "cycle done") ? true : undefined),
      60_000,
    );

    // Redis goes away again: still alive, no longer ready.
    await forwards.pop()!.close();
    await untilStatus({ port: webhookPort, path: "/readyz", status: 503 });
    expect((await probeHttp(webhookPort, "/healthz"))?.status).toBe(200);
  });

  describe("against a Redis that may evict keys", () => {
    let own: StartedRedis;
    beforeAll(async () => {
      own = await startRedis();
      const admin = new Redis(own.info.url);
      await admin.config("SET", "maxmemory-policy", "allkeys-lru");
      await admin.quit();
    }, 120_000);
    afterAll(async () => {
      await own?.stop();
    });

    it("refuses to start, exit 2, saying what to set; FLOTILLA_REDIS_SKIP_POLICY_CHECK=true starts it anyway", async () => {
      const refused = start(own.info.url, await freePort());
      expect(await refused.exited).toBe(2);
      expect(refused.stderr()).toMatch(/maxmemory-policy is "allkeys-lru"; Flotilla \(BullMQ\) needs "noeviction"/);
      expect(refused.logs().find((l) => l.level === 60)).toMatchObject({ problem: "eviction" });

      const port = await freePort();
      const proc = startServiceProcess({
        script: MAIN,
        env: {
          FLOTILLA_FLEET_REPO: fleet.dir,
          FLOTILLA_FLEET_REVISION: "main",
          FLOTILLA_REDIS_URL: own.info.url,
          FLOTILLA_WEBHOOK_PORT: String(port),
          FLOTILLA_REDIS_SKIP_POLICY_CHECK: "true",
        },
      });
      procs.push(proc);
      await untilStatus({ port, path: "/readyz", status: 200 });
      expect(proc.logs().some((l) => l.level === 40 && l.flag === "FLOTILLA_REDIS_SKIP_POLICY_CHECK")).toBe(true);
    });
  });
});
