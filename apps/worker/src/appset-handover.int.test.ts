import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import { APPSET_LABEL } from "@flotilla/kube";
import type { AppRef } from "@flotilla/status";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { CoreV1Api, KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { Resync } from "./modes/resync.ts";
import { configMapYaml, uniqueName } from "./testing/fixtures.ts";
import { eventually, silent, startTestAgent, type TestAgent } from "./testing/harness.ts";

/**
 * ApplicationSets renamed or removed in Git, end to end: the real generator service and an agent on a real
 * cluster share one Redis. A rename hands the Application over without deleting anything; a removal holds its
 * Applications until an operator releases them.
 */
describeWithClusters(
  "ApplicationSets renamed or removed in Git (real generator, agent, cluster, Redis)",
  (clusters) => {
    const cluster = clusters[0]!;
    let core: CoreV1Api;
    let prefix: string;
    let fleet: TestGitRepo;
    let source: TestGitRepo;
    let agent: TestAgent;
    let generator: GeneratorService;
    let namespace: string;
    const application = `web-${cluster.name}`;
    const namespaces: string[] = [];

    const appSet = (name: string, path = "apps/web") => `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${name} }
spec:
  generators:
    - list: { elements: [{ cluster: ${cluster.name} }] }
  template:
    metadata: { name: "web-{{cluster}}" }
    spec:
      source: { repoURL: "${source.dir}", targetRevision: main, path: ${path} }
      destination: { cluster: "{{cluster}}", namespace: ${namespace} }
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [CreateNamespace=true] }
`;

    async function cycle(): Promise<unknown> {
      const next = generator.nextCycle();
      await agent.redis.publish(agent.store.keys.generatorTrigger, JSON.stringify({ reason: "test" }));
      return await next;
    }

    const readConfigMap = async (): Promise<V1ConfigMap | undefined> =>
      core.readNamespacedConfigMap({ name: "web", namespace }).catch((err: { code?: number }) => {
        if (err.code === 404) return undefined;
        throw err;
      });
    const status = (ref: AppRef) => agent.runtime.status.get(ref);
    const ref = (appSet: string): AppRef => ({ cluster: cluster.name, appSet, application });

    beforeAll(() => {
      const kc = new KubeConfig();
      kc.loadFromString(cluster.kubeconfig);
      core = kc.makeApiClient(CoreV1Api);
    });

    beforeEach(async () => {
      prefix = `${uniqueName("handover")}:`;
      namespace = uniqueName("handover");
      namespaces.push(namespace);
      fleet = new TestGitRepo();
      source = new TestGitRepo();
      source.commit({ "apps/web/cm.yaml": configMapYaml("web", "1"), "apps/other/cm.yaml": configMapYaml("web", "2") });
      agent = await startTestAgent(cluster, prefix, {}, { localRender: false });
    });

    afterEach(async () => {
      await generator?.stop();
      await agent.close();
    });

    afterAll(async () => {
      for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
    });

    async function startGenerator(): Promise<void> {
      const started = startGeneratorService(
        {
          fleet: { repoURL: fleet.dir, revision: "main", paths: ["appsets/*.yaml"] },
          pollIntervalMs: 3_600_000,
          webhook: { port: 0, secret: "s" },
          redis: { url: testbedRedis().url, prefix, skipPolicyCheck: false },
          repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-repos-")),
          render: { enabled: true, concurrency: 2 },
          allowLocalRepos: true,
        },
        silent,
      );
      generator = await started;
      await generator.nextCycle();
    }

    async function synced(appSet: string): Promise<V1ConfigMap> {
      await eventually(
        () => status(ref(appSet)),
        (s) => s?.sync === "Synced",
        60_000,
        `${appSet} synced`,
      );
      return (await readConfigMap())!;
    }

    it("a rename hands the Application over: the same object, relabelled, never deleted, the move in history", async () => {
      fleet.commit({ "appsets/shop.yaml": appSet("shop") });
      await startGenerator();
      const before = await synced("shop");
      expect(before.metadata?.labels?.[APPSET_LABEL]).toBe("shop");

      fleet.commit({ "appsets/store.yaml": appSet("store") });
      expect(await cycle()).toMatchObject({ deletes: 0, held: 0 });
      const after = await eventually(
        readConfigMap,
        (cm) => cm?.metadata?.labels?.[APPSET_LABEL] === "store",
        60_000,
        "the object relabelled to the new ApplicationSet",
      );
      // The same object (a delete and re-create would give another uid).
      expect(after?.metadata?.uid).toBe(before.metadata?.uid);
      await eventually(
        () => status(ref("store")),
        (s) => s?.sync === "Synced",
        60_000,
        "store synced",
      );
      expect(await status(ref("shop"))).toBeUndefined();
      const history = await agent.runtime.status.history(ref("store"));
      expect(history.map((h) => h.result)).toContain("Adopted");
      expect(history.find((h) => h.result === "Adopted")?.message).toBe(
        'taken over from ApplicationSet "shop" (renamed in Git); nothing deleted',
      );
      const old = await agent.runtime.status.history(ref("shop"));
      expect(old.map((h) => h.result)).not.toContain("Deleted");
      expect(old[0]?.result).toBe("HandedOver");
      expect(await agent.store.holds.get("shop")).toBeUndefined();
      expect(await agent.store.owners.owner(cluster.name, application)).toBe("store");
      // A later sync of the new owner prunes nothing that was handed over.
      expect((await readConfigMap())?.metadata?.uid).toBe(before.metadata?.uid);
    });

    it("a second ApplicationSet generating the same name fails, naming the owner; the owner's object is untouched", async () => {
      fleet.commit({ "appsets/shop.yaml": appSet("shop") });
      await startGenerator();
      const before = await synced("shop");
      fleet.commit({ "appsets/shop.yaml": appSet("shop"), "appsets/copy.yaml": appSet("copy", "apps/other") });
      expect(await cycle()).toMatchObject({ failed: ["copy"], syncs: 0, deletes: 0 });
      expect((await agent.store.generations.getGeneration("copy"))?.errors[0]?.message).toMatch(
        new RegExp(`^Application "${application}" on cluster "${cluster.name}" belongs to ApplicationSet "shop": `),
      );
      const after = await readConfigMap();
      expect(after?.metadata?.uid).toBe(before.metadata?.uid);
      expect(after?.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
      expect(after?.data).toEqual({ value: "1" });
      expect(await status(ref("copy"))).toBeUndefined();
      expect(await agent.store.owners.owner(cluster.name, application)).toBe("shop");
    });

    it("a removal is held, visible and frozen; a release deletes its objects", async () => {
      fleet.commit({ "appsets/shop.yaml": appSet("shop") });
      await startGenerator();
      const before = await synced("shop");

      fleet.commit({ "README.md": "no ApplicationSets any more\n" });
      expect(await cycle()).toMatchObject({ deletes: 0, held: 1 });
      expect(await agent.store.holds.get("shop")).toMatchObject({
        kind: "removed",
        applications: [{ application, cluster: cluster.name }],
      });
      // Frozen: the periodic full check re-applies nothing of it.
      const resync = new Resync(agent.runtime, () => [cluster.name]);
      expect(await resync.runOnce()).toBe(0);
      // Nor does the drift path, when a watch sees one of its objects change.
      expect(await resync.enqueueApp(cluster.name, "shop", application)).toBe(false);
      expect((await readConfigMap())?.metadata?.uid).toBe(before.metadata?.uid);

      const next = generator.nextCycle();
      expect(await agent.store.holds.release("shop")).toMatchObject({ applications: [application] });
      expect(await next).toMatchObject({ deletes: 1, held: 0 });
      await eventually(readConfigMap, (cm) => cm === undefined, 60_000, "the released Application's object deleted");
      await eventually(
        () => status(ref("shop")),
        (s) => s === undefined,
        60_000,
        "its status gone",
      );
      expect(await agent.store.holds.get("shop")).toBeUndefined();
      expect(await agent.store.generations.getGeneration("shop")).toBeUndefined();
    });
  },
);
