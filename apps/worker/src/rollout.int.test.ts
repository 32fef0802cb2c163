import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import type { SyncJob } from "@flotilla/queue";
import type { Rollout, RolloutApp } from "@flotilla/rollout";
import { requestSync } from "@flotilla/status";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeEach, expect, it } from "vitest";
import { Resync } from "./modes/resync.ts";
import { uniqueName } from "./testing/fixtures.ts";
import { eventually, silent, startTestAgent, type TestAgent, testKey } from "./testing/harness.ts";

/**
 * RollingSync end to end: the real generator service and one agent per cluster (alpha = dev, bravo = staging,
 * charlie = prod) on one Redis, Deployments made Available (or not) by KWOK. Order is asserted from what was
 * recorded (the rollout's release and done times, the workers' history), never from timing.
 */
describeWithClusters("RollingSync across clusters (real generator, agents, clusters, Redis)", (clusters) => {
  const envs = ["dev", "staging", "prod"] as const;
  const apis = clusters.slice(0, 3).map((c) => {
    const kc = new KubeConfig();
    kc.loadFromString(c.kubeconfig);
    return { apps: kc.makeApiClient(AppsV1Api), core: kc.makeApiClient(CoreV1Api) };
  });
  const namespaces = new Set<string>();
  let prefix: string;
  let namespace: string;
  let fleet: TestGitRepo;
  let source: TestGitRepo;
  let agents: TestAgent[];
  let generator: GeneratorService | undefined;
  /** One encryption key per test: the agents share a store. */
  let key: Buffer;

  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  progressDeadlineSeconds: 20
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: registry.invalid/web:1 }] }
`;

  /** An ApplicationSet putting each of `apps` on each cluster, rolled out by `steps` (YAML list items). */
  const appSet = (options: {
    image: string;
    apps: readonly string[];
    steps: string;
  }) => `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: shop }
spec:
  generators:
    - matrix:
        generators:
          - clusters: {}
          - list: { elements: [${options.apps.map((a) => `{ app: ${a} }`).join(", ")}] }
  strategy:
    type: RollingSync
    rollingSync:
      steps:
${options.steps}
  template:
    metadata: { name: "{{app}}-{{name}}", labels: { env: "{{metadata.labels.env}}" } }
    spec:
      source:
        repoURL: "${source.dir}"
        path: apps/web
        kustomize: { images: ["registry.invalid/web=${options.image}"] }
      destination: { cluster: "{{name}}", namespace: "${namespace}-{{app}}" }
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [CreateNamespace=true] }
`;
  const step = (env: string, maxUpdate?: number | string) =>
    `        - matchExpressions: [{ key: env, operator: In, values: [${env}] }]${
      maxUpdate === undefined ? "" : `\n          maxUpdate: ${JSON.stringify(maxUpdate)}`
    }`;

  const store = () => agents[0]!.store;
  const rollout = async (): Promise<Rollout | undefined> => store().rollouts.get("shop");
  const image = async (cluster: number, app = "web"): Promise<string | undefined> => {
    const d = await apis[cluster]!.apps.readNamespacedDeployment({ name: "web", namespace: `${namespace}-${app}` });
    return d.spec?.template.spec?.containers[0]?.image;
  };

  async function startGenerator(): Promise<GeneratorService> {
    const service = await startGeneratorService(
      {
        fleet: { repoURL: fleet.dir, revision: "main", paths: ["appsets/*.yaml"] },
        pollIntervalMs: 3_600_000,
        rolloutTickMs: 300,
        webhook: { port: 0, secret: "s" },
        redis: { url: testbedRedis().url, prefix, skipPolicyCheck: false },
        repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-repos-")),
        render: { enabled: true, concurrency: 2 },
        allowLocalRepos: true,
      },
      silent,
    );
    generator = service;
    await service.nextCycle();
    return service;
  }

  /** Commits the fleet and waits for the generator's cycle at that commit. */
  async function commit(text: string): Promise<string> {
    const sha = fleet.commit({ "appsets/shop.yaml": text });
    const next = generator!.nextCycle();
    await agents[0]!.redis.publish(store().keys.generatorTrigger, JSON.stringify({ reason: "test" }));
    await next;
    return sha;
  }

  const rolloutAt = (commit: string, phase: Rollout["phase"], timeoutMs = 150_000) =>
    eventually(
      rollout,
      (r) => r?.commit === commit && r.phase === phase,
      timeoutMs,
      `the rollout of ${commit.slice(0, 8)} ${phase}`,
    ) as Promise<Rollout>;

  /** Promotes every manual gate it meets until the rollout of `commit` completes. */
  async function completeThroughGates(commit: string): Promise<Rollout> {
    for (;;) {
      const r = await eventually(
        rollout,
        (x) => x?.commit === commit && (x.phase !== "Progressing" || x.steps.some((s) => s.state === "Gated")),
        150_000,
        `the rollout of ${commit.slice(0, 8)} completed or gated`,
      );
      if (r!.phase !== "Progressing") return r!;
      expect(await store().rollouts.promote("shop")).toMatchObject({ ok: true });
      await eventually(
        rollout,
        (x) => !x!.steps.some((s) => s.state === "Gated" && !s.promoted),
        30_000,
        "the gate passed",
      );
    }
  }

  const ms = (iso: string | undefined) => Date.parse(iso ?? "");
  const inStep = (r: Rollout, i: number): RolloutApp[] => r.applications.filter((a) => a.step === i);

  /** Asserts that each step started only once every Application of the earlier steps was done. */
  function assertOneStepAtATime(r: Rollout): void {
    for (let i = 1; i < r.steps.length; i++) {
      const lastDone = Math.max(...r.applications.filter((a) => a.step < i).map((a) => ms(a.doneAt)));
      const firstReleased = Math.min(...inStep(r, i).map((a) => ms(a.releasedAt)));
      expect(firstReleased, `step ${i + 1} released after step ${i} was done`).toBeGreaterThanOrEqual(lastDone);
    }
  }

  /** The worker's own record: when the Application's sync at this fleet commit ran on its cluster. */
  async function syncedAt(a: RolloutApp, fleetCommit: string): Promise<number> {
    const agent = agents[clusters.findIndex((c) => c.name === a.cluster)]!;
    const history = await agent.runtime.status.history({
      cluster: a.cluster,
      appSet: "shop",
      application: a.application,
    });
    const entry = history.filter((h) => h.fleetRevision === fleetCommit && h.result === "Synced").at(-1);
    expect(entry, `${a.application} synced at ${fleetCommit.slice(0, 8)}`).toBeDefined();
    return entry!.at;
  }

  beforeEach(async () => {
    prefix = `${uniqueName("rollout")}:`;
    namespace = uniqueName("ro");
    fleet = new TestGitRepo();
    source = new TestGitRepo();
    source.commit({
      "apps/web/kustomization.yaml": "resources: [deployment.yaml]\n",
      "apps/web/deployment.yaml": deployment,
    });
    agents = [];
    key = testKey();
    for (const [i, env] of envs.entries()) {
      agents.push(await startTestAgent(clusters[i]!, prefix, { labels: { env } }, { localRender: false, key }));
    }
  });

  afterEach(async () => {
    await generator?.stop();
    generator = undefined;
    for (const a of agents) await a.close();
  });

  afterAll(async () => {
    for (const name of namespaces) {
      for (const api of apis) await api.core.deleteNamespace({ name }).catch(() => undefined);
    }
  });

  const track = (apps: readonly string[]) => {
    for (const a of apps) namespaces.add(`${namespace}-${a}`);
  };

  it("a healthy change reaches prod in order, one step at a time, and maxUpdate 1 never has two in flight", async () => {
    const apps = ["web", "api", "db"];
    track(apps);
    const steps = [step("dev"), step("staging"), step("prod", 1)].join("\n");
    const first = fleet.commit({ "appsets/shop.yaml": appSet({ image: "registry.invalid/web:1", apps, steps }) });
    await startGenerator();
    await rolloutAt(first, "Completed");
    const v2 = await commit(appSet({ image: "registry.invalid/web:2", apps, steps }));
    const done = await rolloutAt(v2, "Completed");
    expect(done.steps.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(done.applications.map((a) => `${a.application}@${a.step}`).sort()).toEqual(
      apps.flatMap((a) => clusters.slice(0, 3).map((c, i) => `${a}-${c.name}@${i}`)).sort(),
    );
    assertOneStepAtATime(done);
    // The workers' history agrees: no Application synced the change before its step was released.
    for (let i = 1; i < 3; i++) {
      const lastDone = Math.max(...done.applications.filter((a) => a.step < i).map((a) => ms(a.doneAt)));
      for (const a of inStep(done, i)) expect(await syncedAt(a, v2)).toBeGreaterThanOrEqual(lastDone);
    }
    // maxUpdate 1: each prod Application released only once the one before it was done.
    const prod = inStep(done, 2).sort((a, b) => ms(a.releasedAt) - ms(b.releasedAt));
    for (let i = 1; i < prod.length; i++) {
      expect(ms(prod[i]!.releasedAt)).toBeGreaterThanOrEqual(ms(prod[i - 1]!.doneAt));
      expect(await syncedAt(prod[i]!, v2)).toBeGreaterThanOrEqual(ms(prod[i - 1]!.doneAt));
    }
    for (const [i] of envs.entries()) for (const a of apps) expect(await image(i, a)).toBe("registry.invalid/web:2");
  }, 400_000);

  it("deletions follow the steps in reverse: prod first, dev last, each once the one before is gone", async () => {
    track(["web", "api"]);
    const steps = [step("dev"), step("staging"), step("prod")].join("\n");
    const first = fleet.commit({
      "appsets/shop.yaml": appSet({ image: "registry.invalid/web:1", apps: ["web", "api"], steps }),
    });
    await startGenerator();
    await rolloutAt(first, "Completed");
    const removed = await commit(appSet({ image: "registry.invalid/web:1", apps: ["web"], steps }));
    const done = await rolloutAt(removed, "Completed");
    expect(done.steps.map((s) => `${s.change}:${s.index}`)).toEqual(["delete:2", "delete:1", "delete:0"]);
    expect(done.applications.map((a) => a.application)).toEqual([2, 1, 0].map((i) => `api-${clusters[i]!.name}`));
    assertOneStepAtATime(done);
    for (const [i] of envs.entries()) {
      const gone = await apis[i]!.apps.readNamespacedDeployment({ name: "web", namespace: `${namespace}-api` })
        .then(() => false)
        .catch((err: { code?: number }) => err.code === 404);
      expect(gone, `api's Deployment gone from ${clusters[i]!.name}`).toBe(true);
      expect(await image(i, "web")).toBe("registry.invalid/web:1");
    }
    expect([...(await store().applications.desiredDigests("shop")).keys()].sort()).toEqual(
      clusters
        .slice(0, 3)
        .map((c) => `web-${c.name}`)
        .sort(),
    );
  }, 400_000);

  it("an unpullable image halts at the first step and nothing later changes; resume goes on past it; a fixing commit completes", async () => {
    track(["web"]);
    const steps = [step("dev"), step("staging"), step("prod")].join("\n");
    const first = fleet.commit({
      "appsets/shop.yaml": appSet({ image: "registry.invalid/web:1", apps: ["web"], steps }),
    });
    await startGenerator();
    await rolloutAt(first, "Completed");
    const inForce = await store().applications.desiredDigests("shop");

    const broken = await commit(appSet({ image: "unpullable.invalid/web:1", apps: ["web"], steps }));
    const halted = await rolloutAt(broken, "Halted", 180_000);
    const dev = `web-${clusters[0]!.name}`;
    expect(halted.condition).toMatchObject({ reason: "Degraded", application: dev, cluster: clusters[0]!.name });
    expect(halted.condition?.message).toContain("Degraded");
    expect(halted.steps.map((s) => s.state)).toEqual(["Halted", "Waiting", "Waiting"]);
    expect(await image(0)).toBe("unpullable.invalid/web:1");
    // Another cycle and more ticks change nothing later: the store still holds staging's and prod's old state.
    await commit(appSet({ image: "unpullable.invalid/web:1", apps: ["web"], steps }));
    expect((await rollout())?.id).toBe(halted.id);
    expect((await rollout())?.phase).toBe("Halted");
    const after = await store().applications.desiredDigests("shop");
    for (const c of clusters.slice(1, 3)) expect(after.get(`web-${c.name}`)).toBe(inForce.get(`web-${c.name}`));
    expect(await image(1)).toBe("registry.invalid/web:1");
    expect(await image(2)).toBe("registry.invalid/web:1");

    // An operator resumes past the halted dev Application: staging is released, prod still waits.
    expect(await store().rollouts.resume("shop")).toMatchObject({ ok: true });
    const resumed = await eventually(
      rollout,
      (r) => r?.steps[1]?.state !== "Waiting",
      60_000,
      "staging released after resume",
    );
    expect(resumed?.id).toBe(halted.id);
    expect(resumed?.applications.find((a) => a.step === 0)?.waived).toBe(true);
    expect(resumed?.condition).toBeUndefined();
    await eventually(
      () => image(1),
      (i) => i === "unpullable.invalid/web:1",
      60_000,
      "staging at the new image",
    );
    expect(await image(2)).toBe("registry.invalid/web:1");

    const fixed = await commit(appSet({ image: "registry.invalid/web:3", apps: ["web"], steps }));
    const done = await rolloutAt(fixed, "Completed", 180_000);
    expect(done.id).not.toBe(halted.id);
    assertOneStepAtATime(done);
    for (const [i] of envs.entries()) expect(await image(i)).toBe("registry.invalid/web:3");
  }, 400_000);

  it("a manual gate waits for promote across a generator restart; a Waiting Application keeps its old state by every path, self-heal included", async () => {
    track(["web"]);
    // staging (bravo) matches no step: it goes last, after prod's gate.
    const steps = [step("dev"), step("prod", 0)].join("\n");
    const first = fleet.commit({
      "appsets/shop.yaml": appSet({ image: "registry.invalid/web:1", apps: ["web"], steps }),
    });
    await startGenerator();
    await completeThroughGates(first);
    const staging = { cluster: clusters[1]!.name, appSet: "shop", application: `web-${clusters[1]!.name}` };
    const oldDigest = (await agents[1]!.runtime.status.get(staging))?.desiredDigest;

    const v2 = await commit(appSet({ image: "registry.invalid/web:2", apps: ["web"], steps }));
    const gated = await eventually(
      rollout,
      (r) => r?.commit === v2 && r.steps[1]?.state === "Gated",
      150_000,
      "prod's gate reached",
    );
    expect(gated!.steps.map((s) => [s.index, s.state])).toEqual([
      [0, "Completed"],
      [1, "Gated"],
      [null, "Waiting"],
    ]);
    expect(await image(0)).toBe("registry.invalid/web:2");
    expect(await image(2)).toBe("registry.invalid/web:1");

    // The generator restarts: the rollout is where it was (same id, dev done at the same time, still gated).
    await generator!.stop();
    await startGenerator();
    const resumed = await rollout();
    expect(resumed?.id).toBe(gated!.id);
    expect(resumed?.applications.find((a) => a.step === 0)?.doneAt).toBe(
      gated!.applications.find((a) => a.step === 0)?.doneAt,
    );
    expect(resumed?.steps[1]?.state).toBe("Gated");

    // Staging is Waiting. A manual edit is reverted to its old state, not the new one.
    expect(resumed?.applications.find((a) => a.application === staging.application)?.state).toBe("Waiting");
    await apis[1]!.apps.patchNamespacedDeployment({
      name: "web",
      namespace: `${namespace}-web`,
      body: [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: "registry.invalid/edited:9" }],
    });
    await eventually(
      () => image(1),
      (i) => i === "registry.invalid/web:1",
      60_000,
      "the edit reverted to web:1",
    );
    // A full re-sync, a sync request and a restarted agent each run a sync of what the store holds: the old state.
    const statusOf = () => agents[1]!.runtime.status.get(staging);
    const afterSync = async (what: string, since: string | undefined) => {
      const s = await eventually(statusOf, (x) => (x?.lastSyncAt ?? "") > (since ?? ""), 60_000, what);
      expect(s?.desiredDigest, what).toBe(oldDigest);
      expect(await image(1), what).toBe("registry.invalid/web:1");
      return s?.lastSyncAt;
    };
    let last = (await statusOf())?.lastSyncAt;
    expect(await new Resync(agents[1]!.runtime, () => [staging.cluster], { intervalMs: 0 }).runOnce()).toBeGreaterThan(
      0,
    );
    last = await afterSync("synced by the re-sync", last);
    // What the sync request hands the worker, as the queue receives it: the state in force, not the held-back one.
    const requested: SyncJob[] = [];
    const queues = {
      enqueueSync: (job: SyncJob) => {
        requested.push(job);
        return agents[1]!.queues.enqueueSync(job);
      },
    };
    await requestSync({ status: agents[1]!.runtime.status, store: agents[1]!.store, queues }, staging);
    expect(requested.map((j) => j.desiredDigest)).toEqual([oldDigest]);
    expect(requested[0]?.app?.spec.source.kustomize?.images).toEqual(["registry.invalid/web=registry.invalid/web:1"]);
    await agents[1]!.close();
    agents[1] = await startTestAgent(clusters[1]!, prefix, { labels: { env: "staging" } }, { localRender: false, key });
    await afterSync("synced by the restarted agent", last);
    expect((await store().applications.desiredDigests("shop")).get(staging.application)).toBe(oldDigest);
    expect((await rollout())?.steps[1]?.state).toBe("Gated");

    expect(await store().rollouts.promote("shop")).toMatchObject({ ok: true });
    const done = await rolloutAt(v2, "Completed");
    expect(done.id).toBe(gated!.id);
    assertOneStepAtATime(done);
    for (const [i] of envs.entries()) expect(await image(i)).toBe("registry.invalid/web:2");
  }, 400_000);
});
