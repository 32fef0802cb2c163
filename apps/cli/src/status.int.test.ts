import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiHarness } from "@flotilla/api/testing";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import type { AppStatus, FleetSummary } from "@flotilla/status";
import type { GenerationRecord, LostCluster } from "@flotilla/store";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import pino from "pino";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "./testing/run-cli.ts";

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

describeWithRedis("flotilla status (process, through the real API on real Redis)", (info) => {
  // One API (and key prefix) per fleet state, so each test's fleet is exactly what it set up.
  const fleet = apiHarness(info.url);
  const pending = apiHarness(info.url);
  const lost = apiHarness(info.url);
  const generated = apiHarness(info.url);
  const as = (api: ReturnType<typeof apiHarness>) => ({ FLOTILLA_SERVER: api.url, FLOTILLA_TOKEN: api.tokens.read });
  const v1 = "1".repeat(40);
  const v2 = "2".repeat(40);
  const inventory = { version: 1, entries: [] } as never;

  const agents = async (api: ReturnType<typeof apiHarness>, names: string[], domain = "") => {
    for (const name of names) {
      await api.store.clusters.register({ name, server: `https://${name}${domain}:6443`, labels: {}, mode: "agent" });
      await api.store.clusters.heartbeat(name);
    }
  };

  beforeAll(async () => {
    await agents(fleet, ["dev", "prod"]);
    await agents(pending, ["prod"]);
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
    const ref = { cluster: "prod", appSet: "shop", application: "web-prod" };
    for (const [revision, at] of [
      [v1, "2026-11-24T20:00:00.000Z"],
      [v2, "2026-11-24T21:00:00.000Z"],
    ] as const) {
      await fleet.deps.status.record(ref, {
        status: base("prod", revision, at),
        inventory,
        history: { at: Date.parse(at), result: "Synced", revision, jobId: revision.slice(0, 1) },
      });
    }
    await fleet.deps.status.record(
      { cluster: "dev", appSet: "shop", application: "web-dev" },
      { status: { ...base("dev", v1, "2026-11-24T20:00:00.000Z"), health: "Degraded" }, inventory },
    );
  });

  it("status: the summary and the Degraded Application as a table; exit 1 while it is, 0 for a well cluster", async () => {
    const r = await runCli(["status"], as(fleet));
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        "2 Applications: 2 Synced, 0 OutOfSync, 0 Error; 1 Healthy, 0 Progressing, 1 Degraded, 0 Missing, 0 Unknown",
        "2 clusters: 2 Connected, 0 HeartbeatStale, 0 NeverSeen, 0 Unserved",
        "",
        "1 Application(s) in Error, OutOfSync or Degraded:",
        "APPLICATION   APPSET   CLUSTER   SYNC     HEALTH     REVISION       LAST SYNC             MESSAGE",
        "web-dev       shop     dev       Synced   Degraded   111111111111   2026-11-24 20:00:00",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(1);
    const prod = await runCli(["status", "--cluster", "prod"], as(fleet));
    expect(prod.stdout).toContain("1 Applications: 1 Synced");
    expect(prod.stdout).toContain("all is well");
    expect(prod.code).toBe(0);
    expect((await runCli(["status", "--cluster", "prod", "--cluster", "dev"], as(fleet))).code).toBe(1);
  });

  it("status -o json and -o yaml print the API's answer", async () => {
    const json = await runCli(["status", "-o", "json"], as(fleet));
    const summary = JSON.parse(json.stdout) as FleetSummary;
    expect(summary).toMatchObject({ well: false, applications: { total: 2 }, clusters: { total: 2 } });
    expect(summary.problems.applications.items).toEqual([
      {
        appSet: "shop",
        application: "web-dev",
        cluster: "dev",
        sync: "Synced",
        health: "Degraded",
        revision: v1,
        lastSyncAt: "2026-11-24T20:00:00.000Z",
      },
    ]);
    expect(json.code).toBe(1);
    const yaml = await runCli(["status", "-o", "yaml", "--appset", "nope"], as(fleet));
    expect(yaml.stdout).toMatch(/^well: true\napplications:\n {2}total: 0\n/);
    expect(yaml.code).toBe(0);
  });

  it("status: a pending deletion is listed with its attempts and last error, and the exit code counts it", async () => {
    expect((await runCli(["status"], as(pending))).code).toBe(0);
    for (const at of [1_000, 2_000, 3_000]) {
      await pending.store.pendingDeletions.recordFailure({
        cluster: "prod",
        appSet: "shop",
        application: "cart-prod",
        preserveResources: false,
        error: "ConfigMap/shop/cart delete failed (forbidden)",
        at,
        retryDelayMs: () => 60_000,
      });
    }
    const r = await runCli(["status"], as(pending));
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("1 pending deletion(s), retried until done or abandoned");
    expect(r.stdout).toMatch(/cart-prod\s+shop\s+prod\s+3\s+.*ConfigMap\/shop\/cart delete failed \(forbidden\)/);
    expect(r.code).toBe(1);
    const json = JSON.parse((await runCli(["status", "-o", "json"], as(pending))).stdout) as FleetSummary;
    expect(json.problems.pendingDeletions).toMatchObject([{ application: "cart-prod", attempts: 3 }]);

    await pending.store.pendingDeletions.abandonDeletion({ cluster: "prod", appSet: "shop", application: "cart-prod" });
    expect((await runCli(["status"], as(pending))).code).toBe(0);
  });

  it("status --wait: waits until the fleet is well (exit 0), or times out with what is still wrong (exit 1)", async () => {
    const ref = { cluster: "prod", appSet: "shop", application: "late" };
    const unwell: AppStatus = {
      ...ref,
      sync: "OutOfSync",
      health: "Progressing",
      lastSyncAt: "2026-12-01T10:00:00.000Z",
      resources: [],
    };
    await pending.deps.status.record(ref, { status: unwell, inventory });
    const timedOut = await runCli(["status", "--wait", "--timeout", "2s"], as(pending));
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toMatch(/^waiting \(0s\): 1 unwell Application\(s\)\n/);
    expect(timedOut.stderr).toContain("timed out after 2s; still wrong:");
    expect(timedOut.stdout).toMatch(/late\s+shop\s+prod\s+OutOfSync\s+Progressing/);

    const waiting = runCli(["status", "--wait", "--timeout", "2m"], as(pending));
    // The wait has seen the problem once (its first line is printed at once) before the fleet recovers.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await pending.deps.status.record(ref, { status: { ...unwell, sync: "Synced", health: "Healthy" }, inventory });
    const done = await waiting;
    expect(done.stdout).toContain("all is well");
    expect(done.code).toBe(0);
  });

  it("status: a pool cluster lost with the Redis data is listed with its server and what to do until it is back", async () => {
    expect((await runCli(["status"], as(lost))).code).toBe(0);
    // What a pool worker records when it notices the data loss (see the worker's RegistryLossWatch).
    const record: LostCluster = {
      name: "prod-eu",
      server: "https://prod-eu.example:6443",
      lostAt: "2026-11-24T22:00:00.000Z",
      detectedBy: "pool-7",
    };
    await lost.store.lostClusters.record([record]);

    const r = await runCli(["status"], as(lost));
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("1 pool cluster(s) lost with the Redis data");
    expect(r.stdout).toContain("register each again with its credentials, under the same name and server");
    expect(r.stdout).toMatch(/prod-eu\s+https:\/\/prod-eu\.example:6443\s+2026-11-24 22:00:00\s+pool-7/);
    expect(r.code).toBe(1);
    const json = await runCli(["status", "-o", "json"], as(lost));
    expect((JSON.parse(json.stdout) as FleetSummary).problems.lostClusters).toEqual([record]);
    expect(json.code).toBe(1);
    expect((await runCli(["status", "--cluster", "dev"], as(lost))).code).toBe(0);

    // Registered again: the pool worker clears the record, and the fleet is well again.
    await lost.store.lostClusters.clear(["prod-eu"]);
    expect((await runCli(["status"], as(lost))).code).toBe(0);
  });

  it("status: what the generator recorded — element errors, held deletions, a failed generation — exit 1", async () => {
    await agents(generated, ["prod-a"], ".example");
    const repo = new TestGitRepo();
    repo.commit({ "appsets/edge.yaml": EDGE, "appsets/shop.yaml": SHOP });
    const secret = "webhook-secret";
    const service = await startGeneratorService(
      {
        fleet: { repoURL: repo.dir, revision: "main", paths: ["appsets/*.yaml"] },
        pollIntervalMs: 3_600_000,
        webhook: { port: 0, secret },
        redis: { url: info.url, prefix: generated.prefix, skipPolicyCheck: false },
        repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-repos-")),
        render: { enabled: false, concurrency: 1 },
        allowLocalRepos: true,
      },
      pino({ level: "silent" }),
    );
    const pushed = async (files: Record<string, string>) => {
      repo.commit(files);
      const cycle = service.nextCycle();
      expect((await push(service, repo.dir, secret)).status).toBe(202);
      return cycle;
    };
    const env = as(generated);
    try {
      expect(await service.nextCycle()).toMatchObject({ failed: ["edge"] });
      const first = await runCli(["status"], env);
      expect(first.stderr).toBe("");
      expect(first.stdout).toContain("1 ApplicationSet(s) whose last generation did not do all that Git asks:");
      expect(first.stdout).toMatch(
        /edge\s+[0-9a-f]{12}\s+.*\s+element 1 \[.*\] \(Application "web-unknown"\): spec\.destination\.server: "https:\/\/unknown\.example:6443" is not the server of any registered cluster/,
      );
      expect(first.stdout).not.toMatch(/^shop\s/m);
      expect(first.code).toBe(1);
      expect((await runCli(["status", "--appset", "shop"], env)).code).toBe(0);

      // shop leaves Git: its Applications are held (a hold record, frozen), not deleted.
      expect(await pushed({ "appsets/edge.yaml": EDGE })).toMatchObject({ held: 1 });
      const held = await runCli(["status", "--appset", "shop"], env);
      expect(held.stdout).toMatch(
        /held: ApplicationSet shop \(removed from Git, frozen\) since .*: 2 Application\(s\): api on prod-a, web on prod-a/,
      );
      expect(held.code).toBe(1);

      // edge's file stops parsing: its generation fails and the previous one stays in force.
      expect(await pushed({ "appsets/edge.yaml": `${EDGE}  bogus: [\n` })).toMatchObject({ failed: ["edge"] });
      const failed = await runCli(["status", "-o", "json", "--appset", "edge"], env);
      const problems = (JSON.parse(failed.stdout) as FleetSummary).problems.generations as GenerationRecord[];
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ appSet: "edge", counts: { errors: 1 } });
      expect(problems[0]?.generatorError).toMatch(/^appsets\/edge\.yaml at [0-9a-f]{12} does not parse: /);
      expect(failed.code).toBe(1);
      const table = await runCli(["status", "--appset", "edge"], env);
      expect(table.stdout).toMatch(
        /edge\s+.*\s+generation failed, nothing deleted, the previous generation stays in force: appsets\/edge\.yaml at/,
      );
    } finally {
      await service.stop();
      repo.remove();
    }
  });

  it("status: bad flags are exit 2 before anything is sent; no token is exit 4; no server is exit 3", async () => {
    const badTimeout = await runCli(["status", "--wait", "--timeout", "soon"], as(fleet));
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain('--timeout: "soon" is not a duration');
    expect((await runCli(["status", "--limit", "-3"], as(fleet))).code).toBe(2);
    const badCluster = await runCli(["status", "--cluster", "Not_A_Name"], as(fleet));
    expect(badCluster.code).toBe(2);
    expect(badCluster.stderr).toContain("cluster");
    expect((await runCli(["status"], { FLOTILLA_SERVER: fleet.url })).code).toBe(4);
    const down = await runCli(["status"], { FLOTILLA_SERVER: "http://127.0.0.1:9", FLOTILLA_TOKEN: "x" });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("cannot reach the Flotilla API at http://127.0.0.1:9");
  });
});
