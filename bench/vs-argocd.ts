// Flotilla and Argo CD side by side (issue 14): the same fleet through both systems, one after the other in one
// run, on the same local clusters and the same fleet repository (served over HTTP on loopback). For each system:
// the ApplicationSet arrives → every Application Synced and Healthy; a one-file change → applied on every cluster
// (p50/p99); a manual edit → reverted (p50/p99; Argo CD with self-heal on); CPU-seconds and peak RSS of all its
// processes, from /proc. Argo CD runs twice: with its defaults and with the tuning its operator manual documents.
// Run: pnpm bench vs-argocd [--quick]. Full: 10 clusters × 100 Applications × 3 objects; --quick: 3 × 10 × 3.
// Override with BENCH_CLUSTERS, BENCH_APPS, BENCH_CHANGES (one-file changes, each measured on every cluster),
// BENCH_EDITS, BENCH_WORKERS (Flotilla pool workers, 1), BENCH_CONCURRENCY (4), BENCH_PHASE_TIMEOUT_S (1800:
// Argo CD needs about 15 minutes to converge at full size),
// BENCH_SYSTEMS (ceiling,flotilla,argocd,argocd-tuned,ceiling), BENCH_LOG_LEVEL (info), BENCH_KEEP_LOGS=1,
// BENCH_CPU_PROF=1 (Flotilla's services write V8 CPU profiles into the logs directory, kept). "ceiling" is the raw
// server-side apply of the same objects to the same API servers (bench/raw-apply.ts), first and last by default:
// the machine's load drifts over a run, and the targets use the mean of the ceilings measured. The table ends with
// issue 14's targets, met or not; each system also prints the API servers' request counts while it converged.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { KubeObject } from "@flotilla/kube";
import { defaultTuning, documentedTuning, requireArgoCd, serveGitOverHttp } from "@flotilla/peer-argocd";
import { type ClusterSet, clusterNames, type StartedRedis, startClusters, startRedis } from "@flotilla/testbed";
import type { Redis } from "ioredis";
import { parseAllDocuments } from "yaml";
import { rawApply } from "./raw-apply.ts";
import { benchRedis, git, resultsDir } from "./support.ts";
import { describeRequests, requestCounts, requestsBetween, totalRequests } from "./vs-argocd/api-requests.ts";
import { startArgoCdSystem } from "./vs-argocd/argocd.ts";
import { startFlotilla } from "./vs-argocd/flotilla.ts";
import { clearNamespaces, measure } from "./vs-argocd/phases.ts";
import { appManifests, appName, commitAll, OBJECTS_PER_APP, writeApp } from "./vs-argocd/system.ts";
import {
  type Ceiling,
  formatMarkdown,
  formatText,
  meanCeiling,
  type SystemFigures,
  sideBySide,
  targetRows,
} from "./vs-argocd/table.ts";

const QUICK = process.argv.includes("--quick");
const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CLUSTERS = int("BENCH_CLUSTERS", QUICK ? 3 : 10);
const APPS = int("BENCH_APPS", QUICK ? 10 : 100);
const CHANGES = int("BENCH_CHANGES", QUICK ? 3 : 5);
const EDITS = int("BENCH_EDITS", QUICK ? 12 : 50);
const WORKERS = int("BENCH_WORKERS", 1);
const CONCURRENCY = int("BENCH_CONCURRENCY", 4);
const TIMEOUT_MS = int("BENCH_PHASE_TIMEOUT_S", 1800) * 1000;
const SYSTEMS = (process.env["BENCH_SYSTEMS"] ?? "ceiling,flotilla,argocd,argocd-tuned,ceiling").split(",");
const LOG_LEVEL = process.env["BENCH_LOG_LEVEL"] ?? "info";
const CPU_PROF = process.env["BENCH_CPU_PROF"] === "1";
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const say = (text: string): void => void process.stdout.write(`${text}\n`);

async function run(): Promise<void> {
  // Fails before anything starts when Argo CD is not built (scripts/testbed/argocd.sh).
  const argoVersion = SYSTEMS.some((s) => s.startsWith("argocd")) ? requireArgoCd().version : "(not run)";
  const work = mkdtempSync(join(tmpdir(), "flotilla-bench-vs-argocd-"));
  const logs = join(work, "logs");
  mkdirSync(logs);
  let bed: ClusterSet | undefined;
  let redis: StartedRedis | undefined;
  let stopGit: (() => Promise<void>) | undefined;
  let commandsClient: Redis | undefined;
  try {
    const size = `${CLUSTERS} clusters × ${APPS} Applications × ${OBJECTS_PER_APP} objects`;
    say(`vs-argocd benchmark — ${size}, Argo CD ${argoVersion}`);
    const t0 = performance.now();
    // The destinations, plus one management cluster for Argo CD's own objects (Flotilla keeps them in Redis).
    [bed, redis] = await Promise.all([
      startClusters({ count: CLUSTERS + 1, names: [...clusterNames(CLUSTERS), "argocd-mgmt"] }),
      startRedis(),
    ]);
    const clusters = bed.clusters.slice(0, CLUSTERS);
    const management = bed.clusters[CLUSTERS];
    if (!management) throw new Error("no management cluster");
    say(`  ${CLUSTERS + 1} clusters and Redis ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const fleetDir = join(work, "fleet");
    mkdirSync(fleetDir);
    git(fleetDir, "init", "--quiet", "--initial-branch=main");
    for (let i = 0; i < APPS; i++) writeApp(fleetDir, i, 1);
    writeFileSync(join(fleetDir, "README.md"), "vs-argocd bench fleet\n");
    commitAll(fleetDir, "apps, no ApplicationSet yet");
    const served = await serveGitOverHttp(fleetDir);
    stopGit = served.close;
    const head = () => git(fleetDir, "rev-parse", "HEAD").trim();
    commandsClient = benchRedis(redis.info.url);
    const phase = {
      clusters,
      apps: APPS,
      fleetDir,
      changes: CHANGES,
      edits: EDITS,
      timeoutMs: TIMEOUT_MS,
      say,
      redis: commandsClient,
    };

    const figures: SystemFigures[] = [];
    // The ceiling may be measured more than once (ceiling,flotilla,ceiling): the machine's load drifts between
    // phases, and the mean of a ceiling before and after a system is fairer than either.
    const ceilings: Ceiling[] = [];
    for (const which of SYSTEMS) {
      if (which === "flotilla") {
        const system = await startFlotilla({
          root: ROOT,
          work,
          logs,
          redisUrl: redis.info.url,
          fleetDir,
          fleetUrl: served.url,
          clusters,
          workers: WORKERS,
          concurrency: CONCURRENCY,
          logLevel: LOG_LEVEL,
          cpuProfile: CPU_PROF,
          runDir: bed.runDir,
        });
        figures.push({ ...(await measure(system, phase)), processes: `generator + ${WORKERS} pool worker(s)` });
        await clearNamespaces(clusters, "f-", TIMEOUT_MS);
      } else if (which === "argocd" || which === "argocd-tuned") {
        const tuned = which === "argocd-tuned";
        const prefix = tuned ? "t-" : "a-";
        const system = await startArgoCdSystem({
          name: tuned ? "Argo CD tuned" : "Argo CD",
          namespacePrefix: prefix,
          management,
          clusters,
          redis: { host: redis.info.host, port: redis.info.port },
          fleetUrl: served.url,
          head,
          tuning: tuned ? documentedTuning : defaultTuning,
          logDir: join(logs, which),
        });
        figures.push({
          ...(await measure(system, phase)),
          processes: "repo-server + application-controller + applicationset-controller",
        });
        await clearNamespaces(clusters, prefix, TIMEOUT_MS);
      } else if (which === "ceiling") {
        say(
          `  raw server-side apply of the same ${CLUSTERS * APPS * OBJECTS_PER_APP} objects (${CONCURRENCY} apps at a time per cluster)`,
        );
        const requestsBefore = await requestCounts(clusters);
        const raw = await rawApply({
          clusters,
          apps: Array.from({ length: APPS }, (_, i) => appName(i)),
          objectsOf: (app) => parseAllDocuments(appManifests(app, 1)).map((d) => d.toJS() as KubeObject),
          namespacePrefix: "r-",
          lanes: CONCURRENCY,
          timeoutMs: TIMEOUT_MS,
        });
        const requests = requestsBetween(requestsBefore, await requestCounts(clusters));
        ceilings.push({ ...raw, requests: totalRequests(requests) });
        say(
          `    applied in ${(raw.appliedMs / 1000).toFixed(1)} s, Deployments Available after ${(raw.availableMs / 1000).toFixed(1)} s`,
        );
        say(`    API requests: ${totalRequests(requests)} (${describeRequests(requests)})`);
        await clearNamespaces(clusters, "r-", TIMEOUT_MS);
      } else {
        throw new Error(`BENCH_SYSTEMS: unknown system "${which}"; expected flotilla, argocd, argocd-tuned, ceiling`);
      }
    }

    const ceiling = meanCeiling(ceilings);
    const rows = sideBySide(figures);
    const flotilla = figures.find((f) => f.system === "Flotilla");
    const goals = flotilla
      ? targetRows(
          flotilla,
          figures.find((f) => f.system === "Argo CD"),
          ceiling,
        )
      : [];
    const ceilingLine = ceiling
      ? `Raw server-side-apply ceiling: the same ${ceiling.objects} objects applied straight to the same API servers, ${CONCURRENCY} apps at a time per cluster, Deployments Available after ${ceilings.map((c) => `${(c.availableMs / 1000).toFixed(1)} s`).join(" and ")}${ceilings.length > 1 ? ` (mean ${(ceiling.availableMs / 1000).toFixed(1)} s)` : ""}, ${ceiling.requests ?? "?"} API requests.`
      : "Raw server-side-apply ceiling: not measured (add ceiling to BENCH_SYSTEMS).";
    const setting = [
      `${size}; ${CHANGES} one-file changes × ${CLUSTERS} clusters; ${EDITS} manual edits.`,
      `Flotilla: generator + ${WORKERS} pool worker(s), concurrency ${CONCURRENCY}, push webhook (polling off).`,
      `Argo CD ${argoVersion}: repo-server, application-controller, applicationset-controller as local processes;`,
      "a push is announced as argocd-server's webhook handler does (refresh=normal on each Application);",
      `tuned = --status-processors ${documentedTuning.statusProcessors} --operation-processors ${documentedTuning.operationProcessors} --kubectl-parallelism-limit ${documentedTuning.kubectlParallelismLimit} ARGOCD_K8S_CLIENT_QPS=${documentedTuning.clientQps} BURST=${documentedTuning.clientBurst}.`,
      "Ratios: the peer's figure over Flotilla's (lower is better everywhere; 3.0× = Flotilla three times better).",
    ];
    say("");
    say(`vs-argocd — ${size}`);
    for (const line of setting) say(`  ${line}`);
    say(formatText(rows));
    say(`  ${ceilingLine}`);
    if (goals.length > 0) say(formatText(goals));
    mkdirSync(resultsDir(), { recursive: true });
    const file = join(resultsDir(), QUICK ? "vs-argocd-quick.md" : "vs-argocd.md");
    writeFileSync(
      file,
      [
        `# vs-argocd — ${size}`,
        "",
        `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`pnpm bench vs-argocd${QUICK ? " --quick" : ""}\` (2 shared cores).`,
        "",
        ...setting.map((l) => `- ${l}`),
        "",
        formatMarkdown(rows),
        "",
        ...figures.map((f) => `- ${f.system}: ${f.processes}`),
        `- ${ceilingLine}`,
        "",
        ...(goals.length > 0 ? [formatMarkdown(goals), ""] : []),
      ].join("\n"),
    );
    say(`  written to ${relative(ROOT, file)}`);
    if (figures.some((f) => f.convergeMs === undefined)) process.exitCode = 1;
  } finally {
    await stopGit?.().catch(() => undefined);
    await commandsClient?.quit().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
    await bed?.stop().catch(() => undefined);
    if (process.env["BENCH_KEEP_LOGS"] === "1" || CPU_PROF) say(`logs kept in ${logs}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await run();
