import { specDigest } from "@flotilla/core";
import { failures, type KubeObject, ResourceManager } from "@flotilla/kube";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, expect, it } from "vitest";
import { application, configMapYaml, syncJob, uniqueName } from "../testing/fixtures.ts";
import { eventually, startTestAgent, type TestAgent } from "../testing/harness.ts";
import { Resync } from "./resync.ts";

const APPSET = "by-server";

// An Application stored with `destination.server` alone (as an earlier generator stored them) used to be skipped
// by the re-sync and by the drift path, which compared `destination.cluster` with the served cluster's name.
describeWithClusters("re-sync and drift of an Application addressed by server", (clusters) => {
  const cluster = clusters[0]!;
  const prefix = `${uniqueName("by-server")}:`;
  const repo = new TestGitRepo();
  let agent: TestAgent | undefined;

  afterAll(async () => {
    await agent?.close().catch(() => undefined);
    repo.remove();
  });

  it("the periodic re-sync includes it and the drift watch reverts an edit of it", async () => {
    const name = uniqueName("cm");
    const namespace = uniqueName("by-server");
    const commit = repo.commit({ [`${name}/cm.yaml`]: configMapYaml(name, "git") });
    agent = await startTestAgent(cluster, prefix, { driftWatch: { refreshMs: 300, debounceMs: 200 } });
    const server = (await agent.store.clusters.get(cluster.name))?.server;
    expect(server).toBeDefined();
    const app = application({ name, repoURL: repo.dir, path: name, cluster: cluster.name, namespace });
    app.spec.destination = { server: server!, namespace };
    app.spec.syncPolicy = { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] };
    const desiredDigest = specDigest(app);
    await agent.store.applications.commit(APPSET, {
      creates: [{ application: app, desiredDigest }],
      updates: [],
      deletes: [],
      unchanged: [],
    });
    await agent.queues.enqueueSync({ ...syncJob(APPSET, app), cluster: cluster.name, desiredDigest });
    const ref = { cluster: cluster.name, appSet: APPSET, application: name };
    await eventually(
      () => agent!.runtime.status.get(ref),
      (s) => s?.sync === "Synced",
      30_000,
      "synced",
    );

    const resync = new Resync(agent.runtime, () => [cluster.name]);
    expect(await resync.runOnce()).toBe(1);
    expect(await resync.enqueueApp(cluster.name, APPSET, name)).toBe(true);

    const object: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data: {} };
    const owner = { application: name, appSet: APPSET, commit, namespace };
    const manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
    await eventually(
      async () => agent!.agent.drift?.watching(cluster.name) ?? [],
      (kinds) => kinds.includes("/ConfigMap"),
      20_000,
      "watching ConfigMaps",
    );
    const human = ResourceManager.fromKubeconfig(cluster.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
    const edit = await human.apply([{ ...object, data: { value: "edited" } }], owner);
    expect(failures(edit)).toEqual([]);
    const reverted = { ...object, data: { value: "git" } };
    await eventually(
      async () => (await manager.diff([reverted], owner))[0]?.drifted,
      (drifted) => drifted === false,
      30_000,
      "the edit reverted through the drift watch",
    );
  });
});
