import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import { type AppStatus, StatusStore } from "@flotilla/status";
import { type GenerationRecord, type LostCluster, openStore } from "@flotilla/store";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
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

/** A signed GitHub push webhook: the generator's next cycle reads the new commit. */
function push(service: GeneratorService, dir: string, secret: string): Promise<Response> {
  const body = Buffer.from(JSON.stringify({ ref: "refs/heads/main", repository: { clone_url: dir } }));
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return fetch(`http://127.0.0.1:${service.port}/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature },
    body,
  });
}

// One element points at a server nobody registered: that element fails, its sibling is generated.
const EDGE = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: edge }
spec:
  generators:
    - list:
        elements:
          - { name: prod-a, server: "https://prod-a.example:6443" }
          - { name: unknown, server: "https://unknown.example:6443" }
  template:
    metadata: { name: "web-{{name}}" }
    spec:
      source: { repoURL: https://git.example/fleet.git, path: apps/web }
      destination: { server: "{{server}}", namespace: web }
      syncPolicy: { automated: { prune: true } }
`;

const SHOP = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: shop }
spec:
  generators:
    - list: { elements: [ { app: web }, { app: api } ] }
  template:
    metadata: { name: "{{app}}" }
    spec:
      source: { repoURL: https://git.example/fleet.git, path: "apps/{{app}}" }
      destination: { cluster: prod-a, namespace: "{{app}}" }
      syncPolicy: { automated: { prune: true } }
`;

describeWithRedis("flotilla status (process, real Redis)", (info) => {
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

  it("status: a pool cluster lost with the Redis data is listed with its server and what to do until it is back", async () => {
    const lostPrefix = `${prefix}lost:`;
    const store = await openStore({
      redis,
      prefix: lostPrefix,
      needsCredentials: false,
      log: pino({ level: "silent" }),
    });
    const lostEnv = { ...env, FLOTILLA_REDIS_PREFIX: lostPrefix };
    expect((await flotilla(lostEnv, "status")).code).toBe(0);
    // What a pool worker records when it notices the data loss (see the worker's RegistryLossWatch).
    const lost: LostCluster = {
      name: "prod-eu",
      server: "https://prod-eu.example:6443",
      lostAt: "2026-11-24T22:00:00.000Z",
      detectedBy: "pool-7",
    };
    await store.lostClusters.record([lost]);

    const r = await flotilla(lostEnv, "status");
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("1 pool cluster(s) lost with the Redis data");
    expect(r.stdout).toContain("register each again with its credentials, under the same name and server");
    expect(r.stdout).toMatch(/prod-eu\s+│ https:\/\/prod-eu\.example:6443\s+│ 2026-11-24 22:00:00\s+│ pool-7/);
    expect(r.code).toBe(1);
    const json = await flotilla(lostEnv, "status", "-o", "json");
    expect(JSON.parse(json.stdout)).toEqual({
      applications: [],
      pendingDeletions: [],
      lostClusters: [lost],
      generationProblems: [],
      holds: [],
    });
    expect(json.code).toBe(1);
    expect((await flotilla(lostEnv, "status", "--cluster", "dev")).code).toBe(0);

    // Registered again: the pool worker clears the record, and the fleet is well again.
    await store.lostClusters.clear(["prod-eu"]);
    expect((await flotilla(lostEnv, "status")).code).toBe(0);
  });

  it("status: what the generator recorded — element errors, held deletions, a failed generation — exit 1", async () => {
    const genPrefix = `${prefix}gen:`;
    const store = await openStore({
      redis,
      prefix: genPrefix,
      needsCredentials: false,
      log: pino({ level: "silent" }),
    });
    await store.clusters.register({ name: "prod-a", server: "https://prod-a.example:6443", labels: {}, mode: "agent" });
    const genEnv = { ...env, FLOTILLA_REDIS_PREFIX: genPrefix };
    const fleet = new TestGitRepo();
    fleet.commit({ "appsets/edge.yaml": EDGE, "appsets/shop.yaml": SHOP });
    const secret = "webhook-secret";
    const service = await startGeneratorService(
      {
        fleet: { repoURL: fleet.dir, revision: "main", paths: ["appsets/*.yaml"] },
        pollIntervalMs: 3_600_000,
        webhook: { port: 0, secret },
        redis: { url: info.url, prefix: genPrefix, skipPolicyCheck: false },
        repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-repos-")),
        render: { enabled: false, concurrency: 1 },
        allowLocalRepos: true,
      },
      pino({ level: "silent" }),
    );
    const pushed = async (files: Record<string, string>) => {
      fleet.commit(files);
      const cycle = service.nextCycle();
      expect((await push(service, fleet.dir, secret)).status).toBe(202);
      return cycle;
    };
    try {
      expect(await service.nextCycle()).toMatchObject({ failed: ["edge"] });
      const first = await flotilla(genEnv, "status");
      expect(first.stderr).toBe("");
      expect(first.stdout).toContain("1 ApplicationSet(s) whose last generation did not do all that Git asks:");
      expect(first.stdout).toMatch(
        /edge\s+│ [0-9a-f]{12} │ .* │ element 1 \[.*\] \(Application "web-unknown"\): spec\.destination\.server: "https:\/\/unknown\.example:6443" is not the server of any registered cluster/,
      );
      expect(first.stdout).not.toMatch(/^│ shop /m);
      expect(first.code).toBe(1);
      expect((await flotilla(genEnv, "status", "--appset", "shop")).code).toBe(0);

      // shop leaves Git: its Applications are held (a hold record, frozen), not deleted.
      expect(await pushed({ "appsets/edge.yaml": EDGE })).toMatchObject({ held: 1 });
      const held = await flotilla(genEnv, "status", "--appset", "shop");
      expect(held.stdout).toMatch(
        /held: ApplicationSet shop \(removed from Git, frozen\) since .*: 2 Application\(s\): api on prod-a, web on prod-a/,
      );
      expect(held.code).toBe(1);

      // edge's file stops parsing: its generation fails and the previous one stays in force.
      expect(await pushed({ "appsets/edge.yaml": `${EDGE}  bogus: [\n` })).toMatchObject({ failed: ["edge"] });
      const failed = await flotilla(genEnv, "status", "-o", "json", "--appset", "edge");
      const problems = (JSON.parse(failed.stdout) as { generationProblems: GenerationRecord[] }).generationProblems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ appSet: "edge", counts: { errors: 1 } });
      expect(problems[0]?.generatorError).toMatch(/^appsets\/edge\.yaml at [0-9a-f]{12} does not parse: /);
      expect(failed.code).toBe(1);
      const table = await flotilla(genEnv, "status", "--appset", "edge");
      expect(table.stdout).toMatch(
        /edge\s+│ .* │ generation failed, nothing deleted, the previous generation stays in force: appsets\/edge\.yaml at/,
      );
    } finally {
      await service.stop();
      fleet.remove();
    }
  });

  it("status: every registered cluster's Applications, exit 1 while one is Degraded", async () => {
    const r = await flotilla(env, "status");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/web-dev\s+│ shop\s+│ dev\s+│ Synced\s+│ Degraded/);
    expect(r.stdout).toMatch(/web-prod\s+│ shop\s+│ prod\s+│ Synced\s+│ Healthy\s+│ 222222222222/);
    expect(r.code).toBe(1);
    expect((await flotilla(env, "status", "--cluster", "prod")).code).toBe(0);
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
