import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RepoCache } from "@flotilla/git";
import { ResourceManager } from "@flotilla/kube";
import { MemoryBundleCache, Renderer, TieredBundleCache } from "@flotilla/render";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { application, configMapYaml, syncJob, uniqueName } from "../testing/fixtures.ts";
import { eventually, silent, startTestAgent, type TestAgent } from "../testing/harness.ts";

const APPSET = "bundles-it";

describeWithClusters(
  "an agent without Git applies the bundles the generator published (real cluster, Redis)",
  (clusters) => {
    const own = clusters[0]!;
    const prefix = `${uniqueName("agb")}:`;
    let harness: TestAgent;

    beforeAll(async () => {
      harness = await startTestAgent(own, prefix, {}, { localRender: false });
    });

    afterAll(async () => {
      await harness.close();
    });

    /** Renders as the generator does, through the shared bundle store; then the repository is gone. */
    async function publish(
      files: Record<string, string>,
    ): Promise<{ repoURL: string; commit: string; digest: string }> {
      const repo = new TestGitRepo();
      const commit = repo.commit(files);
      const git = new RepoCache({
        cacheDir: mkdtempSync(join(tmpdir(), "flotilla-gen-git-")),
        logger: silent,
        allowLocalRepos: true,
      });
      const renderer = new Renderer({
        reader: git,
        cache: new TieredBundleCache(new MemoryBundleCache(), harness.store.bundles),
      });
      const app = application({ name: "x", repoURL: repo.dir, path: "app", cluster: own.name, namespace: "x" });
      const bundle = await renderer.render(app, commit);
      repo.remove();
      return { repoURL: repo.dir, commit, digest: bundle.digest };
    }

    it("syncs from the bundle named in the job though its repository no longer exists anywhere", async () => {
      const { repoURL, commit, digest } = await publish({ "app/cm.yaml": configMapYaml("published", "1") });
      const namespace = uniqueName("agb");
      const app = application({ name: "published", repoURL, path: "app", cluster: own.name, namespace });
      await harness.queues.enqueueSync({ ...syncJob(APPSET, app), source: { commit, bundle: digest } });
      const status = await eventually(
        () => harness.runtime.status.get({ cluster: own.name, appSet: APPSET, application: "published" }),
        (s) => s?.sync === "Synced",
        30_000,
        "synced from the published bundle",
      );
      expect(status).toMatchObject({ revision: commit, bundleDigest: digest });
      // Live and published agree: a server-side dry-run of the bundle's object against the cluster finds no drift.
      const object = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "published", namespace },
        data: { value: "1" },
      };
      const owner = { application: "published", appSet: APPSET, commit, namespace };
      const manager = ResourceManager.fromKubeconfig(own.kubeconfig);
      expect((await manager.diff([object], owner))[0]).toMatchObject({ drifted: false });
    });

    it("a bundle missing from the store is an Error that keeps retrying; it never reaches for Git", async () => {
      const namespace = uniqueName("agb");
      const app = application({
        name: "missing",
        repoURL: "/nonexistent/repo",
        path: "app",
        cluster: own.name,
        namespace,
      });
      const digest = `sha256:${"0".repeat(64)}`;
      await harness.queues.enqueueSync({ ...syncJob(APPSET, app), source: { commit: "c".repeat(40), bundle: digest } });
      const status = await eventually(
        () => harness.runtime.status.get({ cluster: own.name, appSet: APPSET, application: "missing" }),
        (s) => s?.sync === "Error",
        30_000,
        "error recorded",
      );
      expect(status?.lastError).toMatchObject({ reason: "RenderFailed" });
      expect(status?.lastError?.message).toMatch(/is not in the shared store .* this worker does not render/);
      expect(status?.lastError?.retrying).toBe(true);
    });

    it("a source the generator could not render is that Application's error, not retried; a job with no bundle too", async () => {
      const namespace = uniqueName("agb");
      const broken = application({
        name: "broken",
        repoURL: "/nonexistent/repo",
        path: "app",
        cluster: own.name,
        namespace,
      });
      const failure = { step: "render" as const, message: "render failed: app/cm.yaml (line 1): bad indentation" };
      await harness.queues.enqueueSync({ ...syncJob(APPSET, broken), source: { commit: "d".repeat(40), failure } });
      const bare = application({
        name: "bare",
        repoURL: "/nonexistent/repo",
        path: "app",
        cluster: own.name,
        namespace,
      });
      await harness.queues.enqueueSync(syncJob(APPSET, bare));
      for (const [name, message] of [
        ["broken", failure.message],
        [
          "bare",
          "the job names no bundle (is rendering off in the generator?) and this worker does not render for itself",
        ],
      ]) {
        const status = await eventually(
          () => harness.runtime.status.get({ cluster: own.name, appSet: APPSET, application: name! }),
          (s) => s?.sync === "Error",
          30_000,
          `${name} error recorded`,
        );
        expect(status?.lastError).toMatchObject({ reason: "RenderFailed", message });
        expect(status?.lastError?.retrying).toBe(false);
      }
    });
  },
);
