import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { requestSync } from "@flotilla/status";
import { apiRequest, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { application, configMapYaml, uniqueName } from "./testing/fixtures.ts";
import { eventually, startTestAgent, storeAndSync, type TestAgent } from "./testing/harness.ts";

const APPSET = "manual-it";

describeWithClusters(
  "manual sync policy: compared, never applied until a sync is requested (real cluster, Redis, Git)",
  (clusters) => {
    const cluster = clusters[0]!;
    const prefix = `${uniqueName("manual")}:`;
    const repos: TestGitRepo[] = [];
    let agent: TestAgent;
    // What `kubectl edit` does: another field manager takes the field over.
    let human: ResourceManager;

    beforeAll(async () => {
      // The periodic re-sync runs often, so that a manual Application left alone is looked at again and again.
      agent = await startTestAgent(cluster, prefix, { resync: { intervalMs: 500 } });
      human = ResourceManager.fromKubeconfig(cluster.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
    });

    afterAll(async () => {
      await agent.close();
      for (const repo of repos) repo.remove();
    });

    function manualApp() {
      const repo = new TestGitRepo();
      repos.push(repo);
      const namespace = uniqueName("man");
      const app = application({
        name: uniqueName("man"),
        repoURL: repo.dir,
        path: "app",
        cluster: cluster.name,
        namespace,
      });
      app.spec.syncPolicy = { syncOptions: ["CreateNamespace=true"] };
      return { app, namespace, repo };
    }

    /** The ConfigMap's `data.value` on the cluster, or undefined when it does not exist. */
    async function liveValue(namespace: string, name: string): Promise<string | undefined> {
      const res = await apiRequest(cluster, `/api/v1/namespaces/${namespace}/configmaps/${name}`);
      if (res.status === 404) return undefined;
      expect(res.status).toBe(200);
      return (JSON.parse(res.body) as { data?: { value?: string } }).data?.value;
    }

    const on = () => ({ store: agent.store, queues: agent.queues });
    const target = () => ({ status: agent.runtime.status, store: agent.store, queues: agent.queues });
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it("a manual Application is not applied, shows OutOfSync with what would change, and a sync request applies it", async () => {
      const { app, namespace, repo } = manualApp();
      const commit = repo.commit({ "app/cm.yaml": configMapYaml("settings", "1") });
      const { ref } = await storeAndSync(on(), APPSET, app);

      const pending = await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "OutOfSync",
        30_000,
        "the manual Application compared with Git",
      );
      expect(pending).toMatchObject({
        sync: "OutOfSync",
        health: "Missing",
        syncMessage: `manual sync policy: 1 object(s) differ from Git at ${commit.slice(0, 12)}; applied only when a sync is requested`,
      });
      expect(pending?.revision).toBeUndefined();
      expect(pending?.resources).toEqual([
        {
          id: `/ConfigMap/${namespace}/settings`,
          action: "skipped",
          health: "Missing",
          message: "not applied: the sync policy is manual",
          drift: ["(object missing)"],
        },
      ]);
      // Several periodic re-syncs later, still nothing on the cluster (not even the namespace CreateNamespace asks for).
      await pause(2_000);
      expect(await liveValue(namespace, "settings")).toBeUndefined();
      expect((await apiRequest(cluster, `/api/v1/namespaces/${namespace}`)).status).toBe(404);
      expect(await agent.runtime.status.inventory(ref)).toEqual({ entries: [] });

      const outcome = await requestSync(target(), ref);
      expect(outcome?.request).toMatchObject({ prune: false });
      expect(await agent.runtime.status.requests.pending(ref)).toEqual(outcome?.request);

      const synced = await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "Synced",
        30_000,
        "the requested sync applied",
      );
      expect(synced).toMatchObject({ sync: "Synced", revision: commit });
      expect(synced?.syncMessage).toBeUndefined();
      expect(await liveValue(namespace, "settings")).toBe("1");
      expect(await agent.runtime.status.requests.pending(ref)).toBeUndefined();
      const history = (await agent.runtime.status.history(ref)).map((h) => h.result).reverse();
      expect(history).toEqual(["OutOfSync", "Synced"]);
    });

    it("drift and new commits on a manual Application show OutOfSync and are never applied or reverted", async () => {
      const { app, namespace, repo } = manualApp();
      const first = repo.commit({ "app/cm.yaml": configMapYaml("cfg", "1") });
      const { ref } = await storeAndSync(on(), APPSET, app);
      await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "OutOfSync",
        30_000,
        "compared",
      );
      await requestSync(target(), ref);
      await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "Synced",
        30_000,
        "synced on request",
      );

      const owner = { application: app.metadata.name, appSet: APPSET, commit: first, namespace };
      const object: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace } };
      await human.apply([{ ...object, data: { value: "edited by hand" } }], owner);

      const drifted = await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "OutOfSync",
        30_000,
        "the edit seen",
      );
      expect(drifted?.resources[0]?.drift).toContain("data.value");
      expect(await liveValue(namespace, "cfg")).toBe("edited by hand");

      // A new commit: compared, not applied; the edit stays as well.
      const second = repo.commit({ "app/cm.yaml": configMapYaml("cfg", "2") });
      await storeAndSync(on(), APPSET, app);
      await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.syncMessage?.includes(second.slice(0, 12)) === true,
        30_000,
        "the new commit compared",
      );
      await pause(2_000);
      expect(await agent.runtime.status.get(ref)).toMatchObject({ sync: "OutOfSync", revision: first });
      expect(await liveValue(namespace, "cfg")).toBe("edited by hand");

      await requestSync(target(), ref);
      await eventually(
        () => liveValue(namespace, "cfg"),
        (v) => v === "2",
        30_000,
        "the new commit applied on request",
      );
    });

    it("a sync requested without prune keeps what left Git; one with prune deletes it", async () => {
      const { app, namespace, repo } = manualApp();
      repo.commit({ "app/a.yaml": configMapYaml("a", "1"), "app/b.yaml": configMapYaml("b", "1") });
      const { ref } = await storeAndSync(on(), APPSET, app);
      await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "OutOfSync",
        30_000,
        "compared",
      );
      await requestSync(target(), ref);
      await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "Synced",
        30_000,
        "synced",
      );

      repo.commit({ "app/a.yaml": configMapYaml("a", "1") });
      await storeAndSync(on(), APPSET, app);
      const staleId = `/ConfigMap/${namespace}/b`;
      await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.resources.some((r) => r.id === staleId && r.action === "stale") === true,
        30_000,
        "b shown as stale",
      );

      const plain = (await requestSync(target(), ref))?.request;
      expect(plain).toBeDefined();
      await eventually(
        () => agent.runtime.status.requests.pending(ref),
        (r) => r?.id !== plain?.id,
        30_000,
        "the request without prune honoured",
      );
      // A periodic re-sync compares an OutOfSync Application again, and may do so right after the requested sync;
      // its status says the same in the compare's words, so either is what a user may read here.
      const kept = await agent.runtime.status.get(ref);
      expect(kept).toMatchObject({ sync: "OutOfSync" });
      const keptStale = kept?.resources.find((r) => r.id === staleId);
      if (kept?.syncMessage === undefined) {
        expect(keptStale).toMatchObject({ action: "stale", message: "no longer in Git; prune is off" });
      } else {
        expect(kept.syncMessage).toMatch(/^manual sync policy: 1 object\(s\) differ from Git/);
        expect(keptStale).toMatchObject({
          action: "stale",
          message: "no longer in Git; a sync requested with prune deletes it",
        });
      }
      expect(await liveValue(namespace, "b")).toBe("1");

      await requestSync(target(), { ...ref, prune: true });
      await eventually(
        () => liveValue(namespace, "b"),
        (v) => v === undefined,
        30_000,
        "b pruned on request",
      );
      const pruned = await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "Synced",
        30_000,
        "Synced after the prune",
      );
      expect(pruned?.resources.find((r) => r.id === staleId)?.action).toBe("deleted");
      expect(await liveValue(namespace, "a")).toBe("1");
    });

    it("an automated Application without selfHeal keeps a manual edit until a sync is requested, which reverts it", async () => {
      const { app, namespace, repo } = manualApp();
      app.spec.syncPolicy = { automated: { prune: true, selfHeal: false }, syncOptions: ["CreateNamespace=true"] };
      const commit = repo.commit({ "app/cm.yaml": configMapYaml("kept", "1") });
      const { ref } = await storeAndSync(on(), APPSET, app);
      await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "Synced",
        30_000,
        "applied by its automated policy",
      );
      const object: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kept", namespace } };
      await human.apply([{ ...object, data: { value: "edited" } }], {
        application: app.metadata.name,
        appSet: APPSET,
        commit,
        namespace,
      });
      await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "OutOfSync",
        30_000,
        "the edit shown as drift",
      );
      // Periodic re-syncs come and go: without selfHeal, drift is shown, not reverted.
      await pause(2_000);
      expect(await liveValue(namespace, "kept")).toBe("edited");

      const outcome = await requestSync(target(), ref);
      expect(outcome).toMatchObject({ automated: true, request: { prune: false } });
      await eventually(
        () => liveValue(namespace, "kept"),
        (v) => v === "1",
        30_000,
        "the requested sync reverted the edit",
      );
      await eventually(
        () => agent.runtime.status.get(ref),
        (s) => s?.sync === "Synced",
        30_000,
        "Synced after the requested sync",
      );
      expect(await agent.runtime.status.requests.pending(ref)).toBeUndefined();
    });
  },
);
