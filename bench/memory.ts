// Memory benchmark (issue 14): the generator and one pool worker as their own processes, holding a fleet of
// BENCH_CLUSTERS × BENCH_APPS Applications. For each process: RSS from /proc, and heapUsed, heapTotal, external and
// arrayBuffers from the process itself (bench/memory/probe.ts, loaded with --import), at three points: started
// (every cluster leased, nothing to sync), converged (every Application Synced and Healthy) and idle (BENCH_IDLE_S
// later, after a periodic re-sync round); and each one's peak RSS (VmHWM) over the run.
// Run: pnpm bench memory. Scale with BENCH_CLUSTERS (3), BENCH_APPS (10 per cluster), BENCH_SHAPE (full: ConfigMap
// + Service + Deployment per app, as vs-argocd; configmap: one ConfigMap, for large fleets), BENCH_IDLE_S (20),
// BENCH_RESYNC (the worker's periodic re-sync during the run, 10s), BENCH_CONCURRENCY (4), BENCH_NODE_OPTIONS
// (added to both services' NODE_OPTIONS, e.g. V8 flags to compare), BENCH_HEAP_SNAPSHOT=1 (a heap snapshot of
// each process when idle, kept with the logs), BENCH_PHASE_TIMEOUT_S (900), BENCH_LOG_LEVEL (info),
// BENCH_CHECKOUTS (label=path,… : the services of each checkout in turn on the same clusters, Redis and fleet, e.g.
// before=<a checkout of the base commit>,after=. for a before/after under the same conditions; a checkout may
// carry NODE_OPTIONS of its own after a "|", and variables after a second one, e.g.
// semi=.|--max-semi-space-size=2 or arena=.||MALLOC_ARENA_MAX:2; default: this one).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { flushRedisDb, processUsage, serveGitOverHttp } from "@flotilla/peer-argocd";
import { StatusStore } from "@flotilla/status";
import { type ClusterSet, eventually, type StartedRedis, startClusters, startRedis } from "@flotilla/testbed";
import type { Redis } from "ioredis";
import { matrixAppSet } from "./fleet-appset.ts";
import { benchRedis, git } from "./support.ts";
import { startFlotilla } from "./vs-argocd/flotilla.ts";
import { clearNamespaces } from "./vs-argocd/phases.ts";
import { appManifests, appName, commitAll } from "./vs-argocd/system.ts";

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CLUSTERS = int("BENCH_CLUSTERS", 3);
const APPS = int("BENCH_APPS", 10);
const SHAPE = process.env["BENCH_SHAPE"] ?? "full";
const IDLE_S = int("BENCH_IDLE_S", 20);
const RESYNC = process.env["BENCH_RESYNC"] ?? "10s";
const CONCURRENCY = int("BENCH_CONCURRENCY", 4);
const NODE_OPTIONS = process.env["BENCH_NODE_OPTIONS"] ?? "";
const HEAP_SNAPSHOT = process.env["BENCH_HEAP_SNAPSHOT"] === "1";
const TIMEOUT_MS = int("BENCH_PHASE_TIMEOUT_S", 900) * 1000;
const LOG_LEVEL = process.env["BENCH_LOG_LEVEL"] ?? "info";
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CHECKOUTS = (process.env["BENCH_CHECKOUTS"] ?? `this=${ROOT}`).split(",").map((entry) => {
  const at = entry.indexOf("=");
  const [label, rest] = at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
  const [path, flags, env] = (rest ?? "").split("|");
  if (!label || !path)
    throw new Error(`BENCH_CHECKOUTS: expected label=path[|node flags[|VAR:value;…]], got "${entry}"`);
  const vars = (env ?? "")
    .split(";")
    .filter((v) => v !== "")
    .map((v) => v.split(":") as [string, string]);
  return { label, root: `${resolve(path)}/`, flags: flags ?? "", env: Object.fromEntries(vars) };
});
const say = (text: string): void => void process.stdout.write(`${text}\n`);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

if (SHAPE !== "full" && SHAPE !== "configmap") throw new Error(`BENCH_SHAPE: expected full or configmap, got ${SHAPE}`);
const objectsPerApp = SHAPE === "full" ? 3 : 1;

function writeApp(fleet: string, i: number): void {
  const name = appName(i);
  mkdirSync(join(fleet, "apps", name), { recursive: true });
  const text =
    SHAPE === "full"
      ? appManifests(name, 1)
      : `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { rev: "1" }\n`;
  writeFileSync(join(fleet, "apps", name, "app.yaml"), text);
}

interface Usage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** The process's last self-report (the probe writes one a second). */
function selfReport(dir: string, pid: number): Usage | undefined {
  try {
    const lines = readFileSync(join(dir, `${pid}.jsonl`), "utf8")
      .trimEnd()
      .split("\n");
    return JSON.parse(lines[lines.length - 1] ?? "") as Usage;
  } catch {
    return undefined;
  }
}

/** A "<key>: <n> kB" line of /proc/<pid>/status, in KiB; 0 when it is missing. */
function statusKiB(pid: number, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0);
}

interface Bed {
  clusters: ClusterSet["clusters"];
  runDir: string;
  redis: Redis;
  redisUrl: string;
  fleetDir: string;
  fleetUrl: string;
  work: string;
  logs: string;
  probes: string;
  size: string;
}

/** One checkout's generator and pool worker: deploy the fleet, sample, stop; returns the result's lines. */
async function measureOne(
  checkout: { label: string; root: string; flags: string; env: Record<string, string> },
  bed: Bed,
): Promise<string[]> {
  const { logs, probes } = bed;
  const expected = CLUSTERS * APPS;
  say(`  ${checkout.label}: services from ${checkout.root}`);
  mkdirSync(join(logs, checkout.label), { recursive: true });
  // Inherited by the services startFlotilla spawns (their environment is this one's plus theirs).
  const probe = join(ROOT, "bench/memory/probe.ts");
  const snapshotFlags = HEAP_SNAPSHOT
    ? ` --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${join(logs, checkout.label)}`
    : "";
  process.env["NODE_OPTIONS"] = `--import=${probe}${snapshotFlags} ${NODE_OPTIONS} ${checkout.flags}`.trim();
  process.env["BENCH_MEMORY_DIR"] = probes;
  process.env["FLOTILLA_RESYNC_INTERVAL"] = RESYNC;
  const saved = Object.keys(checkout.env).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, checkout.env);
  const system = await startFlotilla({
    root: checkout.root,
    work: bed.work,
    logs: join(logs, checkout.label),
    redisUrl: bed.redisUrl,
    fleetDir: bed.fleetDir,
    fleetUrl: bed.fleetUrl,
    clusters: bed.clusters,
    runDir: bed.runDir,
    workers: 1,
    concurrency: CONCURRENCY,
    logLevel: LOG_LEVEL,
  });
  delete process.env["NODE_OPTIONS"];
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    const [generatorPid, workerPid] = system.pids();
    if (generatorPid === undefined || workerPid === undefined) throw new Error("the services have no pids");
    const processes = [
      { name: "generator", pid: generatorPid },
      { name: "pool worker", pid: workerPid },
    ];

    const rows: string[][] = [];
    const sample = async (point: string): Promise<void> => {
      // A fresh self-report, written after this point was reached.
      const after = Date.now();
      await eventually(
        "both services to report their memory",
        async () =>
          processes.every((p) => ((selfReport(probes, p.pid) as { at?: number } | undefined)?.at ?? 0) > after)
            ? true
            : undefined,
        30_000,
        200,
      );
      for (const p of processes) {
        const self = selfReport(probes, p.pid);
        const proc = processUsage(p.pid);
        if (self === undefined || proc === undefined) throw new Error(`${p.name} is gone`);
        rows.push([
          point,
          p.name,
          mib(proc.rssBytes),
          mib(statusKiB(p.pid, "RssAnon") * 1024),
          mib(self.heapUsed),
          mib(self.heapTotal),
          mib(self.external),
          mib(self.arrayBuffers),
        ]);
      }
    };

    await sleep(3_000);
    await sample("started");
    const t1 = performance.now();
    // Each checkout its own ApplicationSet and namespaces, so that no object of an earlier checkout is taken for one
    // of this one's while the earlier ones are being deleted.
    const appSet = `bench-${checkout.label}`;
    const namespace = SHAPE === "full" ? `${checkout.label}-{{path.basename}}` : `${checkout.label}-apps`;
    mkdirSync(join(bed.fleetDir, "appsets"), { recursive: true });
    writeFileSync(
      join(bed.fleetDir, "appsets", `${appSet}.yaml`),
      matrixAppSet(appSet, bed.fleetUrl, "apps", namespace),
    );
    const commit = commitAll(bed.fleetDir, `bench: every app on every cluster (${checkout.label})`);
    await system.notifyPush();
    const status = new StatusStore(bed.redis, { prefix: "vs:" });
    const names = bed.clusters.map((c) => c.name);
    let last = "";
    await eventually(
      `${expected} Applications Synced and Healthy`,
      async () => {
        const all = (await Promise.all(names.map((n) => status.list(n)))).flat().filter((s) => s.appSet === appSet);
        const done = all.filter((s) => s.revision === commit && s.sync === "Synced" && s.health === "Healthy").length;
        const errors = all.filter((s) => s.sync === "Error").length;
        const line = `${done}/${expected} Synced+Healthy${errors ? `, ${errors} errors` : ""}`;
        if (line !== last) process.stdout.write(`\r    ${line} ${secs(performance.now() - t1)}   `);
        last = line;
        return done === expected ? true : undefined;
      },
      TIMEOUT_MS,
      2_000,
    );
    const convergeMs = performance.now() - t1;
    process.stdout.write("\n");
    say(`  converged in ${secs(convergeMs)}`);
    await sample("converged");
    await sleep(IDLE_S * 1000);
    await sample(`idle ${IDLE_S} s`);
    const peaks = processes.map((p) => processUsage(p.pid)?.peakRssBytes ?? 0);
    if (HEAP_SNAPSHOT) {
      for (const p of processes) process.kill(p.pid, "SIGUSR2");
      await eventually(
        "the heap snapshots",
        async () =>
          readdirSync(join(logs, checkout.label)).filter((f) => f.endsWith(".heapsnapshot")).length >= 2
            ? true
            : undefined,
        120_000,
        500,
      );
      await sleep(5_000);
    }

    const header = ["point", "process", "RSS", "RssAnon", "heapUsed", "heapTotal", "external", "arrayBuffers"];
    const lines = [
      `memory — ${checkout.label}: ${bed.size}, ${expected} Applications, converged in ${secs(convergeMs)}, MiB`,
      header.join(" | "),
      ...rows.map((r) => r.join(" | ")),
      `peak RSS (VmHWM): generator ${mib(peaks[0] ?? 0)}, pool worker ${mib(peaks[1] ?? 0)}, sum ${mib((peaks[0] ?? 0) + (peaks[1] ?? 0))}`,
      `per held Application (pool worker idle RSS − started RSS) / ${expected}: ${(((Number(rows[5]?.[2]) - Number(rows[1]?.[2])) * 1024) / expected).toFixed(1)} KiB`,
      `${NODE_OPTIONS} ${checkout.flags}`.trim() === "" ? "" : `NODE_OPTIONS: ${NODE_OPTIONS} ${checkout.flags}`,
      Object.keys(checkout.env).length === 0 ? "" : `environment: ${JSON.stringify(checkout.env)}`,
    ].filter((l) => l !== "");
    say("");
    for (const line of lines) say(line);
    return lines;
  } finally {
    await system.stop();
    // The next checkout's generator starts from a fleet without the ApplicationSet, as this one did.
    rmSync(join(bed.fleetDir, "appsets"), { recursive: true, force: true });
    commitAll(bed.fleetDir, "bench: no ApplicationSet");
  }
}

async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "flotilla-bench-memory-"));
  const logs = join(work, "logs");
  const probes = join(work, "probes");
  mkdirSync(logs);
  mkdirSync(probes);
  let bed: ClusterSet | undefined;
  let redis: StartedRedis | undefined;
  let stopGit: (() => Promise<void>) | undefined;
  let conn: Redis | undefined;
  const expected = CLUSTERS * APPS;
  try {
    const size = `${CLUSTERS} clusters × ${APPS} Applications × ${objectsPerApp} object(s)`;
    say(`memory benchmark — ${size} (${expected} Applications)`);
    const t0 = performance.now();
    [bed, redis] = await Promise.all([startClusters({ count: CLUSTERS }), startRedis()]);
    say(`  clusters and Redis ready in ${secs(performance.now() - t0)}`);
    const fleetDir = join(work, "fleet");
    mkdirSync(fleetDir);
    git(fleetDir, "init", "--quiet", "--initial-branch=main");
    for (let i = 0; i < APPS; i++) writeApp(fleetDir, i);
    writeFileSync(join(fleetDir, "README.md"), "memory bench fleet\n");
    commitAll(fleetDir, "apps, no ApplicationSet yet");
    const served = await serveGitOverHttp(fleetDir);
    stopGit = served.close;
    conn = benchRedis(redis.info.url);

    const results: string[] = [];
    for (const checkout of CHECKOUTS) {
      results.push(
        ...(await measureOne(checkout, {
          clusters: bed.clusters,
          runDir: bed.runDir,
          redis: conn,
          redisUrl: redis.info.url,
          fleetDir,
          fleetUrl: served.url,
          work,
          logs,
          probes,
          size,
        })),
      );
      // Objects and state of this checkout go; the next one does not wait for the namespaces to be gone.
      await clearNamespaces(bed.clusters, `${checkout.label}-`, 1_000);
      await flushRedisDb({ host: redis.info.host, port: redis.info.port, db: 0 });
    }
    mkdirSync(join(ROOT, "bench/results"), { recursive: true });
    const file = join(ROOT, "bench/results", `memory-${CLUSTERS}x${APPS}-${SHAPE}.txt`);
    writeFileSync(file, `${results.join("\n")}\n`);
    say(`  written to bench/results/memory-${CLUSTERS}x${APPS}-${SHAPE}.txt`);
  } finally {
    await conn?.quit().catch(() => undefined);
    await stopGit?.().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
    await bed?.stop().catch(() => undefined);
    if (process.env["BENCH_KEEP_LOGS"] === "1" || HEAP_SNAPSHOT) say(`logs kept in ${logs}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await run();
