import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import { openStore } from "@flotilla/store";
import { apiRequest, type ClusterInfo, eventually, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { createRuntime, PoolWorker } from "@flotilla/worker";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ClusterView } from "../clusters/cluster-view.ts";
import { apiHarness } from "../testing/api-harness.ts";

const silent = pino({ level: "silent" });

/** Every cluster selected by `selector` gets the ConfigMap in `apps/<path>` of `repo`, synced automatically. */
function appSet(name: string, selector: string, path: string, repo: string): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${name} }
spec:
  generators:
    - clusters: { selector: { matchLabels: { ${selector} } } }
  template:
    metadata: { name: "${name}-{{name}}" }
    spec:
      source: { repoURL: "${repo}", path: "apps/${path}" }
      destination: { cluster: "{{name}}", namespace: default }
      syncPolicy: { automated: { prune: true } }
`;
}

/**
 * Removing a cluster for real: a generator, a pool worker and the API on one Redis, two real clusters. Without
 * orphan, the cluster's Applications are deleted from it through the deletion guard (one that would empty an
 * ApplicationSet is held, visibly, until released) and the record goes once nothing is left; with orphan, the
 * record goes at once and every object stays.
 */
describeWithClusters("cluster removal through the deletion guard (real generator, worker, clusters)", (clusters) => {
  const key = Buffer.alloc(32, 9);
  const prefix = `rm${randomUUID().slice(0, 8)}:`;
  const api = apiHarness(testbedRedis().url, { encryptionKey: key, prefix });
  const [alpha, bravo] = clusters as [ClusterInfo, ClusterInfo];
  const id = randomUUID().slice(0, 8);
  const fleet = new TestGitRepo();
  const source = new TestGitRepo();
  const closers: (() => Promise<void>)[] = [];
  let generator: GeneratorService;

  const configMap = async (cluster: ClusterInfo, name: string) =>
    (await apiRequest(cluster, `/api/v1/namespaces/default/configmaps/${name}`)).status;

  beforeAll(async () => {
    for (const [name, info, env] of [
      ["alpha", alpha, "a"],
      ["bravo", bravo, "b"],
    ] as const) {
      const res = await api.call("admin", {
        method: "POST",
        url: "/api/v1/clusters",
        payload: { name, kubeconfig: info.kubeconfig, labels: { fleet: "yes", env } },
      });
      if (res.statusCode !== 201) throw new Error(res.body);
    }
    source.commit({
      "apps/spread/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: spread-${id} }\ndata: { v: "1" }\n`,
      "apps/solo/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: solo-${id} }\ndata: { v: "1" }\n`,
    });
    fleet.commit({
      "appsets/spread.yaml": appSet("spread", "fleet: yes", "spread", source.dir),
      "appsets/solo.yaml": appSet("solo", "env: b", "solo", source.dir),
    });
    const redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    const store = await openStore({ redis, prefix, encryptionKey: key, log: silent });
    const runtime = createRuntime({
      redis,
      store,
      prefix,
      log: silent,
      allowLocalRepos: true,
      gitMinFetchIntervalMs: 0,
      repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-rm-worker-")),
    });
    const worker = new PoolWorker(runtime, {
      workerId: "rm-worker",
      leaseTtlMs: 3_000,
      tickMs: 300,
      driftWatch: false,
    });
    await worker.start();
    closers.push(async () => {
      await worker.stop(2_000);
      await runtime.close();
      await redis.quit();
    });
    generator = await startGeneratorService(
      {
        fleet: { repoURL: fleet.dir, revision: "main", paths: ["appsets/*.yaml"] },
        // Cluster removals finish at full cycles; a short poll keeps the test brisk.
        pollIntervalMs: 1_000,
        webhook: { port: 0, secret: "" },
        redis: { url: testbedRedis().url, prefix, skipPolicyCheck: false },
        repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-rm-gen-")),
        render: { enabled: false, concurrency: 1 },
        allowLocalRepos: true,
      },
      silent,
    );
    closers.push(() => generator.stop());
    await eventually(
      "every ConfigMap applied",
      async () =>
        (await configMap(alpha, `spread-${id}`)) === 200 &&
        (await configMap(bravo, `spread-${id}`)) === 200 &&
        (await configMap(bravo, `solo-${id}`)) === 200
          ? true
          : undefined,
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    fleet.remove();
    source.remove();
  });

  const get = async (name: string) => api.call("read", { method: "GET", url: `/api/v1/clusters/${name}` });

  it("without orphan: 202 with what will be deleted; the guard holds the shrink that would empty solo", async () => {
    const res = await api.call("admin", { method: "DELETE", url: "/api/v1/clusters/bravo" });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({
      cluster: "bravo",
      orphan: false,
      applications: [
        { appSet: "solo", application: "solo-bravo" },
        { appSet: "spread", application: "spread-bravo" },
      ],
      appSets: [
        { appSet: "solo", deleting: 1, of: 1, likelyHeld: true },
        { appSet: "spread", deleting: 1, of: 2, likelyHeld: false },
      ],
    });
    // spread loses half (allowed): its object goes. solo would lose all: held, its object stays.
    await eventually(
      "spread's bravo object deleted",
      async () => ((await configMap(bravo, `spread-${id}`)) === 404 ? true : undefined),
      60_000,
    );
    const view = await eventually(
      "solo's hold shown on the removing cluster",
      async () => {
        const v = (await get("bravo")).json() as ClusterView;
        return v.removing?.held.length === 1 ? v : undefined;
      },
      30_000,
    );
    expect(view.removing?.held[0]).toMatchObject({ appSet: "solo", applications: ["solo-bravo"] });
    expect(view.removing?.held[0]?.reason).toMatch(/would delete all 1 Application/);
    expect(view.removing?.remaining).toBe(1);
    expect(await configMap(bravo, `solo-${id}`)).toBe(200);
    expect(await configMap(alpha, `spread-${id}`)).toBe(200);
    // Held, the removal waits: the record stays through further cycles.
    await generator.nextCycle();
    await generator.nextCycle();
    expect((await get("bravo")).statusCode).toBe(200);
  }, 120_000);

  it("once the hold is released the object is deleted and the cluster record goes", async () => {
    expect(await api.store.holds.release("solo")).toBeDefined();
    await eventually(
      "solo's bravo object deleted",
      async () => ((await configMap(bravo, `solo-${id}`)) === 404 ? true : undefined),
      60_000,
    );
    await eventually(
      "bravo's record gone",
      async () => ((await get("bravo")).statusCode === 404 ? true : undefined),
      60_000,
    );
    expect(await api.store.clusters.getCredentials("bravo")).toBeUndefined();
    expect(await api.store.clusterApplications.leftovers("bravo")).toEqual({
      owned: 0,
      statuses: 0,
      inventories: 0,
      pendingDeletions: 0,
    });
  }, 120_000);

  it("with orphan: 200 at once, the record and its Applications forgotten, every object left on the cluster", async () => {
    const res = await api.call("admin", { method: "DELETE", url: "/api/v1/clusters/alpha?orphan=true" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      cluster: "alpha",
      orphan: true,
      applications: [{ appSet: "spread", application: "spread-alpha" }],
    });
    expect((await get("alpha")).statusCode).toBe(404);
    expect(
      await api.deps.status.get({ cluster: "alpha", appSet: "spread", application: "spread-alpha" }),
    ).toBeUndefined();
    expect(await api.store.applications.count("spread")).toBe(0);
    // Later cycles find nothing to delete: the object stays.
    await generator.nextCycle();
    await generator.nextCycle();
    expect(await configMap(alpha, `spread-${id}`)).toBe(200);
    await apiRequest(alpha, `/api/v1/namespaces/default/configmaps/spread-${id}`, { method: "DELETE" });
  }, 120_000);
});
