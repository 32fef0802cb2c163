// Engine benchmark (issue: foundation): 1,000 clusters × a 100-element list through a matrix = 100,000
// Applications, parsed, generated, rendered and diffed against a previous generation with 1 % changed.
// Prints wall time per phase, Applications/s and peak RSS. Run: pnpm bench engine
import {
  type Cluster,
  defaultDiffPolicy,
  diffGenerations,
  parseApplicationSets,
  parseClusters,
  type RepoReader,
  specDigest,
} from "@flotilla/core";
import { generateApplications } from "@flotilla/engine";
import { stringify } from "yaml";
import { reportResult } from "./support.ts";

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1000);
const ELEMENTS = Number(process.env.BENCH_ELEMENTS ?? 100);

const envs = ["dev", "staging", "prod"];
const clustersYaml = stringify(
  Array.from({ length: CLUSTERS }, (_, i) => ({
    name: `cluster-${i}`,
    server: `https://10.0.${i >> 8}.${i & 255}:6443`,
    labels: { env: envs[i % 3], region: `r${i % 7}`, fleet: "bench" },
  })),
);

function appSetYaml(revision: string): string {
  const elements = Array.from({ length: ELEMENTS }, (_, i) => ({ app: `app-${i}`, team: `team-${i % 9}` }));
  return stringify({
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: "bench" },
    spec: {
      generators: [
        {
          matrix: {
            generators: [
              {
                clusters: {
                  selector: { matchLabels: { fleet: "bench" } },
                  values: { tier: "{{metadata.labels.env}}" },
                },
              },
              { list: { elements } },
            ],
          },
        },
      ],
      template: {
        metadata: { name: "{{app}}-{{name}}", labels: { team: "{{team}}", env: "{{metadata.labels.env}}" } },
        spec: {
          source: { repoURL: "https://git.example/fleet.git", targetRevision: revision, path: "apps/{{app}}" },
          destination: { cluster: "{{name}}", namespace: "{{app}}" },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      },
    },
  });
}

const noGit: RepoReader = {
  resolveRevision: () => Promise.reject(new Error("no git in this benchmark")),
  listTree: () => Promise.reject(new Error("no git in this benchmark")),
  readFile: () => Promise.reject(new Error("no git in this benchmark")),
};

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function run(): Promise<void> {
  const clustersText = clustersYaml;
  const appSetText = appSetYaml("main");

  const t0 = process.hrtime.bigint();
  const { clusters, issues: clusterIssues } = parseClusters(clustersText, "clusters.yaml");
  const { appSets, issues } = parseApplicationSets(appSetText, "bench.yaml");
  if (clusterIssues.length + issues.length > 0) throw new Error("benchmark input did not parse");
  const tParse = ms(t0);

  const t1 = process.hrtime.bigint();
  const generation = await generateApplications(appSets[0]!.appSet, { clusters: clusters as Cluster[], repos: noGit });
  const tGenerate = ms(t1);
  if (generation.errors.length > 0 || generation.generatorError) {
    throw new Error(`benchmark generation failed: ${generation.generatorError ?? generation.errors[0]?.message}`);
  }

  // The previous generation: the same Applications with 1 % of them different (as if their spec had changed).
  const previous = new Map<string, string>();
  generation.applications.forEach((app, i) => {
    previous.set(app.metadata.name, i % 100 === 0 ? "changed" : specDigest(app));
  });

  const t2 = process.hrtime.bigint();
  const diff = diffGenerations(previous, generation, defaultDiffPolicy());
  const tDiff = ms(t2);
  // Building the previous generation is set-up (in production it is read from the store), so it is not counted.
  const total = tParse + tGenerate + tDiff;

  const count = generation.applications.length;
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  const rows = [
    ["clusters × elements", `${CLUSTERS} × ${ELEMENTS}`],
    ["Applications", String(count)],
    ["parse", `${tParse.toFixed(0)} ms`],
    ["generate + render", `${tGenerate.toFixed(0)} ms`],
    ["diff (1 % changed)", `${tDiff.toFixed(0)} ms — ${diff.updates.length} updates, ${diff.creates.length} creates`],
    ["wall time", `${total.toFixed(0)} ms`],
    ["Applications/s", (count / (total / 1000)).toFixed(0)],
    ["peak RSS", `${rssMiB.toFixed(0)} MiB`],
  ];
  const ok = total < 3000 && rssMiB < 1024;
  rows.push(["target (< 3 s, < 1 GiB)", ok ? "met" : "NOT met"]);
  reportResult({
    benchmark: "engine",
    title: `engine benchmark — ${count} Applications (${CLUSTERS} clusters × ${ELEMENTS} list elements, one matrix)`,
    notes: ["parsed, generated, rendered and diffed in this process; no Git, no Redis"],
    tables: [{ columns: ["measure", "value"], rows }],
  });
}

await run();
