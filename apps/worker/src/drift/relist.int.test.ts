import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { type ClusterSet, startClusters, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { application, configMapYaml, uniqueName } from "../testing/fixtures.ts";
import { eventually, startTestAgent, storeAndSync, type TestAgent } from "../testing/harness.ts";

const APPSET = "relist-it";

/** etcd's JSON gateway: int64 fields travel as strings, keys and values as base64. */
async function etcd(url: string, path: string, body: Record<string, unknown>): Promise<{ revision: string }> {
  const res = await fetch(`${url}/v3/${path}`, { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`etcd ${path}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { header: { revision: string } }).header;
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

// A bed of its own: only the process that started an API server can stop and start it.
describeWithClusters("a drift watch whose version left the server's window (410 Gone)", () => {
  let bed: ClusterSet;
  const repo = new TestGitRepo();
  let agent: TestAgent | undefined;

  beforeAll(async () => {
    bed = await startClusters({ count: 1, names: ["relist"], withControllerManager: false, withKwok: false });
  });

  afterAll(async () => {
    await agent?.close().catch(() => undefined);
    await bed?.stop();
    repo.remove();
  });

  it("re-lists and still reverts an edit", async () => {
    const cluster = bed.clusters[0]!;
    const name = uniqueName("cm");
    const namespace = uniqueName("relist");
    const commit = repo.commit({ [`${name}/cm.yaml`]: configMapYaml(name, "git") });
    const app = application({ name, repoURL: repo.dir, path: name, cluster: cluster.name, namespace });
    app.spec.syncPolicy = { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] };
    agent = await startTestAgent(cluster.info, `${uniqueName("relist")}:`, {
      driftWatch: { refreshMs: 300, debounceMs: 200, restartDelayMs: 300 },
    });
    const { ref } = await storeAndSync(agent, APPSET, app);
    await eventually(
      () => agent!.runtime.status.get(ref),
      (s) => s?.sync === "Synced",
      30_000,
      "synced",
    );
    const drift = agent.agent.drift!;
    await eventually(
      async () => drift.watching(cluster.name),
      (kinds) => kinds.includes("/ConfigMap"),
      20_000,
      "watching ConfigMaps",
    );
    expect(drift.relists(cluster.name)).toBe(0);

    // While the API server is down the watch keeps its last version. Writes and a compaction move etcd past it,
    // so the restarted server (whose watch cache starts from a fresh list) answers the resumed watch 410 Gone.
    await cluster.stopApiServer();
    let revision = "0";
    for (let i = 0; i < 3; i++) {
      revision = (await etcd(bed.etcdUrl, "kv/put", { key: b64(`/flotilla-test/relist/${i}`), value: b64("x") }))
        .revision;
    }
    await etcd(bed.etcdUrl, "kv/compaction", { revision, physical: true });
    await cluster.startApiServer();
    await eventually(
      async () => drift.relists(cluster.name),
      (n) => n >= 1,
      60_000,
      "re-listed after 410 Gone",
    );
    await eventually(
      async () => drift.watching(cluster.name),
      (kinds) => kinds.includes("/ConfigMap"),
      30_000,
      "watching ConfigMaps again",
    );

    const object: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data: {} };
    const owner = { application: name, appSet: APPSET, commit, namespace };
    const human = ResourceManager.fromKubeconfig(cluster.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
    await human.apply([{ ...object, data: { value: "edited" } }], owner);
    const manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
    await eventually(
      async () => (await manager.diff([{ ...object, data: { value: "git" } }], owner))[0]?.drifted,
      (drifted) => drifted === false,
      30_000,
      "the edit reverted after the re-list",
    );
  });
});
