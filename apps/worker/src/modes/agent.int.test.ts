import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { SyncQueues } from "@flotilla/queue";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningMode } from "../runtime.ts";
import { application, configMapYaml, syncJob, uniqueName } from "../testing/fixtures.ts";
import { eventually, storeAndSync, type TestRuntime, testKey, testRuntime } from "../testing/harness.ts";
import { startAgent } from "./agent.ts";

const APPSET = "agent-it";

describeWithClusters("agent mode (a real cluster, real Redis, real Git)", (clusters) => {
  const [own, other] = clusters as [(typeof clusters)[0], (typeof clusters)[0]];
  const prefix = `${uniqueName("agent")}:`;
  const repo = new TestGitRepo();
  let harness: TestRuntime;
  let agent: RunningMode | undefined;
  let queues: SyncQueues;

  beforeAll(async () => {
    harness = await testRuntime(testbedRedis().url, prefix, testKey());
    queues = new SyncQueues({ connection: harness.redis, prefix: `${prefix}bull` });
  });

  afterAll(async () => {
    await agent?.stop(2_000);
    await queues.close();
    await harness.close();
    repo.remove();
  });

  it("registers its cluster with labels and a heartbeat, without credentials", async () => {
    const before = Date.now();
    agent = await startAgent(harness.runtime, {
      cluster: own.name,
      kubeconfig: own.kubeconfig,
      labels: { env: "dev", team: "platform" },
      heartbeatIntervalMs: 200,
      resync: { intervalMs: 500 },
    });
    const registered = await harness.store.clusters.get(own.name);
    expect(registered).toMatchObject({
      name: own.name,
      mode: "agent",
      hasCredentials: false,
      labels: { env: "dev", team: "platform" },
    });
    expect(registered?.server).toBe(new URL(own.apiUrl).origin);
    expect(registered?.lastSeen).toBeGreaterThanOrEqual(before);
    expect(await harness.store.clusters.getCredentials(own.name)).toBeUndefined();
  });

  it("consumes only its own cluster's queue", async () => {
    const commit = repo.commit({ "app/cm.yaml": configMapYaml("agent", "1") });
    const mine = application({
      name: "mine",
      repoURL: repo.dir,
      path: "app",
      cluster: own.name,
      namespace: uniqueName("ag"),
    });
    const theirs = application({
      name: "theirs",
      repoURL: repo.dir,
      path: "app",
      cluster: other.name,
      namespace: uniqueName("ag"),
    });
    await queues.enqueueSync(syncJob(APPSET, mine));
    await queues.enqueueSync(syncJob(APPSET, theirs));

    const status = await eventually(
      () => harness.runtime.status.get({ cluster: own.name, appSet: APPSET, application: "mine" }),
      (s) => s?.sync === "Synced",
      30_000,
      "own cluster synced",
    );
    expect(status?.revision).toBe(commit);
    expect(
      await harness.runtime.status.get({ cluster: other.name, appSet: APPSET, application: "theirs" }),
    ).toBeUndefined();
    expect(await queues.queue(other.name).getWaitingCount()).toBe(1);
  });

  it("the periodic re-sync reverts a manual edit when selfHeal is on", async () => {
    const namespace = uniqueName("heal");
    const commit = repo.commit({ "app/cm.yaml": configMapYaml("agent", "1") });
    const app = application({ name: "healed", repoURL: repo.dir, path: "app", cluster: own.name, namespace });
    app.spec.syncPolicy = { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] };
    // The generator's record of the Application, which the re-sync reads the spec from.
    const { ref } = await storeAndSync({ store: harness.store, queues }, APPSET, app);
    await eventually(
      () => harness.runtime.status.get(ref),
      (s) => s?.sync === "Synced",
      30_000,
      "synced",
    );

    const object: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "agent", namespace },
      data: { value: "1" },
    };
    const owner = { application: "healed", appSet: APPSET, commit, namespace };
    const human = ResourceManager.fromKubeconfig(own.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
    // The edit took (reading it back would race the revert, which may come from the drift watch at once).
    const edit = await human.apply([{ ...object, data: { value: "edited" } }], owner);
    expect(edit.entries[0]?.action).toBe("configured");
    const manager = ResourceManager.fromKubeconfig(own.kubeconfig);

    await eventually(
      async () => (await manager.diff([object], owner))[0]?.drifted,
      (d) => d === false,
      15_000,
      "reverted",
    );
  });
});
