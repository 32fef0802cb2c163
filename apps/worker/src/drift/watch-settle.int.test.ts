import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Resync } from "../modes/resync.ts";
import { application, configMapYaml, uniqueName } from "../testing/fixtures.ts";
import { eventually, startTestAgent, storeAndSync, type TestAgent } from "../testing/harness.ts";

const APPSET = "settle-it";

// Ready only 3 s after its pod runs: the sync's single health read sees it Progressing.
const slowDeployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
  minReadySeconds: 3
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: registry.invalid/flotilla/web:1 }]
`;

describeWithClusters("what the drift watches settle without a job (agent, periodic re-sync off)", (clusters) => {
  const cluster = clusters[1] ?? clusters[0]!;
  const prefix = `${uniqueName("settle")}:`;
  const repo = new TestGitRepo();
  let harness: TestAgent;
  /** A second agent whose watches stay open (25 s requests): under load, a restart every second can end in a gap. */
  let steady: TestAgent;
  let manager: ResourceManager;
  let human: ResourceManager;

  beforeAll(async () => {
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
    human = ResourceManager.fromKubeconfig(cluster.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
    harness = await startTestAgent(cluster, prefix, {
      // The server ends each watch request every second: every edit below lands close to a restart.
      driftWatch: { refreshMs: 300, debounceMs: 200, timeoutSeconds: 1 },
    });
    // The worker's own re-reads come too late for these tests: only a watch event can settle health in time.
    harness.runtime.deps.options.health = { waitMs: 120_000, pollMs: 120_000 };
    steady = await startTestAgent(cluster, `${uniqueName("steady")}:`, {
      driftWatch: { refreshMs: 300, debounceMs: 200 },
    });
  });

  afterAll(async () => {
    await harness.close();
    await steady.close();
    repo.remove();
  });

  async function deploy(name: string, files: Record<string, string>, selfHeal: boolean, on: TestAgent = harness) {
    const namespace = uniqueName("settle");
    const commit = repo.commit(Object.fromEntries(Object.entries(files).map(([f, text]) => [`${name}/${f}`, text])));
    const app = application({ name, repoURL: repo.dir, path: name, cluster: cluster.name, namespace });
    app.spec.syncPolicy = { automated: { prune: true, selfHeal }, syncOptions: ["CreateNamespace=true"] };
    const { ref, desiredDigest } = await storeAndSync(on, APPSET, app);
    const first = await eventually(
      () => on.runtime.status.get(ref),
      (s) => s !== undefined,
      30_000,
      "first status",
    );
    return { ref, namespace, commit, first: first!, app, desiredDigest };
  }

  it("a Deployment that becomes Available after its sync ended turns the stored health Healthy, with no second sync", async () => {
    const name = uniqueName("roll");
    const { ref, first } = await deploy(name, { "deploy.yaml": slowDeployment(name) }, false);
    expect(first).toMatchObject({ sync: "Synced", health: "Progressing" });

    const settled = await eventually(
      () => harness.runtime.status.get(ref),
      (s) => s?.health === "Healthy",
      20_000,
      "Healthy",
    );
    expect(settled).toMatchObject({ sync: "Synced", lastSyncAt: first.lastSyncAt });
    expect(settled?.resources[0]).toMatchObject({ health: "Healthy", action: "created" });
    // One sync, one history entry: settling health is not a sync.
    expect(await harness.runtime.status.history(ref)).toHaveLength(1);
  });

  it("edits made while the watches restart are all reverted within seconds", async () => {
    const name = uniqueName("edit");
    const { namespace, commit } = await deploy(name, { "cm.yaml": configMapYaml(name, "git") }, true);
    await eventually(
      async () => harness.agent.drift?.watching(cluster.name) ?? [],
      (kinds) => kinds.includes("/ConfigMap"),
      10_000,
      "watching",
    );
    const object: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace } };
    const owner = { application: name, appSet: APPSET, commit, namespace };
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 400 + i * 150));
      await human.apply([{ ...object, data: { value: `edited-${i}` } }], owner);
      await eventually(
        async () => (await manager.diff([{ ...object, data: { value: "git" } }], owner))[0]?.drifted,
        (d) => d === false,
        8_000,
        `edit ${i} reverted`,
      );
    }
  });

  it("a periodic re-sync of an Application the watches vouch for asks the cluster nothing", async () => {
    const name = uniqueName("idle");
    const { ref, namespace, commit, app, desiredDigest } = await deploy(
      name,
      { "cm.yaml": configMapYaml(name, "git") },
      true,
      steady,
    );
    await eventually(
      async () => steady.agent.drift?.watching(cluster.name) ?? [],
      (kinds) => kinds.includes("/ConfigMap"),
      10_000,
      "watching",
    );
    const resync = new Resync(steady.runtime, () => [cluster.name]);
    const resyncOnce = async () => {
      await resync.runOnce();
      await eventually(
        async () => (await steady.queues.counts(cluster.name)).pending,
        (n) => n === 0,
        10_000,
        "drained",
      );
    };
    // Should the first sync have come before the watch opened, this one checks fully (with selfHeal, applies).
    await resyncOnce();
    const checked = await steady.runtime.status.get(ref);
    for (let i = 0; i < 3; i++) await resyncOnce();
    // Not even lastSyncAt moved: nothing was read from the cluster, nothing written.
    expect(await steady.runtime.status.get(ref)).toEqual(checked);

    // With the source the generator published for it, and nothing new there, the re-sync makes no job at all.
    const source = { commit: checked?.revision, bundle: checked?.bundleDigest };
    const diff = { creates: [], updates: [{ application: app, desiredDigest }], deletes: [], unchanged: [] };
    await steady.store.applications.commit(APPSET, diff, { sources: new Map([[name, source]]) });
    await resync.runOnce();
    expect(await steady.queues.queue(cluster.name).getDeduplicationJobId(`${APPSET}/${name}`)).toBeNull();

    // A change the watch sees is checked (and, with selfHeal, reverted) at once.
    const object: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace } };
    await human.apply([{ ...object, data: { value: "edited" } }], {
      application: name,
      appSet: APPSET,
      commit,
      namespace,
    });
    await eventually(
      () => steady.runtime.status.get(ref),
      (s) => s?.lastSyncAt !== checked?.lastSyncAt,
      10_000,
      "a full sync after the edit",
    );
    expect(
      (await manager.diff([{ ...object, data: { value: "git" } }], { application: name, commit, namespace }))[0]
        ?.drifted,
    ).toBe(false);
  });
});
