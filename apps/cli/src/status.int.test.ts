import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { type AppStatus, StatusStore } from "@flotilla/worker";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(root, "apps/cli/src/main.ts");

function flotilla(env: Record<string, string>, ...args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describeWithRedis("flotilla status and history (process, real Redis)", (info) => {
  const prefix = `cli${randomUUID().slice(0, 8)}:`;
  const env = { FLOTILLA_REDIS_URL: info.url, FLOTILLA_REDIS_PREFIX: prefix };
  let redis: Redis;
  const v1 = "1".repeat(40);
  const v2 = "2".repeat(40);

  beforeAll(async () => {
    redis = new Redis(info.url);
    const store = await openStore({ redis, prefix, needsCredentials: false, log: pino({ level: "silent" }) });
    for (const name of ["dev", "prod"]) {
      await store.clusters.register({ name, server: `https://${name}:6443`, labels: {}, mode: "agent" });
    }
    const statuses = new StatusStore(redis, { prefix });
    const base = (cluster: string, revision: string, at: string): AppStatus => ({
      appSet: "shop",
      application: `web-${cluster}`,
      cluster,
      sync: "Synced",
      health: "Healthy",
      revision,
      lastSyncAt: at,
      resources: [],
    });
    const inventory = { version: 1, entries: [] } as never;
    const ref = { cluster: "prod", appSet: "shop", application: "web-prod" };
    for (const [revision, at] of [
      [v1, "2026-11-24T20:00:00.000Z"],
      [v2, "2026-11-24T21:00:00.000Z"],
    ] as const) {
      await statuses.record(ref, {
        status: base("prod", revision, at),
        inventory,
        history: { at: Date.parse(at), result: "Synced", revision, jobId: revision.slice(0, 1) },
      });
    }
    await statuses.record(
      { cluster: "dev", appSet: "shop", application: "web-dev" },
      { status: { ...base("dev", v1, "2026-11-24T20:00:00.000Z"), health: "Degraded" }, inventory },
    );
  });

  afterAll(async () => {
    await redis.quit();
  });

  it("status: a pending deletion is listed with its attempts and last error, and the exit code counts it", async () => {
    const pendingPrefix = `${prefix}pending:`;
    const store = await openStore({
      redis,
      prefix: pendingPrefix,
      needsCredentials: false,
      log: pino({ level: "silent" }),
    });
    await store.clusters.register({ name: "prod", server: "https://prod:6443", labels: {}, mode: "agent" });
    const pendingEnv = { ...env, FLOTILLA_REDIS_PREFIX: pendingPrefix };
    expect((await flotilla(pendingEnv, "status")).code).toBe(0);
    for (const at of [1_000, 2_000, 3_000]) {
      await store.pendingDeletions.recordFailure({
        cluster: "prod",
        appSet: "shop",
        application: "cart-prod",
        preserveResources: false,
        error: "ConfigMap/shop/cart delete failed (forbidden)",
        at,
        retryDelayMs: () => 60_000,
      });
    }

    const r = await flotilla(pendingEnv, "status");
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("1 pending deletion(s), retried until done or abandoned");
    expect(r.stdout).toMatch(
      /cart-prod\s+│ shop\s+│ prod\s+│ 3\s+│ .*│ ConfigMap\/shop\/cart delete failed \(forbidden\)/,
    );
    expect(r.code).toBe(1);
    const json = JSON.parse((await flotilla(pendingEnv, "status", "-o", "json")).stdout) as {
      pendingDeletions: { application: string; attempts: number }[];
    };
    expect(json.pendingDeletions).toMatchObject([{ application: "cart-prod", attempts: 3 }]);

    await store.pendingDeletions.abandonDeletion({ cluster: "prod", appSet: "shop", application: "cart-prod" });
    expect((await flotilla(pendingEnv, "status")).code).toBe(0);
  });

  it("status: every registered cluster's Applications, exit 1 while one is Degraded", async () => {
    const r = await flotilla(env, "status");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/web-dev\s+│ shop\s+│ dev\s+│ Synced\s+│ Degraded/);
    expect(r.stdout).toMatch(/web-prod\s+│ shop\s+│ prod\s+│ Synced\s+│ Healthy\s+│ 222222222222/);
    expect(r.code).toBe(1);
    expect((await flotilla(env, "status", "--cluster", "prod")).code).toBe(0);
  });

  it("history: the syncs of one Application, and the revision that ran at a given time", async () => {
    const list = await flotilla(env, "history", "web-prod", "--cluster", "prod", "-o", "json");
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { revision: string }[]).map((e) => e.revision)).toEqual([v2, v1]);
    const at = await flotilla(env, "history", "web-prod", "--cluster", "prod", "--at", "2026-11-24T20:30:00Z");
    expect(at.stdout).toBe(`web-prod on prod at 2026-11-24T20:30:00.000Z ran ${v1}\n`);
    expect(at.code).toBe(0);
  });

  it("an unreachable Redis is one clear line, without the password in its URL", async () => {
    const r = await flotilla(
      { FLOTILLA_REDIS_URL: "redis://:hunter2@127.0.0.1:1", FLOTILLA_REDIS_PREFIX: prefix },
      "status",
    );
    expect(r.stderr).toMatch(/^error: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    expect(r.stderr).not.toContain("hunter2");
    expect(r.code).toBe(3);
  });
});
