import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { eventually, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type ArgoApplication, type RunningArgoCd, startArgoCd } from "./argocd.ts";
import { type ConformanceCase, corpusDir, loadCorpus } from "./conformance/corpus.ts";
import { byName, fromArgoApplication, fromFlotillaPreview } from "./conformance/generated-app.ts";
import { type GitHttpServer, serveGitOverHttp } from "./git-http.ts";
import { listItems } from "./kube.ts";
import { asArgoCdCluster, redisTarget } from "./testing/fixtures.ts";
import { runFlotilla } from "./testing/flotilla-cli.ts";
import { describeWithArgoCd } from "./testing/vitest.ts";

interface ClusterRegistration {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

interface AppSetStatus {
  metadata: { name: string };
  status?: { conditions?: Array<{ type: string; status: string; message?: string; reason?: string }> };
}

// The corpus through `flotilla import` + `flotilla appset preview` (offline) and through Argo CD's
// applicationset-controller (one start for the whole file); both must produce each case's expected Applications.
describeWithClusters("conformance with Argo CD", (clusters) => {
  const registrations = parse(readFileSync(join(corpusDir, "clusters.yaml"), "utf8")) as ClusterRegistration[];
  const bed = registrations.map((r, i) => {
    const cluster = clusters[i];
    if (!cluster) throw new Error(`conformance needs ${registrations.length} test-bed clusters`);
    return { ...r, cluster };
  });
  const caseNames = readdirSync(join(corpusDir, "cases"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.replace(/\.yaml$/, ""));
  let repo: TestGitRepo;
  let git: GitHttpServer;
  let corpus: ConformanceCase[];
  let work: string;
  const theCase = (name: string) => {
    const found = corpus.find((c) => c.name === name);
    if (!found) throw new Error(`case ${name} not loaded`);
    return found;
  };

  beforeAll(async () => {
    repo = new TestGitRepo();
    repo.commit(filesUnder(join(corpusDir, "fleet")), "conformance fleet");
    git = await serveGitOverHttp(repo.dir);
    corpus = loadCorpus({ repoUrl: git.url, servers: new Map(bed.map((b) => [b.name, b.cluster.apiUrl])) });
    work = mkdtempSync(join(tmpdir(), "flotilla-conformance-"));
    writeFileSync(
      join(work, "clusters.yaml"),
      stringify(
        bed.map((b) => ({ name: b.name, server: b.cluster.apiUrl, labels: b.labels, annotations: b.annotations })),
      ),
    );
  });

  afterAll(async () => {
    await git?.close();
    repo?.remove();
  });

  for (const caseName of caseNames) {
    it(`${caseName}: flotilla import + appset preview generates the expected Applications`, async () => {
      const c = theCase(caseName);
      const argoFile = join(work, `${caseName}.argocd.yaml`);
      writeFileSync(argoFile, stringify(c.appSet));
      const imported = await runFlotilla(["import", argoFile, "-o", "yaml"]);
      // Its one stderr line is the summary; anything more would be a refusal or a warning.
      expect(imported.stderr).toBe("converted 1 ApplicationSet(s) of 1 document(s)\n");
      expect(imported.code).toBe(0);
      const flotillaFile = join(work, `${caseName}.flotilla.yaml`);
      writeFileSync(flotillaFile, imported.stdout);
      const preview = await runFlotilla([
        "appset",
        "preview",
        flotillaFile,
        "--clusters",
        join(work, "clusters.yaml"),
        "-o",
        "json",
      ]);
      expect(preview.stderr).toBe("");
      expect(preview.code).toBe(0);
      const generated = (JSON.parse(preview.stdout) as Parameters<typeof fromFlotillaPreview>[0][]).map(
        fromFlotillaPreview,
      );
      expect(byName(generated)).toEqual(byName(c.expected));
    });
  }

  describeWithArgoCd("through Argo CD's applicationset-controller", () => {
    let argocd: RunningArgoCd;
    const management = bed[0]?.cluster;
    const serverNames = new Map(bed.map((b) => [b.cluster.apiUrl, b.cluster.name]));

    beforeAll(async () => {
      if (!management) throw new Error("no management cluster");
      argocd = await startArgoCd({
        management,
        clusters: bed.map((b) => asArgoCdCluster(b.cluster, { labels: b.labels, annotations: b.annotations })),
        redis: redisTarget(testbedRedis()),
      });
      await argocd.apply(corpus.map((c) => c.appSet));
    });

    afterAll(async () => {
      await argocd?.stop();
    });

    async function argoApplicationsOf(appSet: string): Promise<ArgoApplication[]> {
      if (!management) throw new Error("no management cluster");
      const path = `/apis/argoproj.io/v1alpha1/namespaces/${argocd.namespace}/applicationsets`;
      await eventually(
        `ApplicationSet ${appSet} ResourcesUpToDate`,
        async () => {
          const sets = await listItems<AppSetStatus>(management, path);
          const conditions = sets.find((s) => s.metadata.name === appSet)?.status?.conditions ?? [];
          const failed = conditions.find((c) => c.type === "ErrorOccurred" && c.status === "True");
          if (failed) throw new Error(`Argo CD refused ${appSet}: ${failed.message}`);
          return conditions.some((c) => c.type === "ResourcesUpToDate" && c.status === "True") ? true : undefined;
        },
        90_000,
        500,
      ).catch((error: unknown) => {
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
        throw new Error(`${String(error)}${cause}\n${argocd.log("argocd-applicationset-controller").slice(-3000)}`);
      });
      const apps = await argocd.applications();
      return apps.filter((a) =>
        (a.metadata as { ownerReferences?: Array<{ kind: string; name: string }> }).ownerReferences?.some(
          (o) => o.kind === "ApplicationSet" && o.name === appSet,
        ),
      );
    }

    for (const caseName of caseNames) {
      it(`${caseName}: Argo CD generates the expected Applications`, async () => {
        const c = theCase(caseName);
        const apps = await argoApplicationsOf(c.appSet.metadata.name);
        expect(byName(apps.map((a) => fromArgoApplication(a, serverNames)))).toEqual(byName(c.expected));
      });
    }
  });
});
