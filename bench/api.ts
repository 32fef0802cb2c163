// API benchmark (issue 10): 50,000 Applications stored (1,000 clusters × 50: 50 ApplicationSets with one
// Application per cluster), their specs and statuses written into a real Redis by the real stores; the real API as
// its own process on it. Measures p50/p99 of one filtered page of `GET /api/v1/applications` (by cluster and by
// ApplicationSet) and of `GET /api/v1/status`, the wall time of `flotilla status` (a process, as a person runs it),
// and the API's RSS before and after.
// Run: pnpm bench api. Scale with BENCH_CLUSTERS (1000), BENCH_APPSETS (50), BENCH_REQUESTS (50 per route),
// BENCH_CLI_RUNS (5), BENCH_LOG_LEVEL (warn).

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Application } from "@flotilla/core";
import { type Service, stopService } from "@flotilla/demo";
import { type AppStatus, StatusStore } from "@flotilla/status";
import { openStore } from "@flotilla/store";
import { startRedis } from "@flotilla/testbed";
import pino from "pino";
import { startBenchApi } from "./api-process.ts";
import { benchRedis, percentile, reportResult } from "./support.ts";

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1000);
const APPSETS = Number(process.env.BENCH_APPSETS ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "warn";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PREFIX = "bench-api:";
const TOKEN = `bench-${randomBytes(16).toString("hex")}`;
const say = (text: string): void => void process.stdout.write(`${text}\n`);
const clusterName = (i: number) => `c-${String(i).padStart(4, "0")}`;
const appSetName = (i: number) => `set-${String(i).padStart(2, "0")}`;
const ms = (v: number) => `${v.toFixed(1)} ms`;

function application(appSet: string, cluster: string): Application {
  return {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name: `${appSet}-${cluster}`, labels: { "flotilla.dev/appset": appSet } },
    spec: {
      source: { repoURL: "https://git.example/fleet.git", targetRevision: "main", path: `apps/${appSet}` },
      destination: { cluster, namespace: appSet },
      syncPolicy: { automated: { prune: true } },
    },
  };
}

/** A status as a worker leaves it: three objects, one Application in 50 OutOfSync so the summary has a list. */
function statusOf(appSet: string, cluster: string, n: number): AppStatus {
  const name = `${appSet}-${cluster}`;
  return {
    appSet,
    application: name,
    cluster,
    sync: n % 50 === 0 ? "OutOfSync" : "Synced",
    health: "Healthy",
    revision: "a".repeat(40),
    fleetRevision: "f".repeat(40),
    bundleDigest: `sha256:${"b".repeat(64)}`,
    desiredDigest: `sha256:${"d".repeat(64)}`,
    lastSyncAt: new Date().toISOString(),
    resources: ["Namespace", "ConfigMap", "Deployment"].map((kind) => ({
      id: `${kind === "Deployment" ? "apps" : ""}/${kind}/${appSet}/${name}`,
      action: "unchanged" as const,
      health: "Healthy" as const,
    })),
  };
}

async function seed(url: string): Promise<void> {
  const redis = benchRedis(url);
  const log = pino({ level: "silent" });
  const store = await openStore({ redis, prefix: PREFIX, needsCredentials: false, log });
  const status = new StatusStore(redis, { prefix: PREFIX });
  const started = performance.now();
  for (let c = 0; c < CLUSTERS; c++) {
    const name = clusterName(c);
    await store.clusters.register({ name, server: `https://${name}.example:6443`, labels: {}, mode: "agent" });
    await store.clusters.heartbeat(name);
  }
  for (let s = 0; s < APPSETS; s++) {
    const appSet = appSetName(s);
    const creates = Array.from({ length: CLUSTERS }, (_, c) => ({
      application: application(appSet, clusterName(c)),
      desiredDigest: `sha256:${"d".repeat(64)}`,
    }));
    await store.applications.commit(appSet, { creates, updates: [], deletes: [], unchanged: [] });
  }
  const inventory = { entries: [] } as never;
  for (let c = 0; c < CLUSTERS; c++) {
    const cluster = clusterName(c);
    await Promise.all(
      Array.from({ length: APPSETS }, (_, s) => {
        const appSet = appSetName(s);
        return status.record(
          { cluster, appSet, application: `${appSet}-${cluster}` },
          { status: statusOf(appSet, cluster, c * APPSETS + s), inventory },
        );
      }),
    );
  }
  const memory = await redis.info("memory");
  say(
    `seeded ${CLUSTERS} clusters, ${CLUSTERS * APPSETS} Applications (specs and statuses) in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; Redis ${/used_memory_human:(\S+)/.exec(memory)?.[1]}`,
  );
  await redis.quit();
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

interface Timing {
  what: string;
  p50: number;
  p99: number;
  note: string;
}

async function timeRoute(base: string, what: string, path: string): Promise<Timing> {
  const headers = { authorization: `Bearer ${TOKEN}` };
  const first = await fetch(`${base}${path}`, { headers });
  if (first.status === 404) {
    await first.text();
    return { what, p50: Number.NaN, p99: Number.NaN, note: "route not on this branch" };
  }
  if (!first.ok) throw new Error(`${path}: HTTP ${first.status} ${await first.text()}`);
  const body = await first.text();
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const res = await fetch(`${base}${path}`, { headers });
    await res.text();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    what,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    note: `${(body.length / 1024).toFixed(0)} KiB`,
  };
}

function cliStatus(base: string): Promise<{ ms: number; code: number | null; lines: number }> {
  const config = mkdtempSync(join(tmpdir(), "flotilla-bench-cli-"));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "apps/cli/src/main.ts"), "status"], {
      cwd: ROOT,
      env: { ...process.env, FLOTILLA_SERVER: base, FLOTILLA_TOKEN: TOKEN, XDG_CONFIG_HOME: config },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      rmSync(config, { recursive: true, force: true });
      resolve({ ms: performance.now() - started, code, lines: out.split("\n").length });
    });
  });
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const work = mkdtempSync(join(tmpdir(), "flotilla-bench-api-"));
  let api: Service | undefined;
  try {
    await seed(redis.info.url);
    const started = await startBenchApi({
      redisUrl: redis.info.url,
      prefix: PREFIX,
      token: TOKEN,
      logLevel: LOG_LEVEL,
      logFile: join(work, "api.log"),
    });
    api = started.service;
    const base = started.base;
    const pid = api.child.pid ?? 0;
    const rssIdle = rssOf(pid);
    const mid = clusterName(Math.floor(CLUSTERS / 2));
    const timings = [
      await timeRoute(base, "GET /api/v1/status", "/api/v1/status"),
      await timeRoute(base, `GET /api/v1/status?cluster=${mid}`, `/api/v1/status?cluster=${mid}`),
      await timeRoute(base, "GET /api/v1/applications (cluster page)", `/api/v1/applications?cluster=${mid}&limit=100`),
      await timeRoute(
        base,
        "GET /api/v1/applications (appset page)",
        `/api/v1/applications?appset=${appSetName(Math.floor(APPSETS / 2))}&limit=100`,
      ),
    ];
    const runs: number[] = [];
    let exitCode: number | null = null;
    for (let i = 0; i < CLI_RUNS; i++) {
      const r = await cliStatus(base);
      runs.push(r.ms);
      exitCode = r.code;
    }
    runs.sort((a, b) => a - b);
    const rssAfter = rssOf(pid);

    reportResult({
      benchmark: "api",
      title: `API benchmark: ${CLUSTERS} clusters × ${APPSETS} = ${CLUSTERS * APPSETS} Applications, ${REQUESTS} requests each`,
      tables: [
        {
          columns: ["measure", "p50", "p99", "note"],
          rows: [
            ...timings.map((t) => [
              t.what,
              Number.isNaN(t.p50) ? "-" : ms(t.p50),
              Number.isNaN(t.p99) ? "-" : ms(t.p99),
              t.note,
            ]),
            [
              "flotilla status (process wall time)",
              ms(percentile(runs, 50)),
              ms(percentile(runs, 99)),
              `${CLI_RUNS} runs, exit ${exitCode}`,
            ],
            ["API RSS after start-up", `${rssIdle.toFixed(0)} MiB`, "", ""],
            ["API RSS after the runs", `${rssAfter.toFixed(0)} MiB`, "", ""],
          ],
        },
      ],
    });
    const summary = timings[0]!;
    if (summary.p50 > 1000) {
      say(`status summary p50 ${ms(summary.p50)} is over 1 s`);
      process.exitCode = 1;
    }
  } finally {
    if (api !== undefined) await stopService(api);
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
