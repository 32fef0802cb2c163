// Measures the test bed: cold build time of each binary (recorded by scripts/testbed/setup.sh), cached setup
// time, start time of 1 and of 10 clusters, RSS per cluster, and Redis container start time. Prints a table.
// Run through `pnpm bench testbed` (bench/testbed.ts), or `node test/testbed/src/bench.ts`.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { startClusters } from "./clusters.ts";
import { startRedis } from "./redis.ts";
import { residentBytes } from "./rss.ts";

interface Row {
  measure: string;
  value: string;
  note?: string;
}

const rows: Row[] = [];
const cache = process.env["FLOTILLA_CACHE"] ?? join(homedir(), ".cache", "flotilla");
const timings = join(cache, "timings");
const setupScript = fileURLToPath(new URL("../../../scripts/testbed/setup.sh", import.meta.url));
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function readTiming(name: string): number | undefined {
  try {
    return Number.parseFloat(readFileSync(join(timings, name), "utf8"));
  } catch {
    return undefined;
  }
}

function recordedBuilds(): void {
  let names: string[] = [];
  try {
    names = readdirSync(timings).filter((n) => !n.startsWith("."));
  } catch {
    rows.push({ measure: "cold build", value: "n/a", note: `no ${timings}: run scripts/testbed/setup.sh` });
    return;
  }
  let total = 0;
  for (const name of names.filter((n) => n.startsWith("build-")).sort()) {
    const s = readTiming(name) ?? 0;
    total += s;
    rows.push({ measure: `cold ${name}`, value: `${s} s`, note: "recorded by setup.sh when it built it" });
  }
  rows.push({ measure: "cold build, all binaries", value: `${total} s`, note: "2 cores, -p=2, empty Go caches" });
  for (const [name, note] of [
    ["apt-install", "podman runc debootstrap"],
    ["redis-image-build", "debootstrap + podman import"],
    ["setup-cold", "whole setup.sh when it last built something"],
  ] as const) {
    const s = readTiming(name);
    if (s !== undefined) rows.push({ measure: `cold ${name}`, value: `${s} s`, note });
  }
}

function cachedSetup(): void {
  const started = performance.now();
  const run = spawnSync(setupScript, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`setup.sh failed:\n${run.stderr}`);
  rows.push({ measure: "cached setup.sh", value: `${ms.toFixed(0)} ms`, note: "everything present: checks only" });
}

async function clusterStart(count: number): Promise<void> {
  const started = performance.now();
  const set = await startClusters({ count });
  const ms = performance.now() - started;
  try {
    rows.push({
      measure: `start ${count} cluster${count > 1 ? "s" : ""}`,
      value: seconds(ms),
      note: "apiserver + controller-manager + scheduler + KWOK each, one etcd; until node Ready",
    });
    // Let start-up garbage settle before reading memory.
    await sleep(5_000);
    const perCluster = set.clusters.map((c) => c.pids.reduce((sum, pid) => sum + residentBytes(pid), 0));
    const mean = perCluster.reduce((a, b) => a + b, 0) / perCluster.length;
    rows.push({
      measure: `RSS per cluster (${count} running)`,
      value: mib(mean),
      note: `min ${mib(Math.min(...perCluster))}, max ${mib(Math.max(...perCluster))}`,
    });
    if (count === 1) {
      const cluster = set.clusters[0]!;
      const [apiServer, ...others] = cluster.pids;
      rows.push({
        measure: "  of which kube-apiserver",
        value: mib(residentBytes(apiServer!)),
        note: `others: ${others.map((p) => mib(residentBytes(p))).join(", ")} (kcm, scheduler, kwok)`,
      });
    }
    rows.push({ measure: `shared etcd RSS (${count} clusters)`, value: mib(residentBytes(set.etcdPid)) });
  } finally {
    await set.stop();
  }
}

async function redisStart(times: number): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const redis = await startRedis();
    samples.push(performance.now() - started);
    await redis.stop();
  }
  samples.sort((a, b) => a - b);
  rows.push({
    measure: "Redis container start",
    value: `${samples[Math.floor(samples.length / 2)]!.toFixed(0)} ms`,
    note: `median of ${times} (testcontainers + Podman, until "Ready to accept connections")`,
  });
}

function printTable(): void {
  const w1 = Math.max(...rows.map((r) => r.measure.length));
  const w2 = Math.max(...rows.map((r) => r.value.length));
  console.log(`\n${"measure".padEnd(w1)}  ${"value".padStart(w2)}  note`);
  console.log(`${"-".repeat(w1)}  ${"-".repeat(w2)}  ----`);
  for (const r of rows) console.log(`${r.measure.padEnd(w1)}  ${r.value.padStart(w2)}  ${r.note ?? ""}`);
}

recordedBuilds();
cachedSetup();
await clusterStart(1);
await clusterStart(10);
await redisStart(3);
printTable();
// `pnpm bench testbed` (bench/testbed.ts) reports the rows through the benchmarks' shared reporter.
const rowsFile = process.env["FLOTILLA_BENCH_ROWS_FILE"];
if (rowsFile !== undefined) writeFileSync(rowsFile, JSON.stringify(rows));
