import { apiRequest, eventually, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningArgoCd, startArgoCd } from "./argocd.ts";
import { type GitHttpServer, serveGitOverHttp } from "./git-http.ts";
import { getObject } from "./kube.ts";
import { redisDbSize } from "./redis-db.ts";
import { asArgoCdCluster, redisTarget } from "./testing/fixtures.ts";
import { describeWithArgoCd } from "./testing/vitest.ts";

const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
data:
  message: ${value}
`;

describeWithArgoCd("Argo CD harness", () => {
  describeWithClusters("on the test bed", (clusters) => {
    const [management, destination] = clusters;
    const namespace = `argo-harness-${process.pid}`;
    let argocd: RunningArgoCd;
    let repo: TestGitRepo;
    let git: GitHttpServer;

    beforeAll(async () => {
      if (!management || !destination) throw new Error("the Argo CD harness test needs two test-bed clusters");
      repo = new TestGitRepo();
      repo.commit({ "greeting/configmap.yaml": configMap("hello") });
      git = await serveGitOverHttp(repo.dir);
      argocd = await startArgoCd({
        management,
        clusters: [asArgoCdCluster(destination)],
        redis: redisTarget(testbedRedis()),
      });
    });

    afterAll(async () => {
      await argocd?.stop();
      await git?.close();
      repo?.remove();
      if (destination) await apiRequest(destination, `/api/v1/namespaces/${namespace}`, { method: "DELETE" });
    });

    it("syncs an Application from the fleet repository over HTTP onto a registered cluster", async () => {
      if (!destination || !management) return;
      await argocd.apply([
        {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Application",
          metadata: { name: "greeting" },
          spec: {
            project: "default",
            source: { repoURL: git.url, path: "greeting", targetRevision: "main" },
            destination: { server: destination.apiUrl, namespace },
            syncPolicy: { automated: {}, syncOptions: ["CreateNamespace=true"] },
          },
        },
      ]);
      const head = repo.git("rev-parse", "HEAD").trim();
      const app = await eventually(
        "the Application Synced and Healthy",
        async () => {
          const [found] = await argocd.applications();
          return found?.status?.sync?.status === "Synced" && found.status.health?.status === "Healthy"
            ? found
            : undefined;
        },
        90_000,
        500,
      ).catch(async (error: unknown) => {
        const [found] = await argocd.applications().catch(() => []);
        throw new Error(
          `${String(error)}\nstatus: ${JSON.stringify(found?.status)}\n${argocd.log("argocd-repo-server").slice(-3000)}`,
        );
      });
      expect(app.status?.sync?.revision).toBe(head);
      const live = await getObject<{ data: Record<string, string> }>(
        destination,
        `/api/v1/namespaces/${namespace}/configmaps/greeting`,
      );
      expect(live?.data).toEqual({ message: "hello" });
      // Only the destination got it: the management cluster holds Argo CD's objects, not the workload.
      expect(await getObject(management, `/api/v1/namespaces/${namespace}/configmaps/greeting`)).toBeUndefined();
    });

    it("stops leaving no process, namespace, CRD or Redis key behind", async () => {
      if (!management) return;
      // A finalizer no stopped controller will clear must not keep the CRD terminating (it would block the next start).
      const patched = await apiRequest(
        management,
        `/apis/argoproj.io/v1alpha1/namespaces/${argocd.namespace}/applications/greeting`,
        {
          method: "PATCH",
          body: { metadata: { finalizers: ["resources-finalizer.argocd.argoproj.io"] } },
          contentType: "application/merge-patch+json",
        },
      );
      expect(patched.status).toBe(200);
      const pids = Object.values(argocd.pids());
      expect(await redisDbSize(redisTarget(testbedRedis()))).toBeGreaterThan(0);
      await argocd.stop();
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
      expect(await redisDbSize(redisTarget(testbedRedis()))).toBe(0);
      const gone = async (path: string) => {
        const live = await getObject<{ metadata: { deletionTimestamp?: string } }>(management, path);
        return live === undefined || live.metadata.deletionTimestamp !== undefined;
      };
      expect(await gone(`/api/v1/namespaces/${argocd.namespace}`)).toBe(true);
      await eventually(
        "the applications.argoproj.io CRD deleted, not left terminating",
        async () =>
          (await getObject(
            management,
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/applications.argoproj.io",
          )) === undefined
            ? true
            : undefined,
        60_000,
        250,
      );
    });
  });
});
