import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, expect, it } from "vitest";
import { application, configMapYaml, uniqueName } from "../testing/fixtures.ts";
import { eventually, startTestAgent, storeAndSync, type TestAgent, testKey } from "../testing/harness.ts";

const APPSET = "restart-it";

describeWithClusters("an edit made while no worker watched (agent restart, periodic re-sync off)", (clusters) => {
  const cluster = clusters[0]!;
  const prefix = `${uniqueName("restart")}:`;
  const repo = new TestGitRepo();
  const agents: TestAgent[] = [];
  const key = testKey();

  afterAll(async () => {
    for (const agent of agents) await agent.close().catch(() => undefined);
    repo.remove();
  });

  it("is found by the restarted worker's first list of the cluster and reverted, without waiting for a re-sync", async () => {
    const name = uniqueName("cm");
    const namespace = uniqueName("restart");
    const commit = repo.commit({ [`${name}/cm.yaml`]: configMapYaml(name, "git") });
    const app = application({ name, repoURL: repo.dir, path: name, cluster: cluster.name, namespace });
    app.spec.syncPolicy = { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] };

    const first = await startTestAgent(cluster, prefix, {}, { key });
    agents.push(first);
    const { ref } = await storeAndSync(first, APPSET, app);
    await eventually(
      () => first.runtime.status.get(ref),
      (s) => s?.sync === "Synced",
      30_000,
      "synced",
    );
    await first.close();

    // Nobody watches now: the edit lands unseen.
    const object: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, namespace },
      data: { value: "git" },
    };
    const owner = { application: name, appSet: APPSET, commit, namespace };
    const human = ResourceManager.fromKubeconfig(cluster.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
    await human.apply([{ ...object, data: { value: "edited" } }], owner);
    const manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
    expect((await manager.diff([object], owner))[0]?.drifted).toBe(true);

    const second = await startTestAgent(cluster, prefix, { driftWatch: { refreshMs: 300, debounceMs: 200 } }, { key });
    agents.push(second);
    await eventually(
      async () => (await manager.diff([object], owner))[0]?.drifted,
      (drifted) => drifted === false,
      20_000,
      "reverted by the restarted worker",
    );
  });
});
