import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { type ClusterInfo, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { AppsV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { application, configMapYaml, deploymentYaml, uniqueName } from "../testing/fixtures.ts";
import { eventually, startTestAgent, storeAndSync, type TestAgent } from "../testing/harness.ts";

const APPSET = "watch-it";

/**
 * Commits `files` under `name/`, syncs an Application of them on the harness's cluster, and waits until it is
 * Synced and `kind` ("group/Kind") is watched (a kind is watched from the sync that first records it).
 */
async function syncWatched(
  target: { harness: TestAgent; repo: TestGitRepo; cluster: ClusterInfo },
  app: { name: string; selfHeal: boolean; files: Record<string, string>; kind: string },
) {
  const { harness, repo, cluster } = target;
  const namespace = uniqueName("watch");
  const commit = repo.commit(Object.fromEntries(Object.entries(app.files).map(([f, y]) => [`${app.name}/${f}`, y])));
  const spec = application({ name: app.name, repoURL: repo.dir, path: app.name, cluster: cluster.name, namespace });
  spec.spec.syncPolicy = {
    automated: { prune: true, selfHeal: app.selfHeal },
    syncOptions: ["CreateNamespace=true"],
  };
  const { ref } = await storeAndSync(harness, APPSET, spec);
  await eventually(
    () => harness.runtime.status.get(ref),
    (s) => s?.sync === "Synced",
    30_000,
    "synced",
  );
  await eventually(
    async () => harness.agent.drift?.watching(cluster.name) ?? [],
    (kinds) => kinds.includes(app.kind),
    10_000,
    `watching ${app.kind}`,
  );
  return { ref, namespace, commit };
}

/** An Application of one ConfigMap (`value: git`), Synced and watched: the object and its owner, to edit it. */
async function deploy(target: Parameters<typeof syncWatched>[0], name: string, selfHeal: boolean) {
  const files = { "cm.yaml": configMapYaml(name, "git") };
  const { ref, namespace, commit } = await syncWatched(target, { name, selfHeal, files, kind: "/ConfigMap" });
  const object: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace },
    data: { value: "git" },
  };
  return { ref, object, owner: { application: name, appSet: APPSET, commit, namespace } };
}

describeWithClusters("drift watch (an agent on a real cluster, periodic re-sync off)", (clusters) => {
  const cluster = clusters[2] ?? clusters[0]!;
  const prefix = `${uniqueName("watch")}:`;
  const repo = new TestGitRepo();
  let harness: TestAgent;
  let manager: ResourceManager;
  let human: ResourceManager;

  beforeAll(async () => {
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
    human = ResourceManager.fromKubeconfig(cluster.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
    harness = await startTestAgent(cluster, prefix, {
      // Kinds are picked up soon after the first sync creates them.
      driftWatch: { refreshMs: 300, debounceMs: 200 },
    });
  });

  afterAll(async () => {
    await harness.close();
    repo.remove();
  });

  it("with selfHeal, a manual edit is reverted within seconds", async () => {
    const { object, owner } = await deploy({ harness, repo, cluster }, uniqueName("heal"), true);
    await human.apply([{ ...object, data: { value: "edited" } }], owner);
    const started = Date.now();
    await eventually(
      async () => (await manager.diff([object], owner))[0]?.drifted,
      (d) => d === false,
      10_000,
      "reverted",
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("without selfHeal, a manual edit turns the Application OutOfSync and stays", async () => {
    const { ref, object, owner } = await deploy({ harness, repo, cluster }, uniqueName("look"), false);
    await human.apply([{ ...object, data: { value: "edited" } }], owner);
    const status = await eventually(
      () => harness.runtime.status.get(ref),
      (s) => s?.sync === "OutOfSync",
      10_000,
      "OutOfSync",
    );
    expect(status?.resources[0]?.drift).toContain("data.value");
    expect((await manager.diff([object], owner))[0]?.drifted).toBe(true);
  });

  it("with selfHeal, `kubectl scale` (the scale subresource, whose write has no time) is reverted too", async () => {
    const { namespace } = await syncWatched(
      { harness, repo, cluster },
      {
        name: uniqueName("scale"),
        selfHeal: true,
        files: { "deploy.yaml": deploymentYaml("web") },
        kind: "apps/Deployment",
      },
    );
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    const apps = kc.makeApiClient(AppsV1Api);
    const before = (await apps.readNamespacedDeployment({ name: "web", namespace })).spec?.replicas;
    await apps.replaceNamespacedDeploymentScale({
      name: "web",
      namespace,
      body: { metadata: { name: "web", namespace }, spec: { replicas: (before ?? 1) + 2 } },
    });
    await eventually(
      async () => (await apps.readNamespacedDeployment({ name: "web", namespace })).spec?.replicas,
      (replicas) => replicas === before,
      15_000,
      "scale reverted",
    );
  });
});

describeWithClusters("drift watch of a kind new to the cluster (its periodic refresh far away)", (clusters) => {
  const cluster = clusters[1] ?? clusters[0]!;
  const prefix = `${uniqueName("owned")}:`;
  const repo = new TestGitRepo();
  let harness: TestAgent;
  let manager: ResourceManager;
  let human: ResourceManager;

  beforeAll(async () => {
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
    human = ResourceManager.fromKubeconfig(cluster.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
    // Only the sync's own word can open the watch within this test's time.
    harness = await startTestAgent(cluster, prefix, { driftWatch: { refreshMs: 600_000, debounceMs: 200 } });
  });

  afterAll(async () => {
    await harness.close();
    repo.remove();
  });

  it("is watched as soon as the first sync records it, and an edit right after is reverted", async () => {
    expect(harness.agent.drift?.watching(cluster.name)).not.toContain("/ConfigMap");
    const { object, owner } = await deploy({ harness, repo, cluster }, uniqueName("fresh"), true);
    await human.apply([{ ...object, data: { value: "edited" } }], owner);
    await eventually(
      async () => (await manager.diff([object], owner))[0]?.drifted,
      (d) => d === false,
      10_000,
      "reverted",
    );
  });
});
