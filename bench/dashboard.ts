// Dashboard benchmark (issue 11): 50,000 Applications stored (1,000 clusters × 50 ApplicationSets, a realistic mix
// of syncs and healths, some generated and not synced yet) in a real Redis by the real stores; the API as its own
// process serving the built dashboard; headless Chromium (test/browser). Per run, in a fresh browser context (empty
// cache): time to first render of the matrix (navigation start → [data-testid=fleet-matrix][data-ready=true]), time
// to apply a filter (a selector typed into "Cluster labels", Enter → data-ready true again with the new columns), and
// the bytes of the first render (response bodies as transferred: HTML, JS, CSS, the matrix JSON). Then p50/p99 of
// `GET /api/v1/matrix` itself, without and with compression accepted (bytes as sent).
// Run: pnpm bench dashboard. Scale with BENCH_CLUSTERS (1000), BENCH_APPSETS (50), BENCH_RUNS (5),
// BENCH_REQUESTS (20), BENCH_LOG_LEVEL (warn).

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumAvailability, launchBrowser, saveScreenshot } from "@flotilla/browser";
import type { Application } from "@flotilla/core";
import { DASHBOARD_BUILD_COMMAND, DASHBOARD_DIST_DIR } from "@flotilla/dashboard";
import { type Service, stopService } from "@flotilla/demo";
import { type AppStatus, type FleetMatrix, StatusStore } from "@flotilla/status";
import { openStore } from "@flotilla/store";
import { startRedis } from "@flotilla/testbed";
import pino from "pino";
import type { Page } from "playwright-core";
import { startBenchApi } from "./api-process.ts";
import { benchRedis, percentile } from "./support.ts";

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1000);
const APPSETS = Number(process.env.BENCH_APPSETS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "warn";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PREFIX = "bench-dashboard:";
const TOKEN = `bench-${randomBytes(16).toString("hex")}`;
/** The filter typed in each run; it keeps the prod clusters in eu and us. */
const FILTER = "env=prod,region in (eu,us)";
const say = (text: string): void => void process.stdout.write(`${text}\n`);
const clusterName = (i: number) => `c-${String(i).padStart(4, "0")}`;
const appSetName = (i: number) => `set-${String(i).padStart(2, "0")}`;
const ms = (v: number) => (Number.isNaN(v) ? "-" : `${v.toFixed(0)} ms`);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** A fleet's labels: half prod, a quarter each staging and dev, over three regions. */
function labelsOf(c: number): Record<string, string> {
  const env = c % 4 < 2 ? "prod" : c % 4 === 2 ? "staging" : "dev";
  return { env, region: ["eu", "us", "ap"][c % 3]!, tier: c % 5 === 0 ? "db" : "web" };
}
const matchesFilter = (c: number) => {
  const l = labelsOf(c);
  return l.env === "prod" && (l.region === "eu" || l.region === "us");
};

type Verdict = Pick<AppStatus, "sync" | "health"> | undefined;

/**
 * A fleet on an ordinary day, per 1,000 Applications: 900 Synced Healthy, 40 OutOfSync, 20 Progressing, 10 Degraded,
 * 10 in Error, 10 Missing, 10 generated and not synced yet (no status). Spread by a multiplicative hash so cells
 * of every kind land all over the matrix.
 */
function verdictOf(n: number): Verdict {
  const k = (n * 2_654_435_761) % 1000;
  if (k < 900) return { sync: "Synced", health: "Healthy" };
  if (k < 940) return { sync: "OutOfSync", health: "Healthy" };
  if (k < 960) return { sync: "Synced", health: "Progressing" };
  if (k < 970) return { sync: "Synced", health: "Degraded" };
  if (k < 980) return { sync: "Error", health: "Degraded" };
  if (k < 990) return { sync: "OutOfSync", health: "Missing" };
  return undefined;
}

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

function statusOf(appSet: string, cluster: string, verdict: NonNullable<Verdict>): AppStatus {
  const name = `${appSet}-${cluster}`;
  return {
    appSet,
    application: name,
    cluster,
    ...verdict,
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

/** Clusters (agents with a fresh heartbeat), Applications with their names owned, statuses: what the stores hold. */
async function seed(url: string): Promise<{ unsynced: number }> {
  const redis = benchRedis(url);
  const log = pino({ level: "silent" });
  const store = await openStore({ redis, prefix: PREFIX, needsCredentials: false, log });
  const status = new StatusStore(redis, { prefix: PREFIX });
  const started = performance.now();
  for (let c = 0; c < CLUSTERS; c++) {
    const name = clusterName(c);
    await store.clusters.register({
      name,
      server: `https://${name}.example:6443`,
      labels: labelsOf(c),
      mode: "agent",
    });
    await store.clusters.heartbeat(name);
  }
  for (let s = 0; s < APPSETS; s++) {
    const appSet = appSetName(s);
    const creates = Array.from({ length: CLUSTERS }, (_, c) => ({
      application: application(appSet, clusterName(c)),
      desiredDigest: `sha256:${"d".repeat(64)}`,
    }));
    await store.applications.commit(appSet, { creates, updates: [], deletes: [], unchanged: [] });
    await store.owners.claim(
      appSet,
      Array.from({ length: CLUSTERS }, (_, c) => ({
        cluster: clusterName(c),
        application: `${appSet}-${clusterName(c)}`,
      })),
    );
    await redis.hset(store.keys.appSetSources, appSet, JSON.stringify({ appSet, file: `appsets/${appSet}.yaml` }));
  }
  const inventory = { entries: [] } as never;
  let unsynced = 0;
  for (let c = 0; c < CLUSTERS; c++) {
    const cluster = clusterName(c);
    await Promise.all(
      Array.from({ length: APPSETS }, (_, s) => {
        const appSet = appSetName(s);
        const verdict = verdictOf(c * APPSETS + s);
        if (verdict === undefined) {
          unsynced++;
          return undefined;
        }
        return status.record(
          { cluster, appSet, application: `${appSet}-${cluster}` },
          { status: statusOf(appSet, cluster, verdict), inventory },
        );
      }),
    );
  }
  const memory = await redis.info("memory");
  say(
    `seeded ${CLUSTERS} clusters, ${CLUSTERS * APPSETS} Applications (${unsynced} without a status yet) in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; Redis ${/used_memory_human:(\S+)/.exec(memory)?.[1]}`,
  );
  await redis.quit();
  return { unsynced };
}

/** Builds the dashboard when its build output is missing (the set-up does it; a fresh checkout may not have). */
function ensureDashboardBuilt(): boolean {
  if (existsSync(join(DASHBOARD_DIST_DIR, "index.html"))) return true;
  say(`the dashboard is not built; running ${DASHBOARD_BUILD_COMMAND}`);
  const r = spawnSync("pnpm", ["--filter", "@flotilla/dashboard", "build"], { cwd: ROOT, stdio: "inherit" });
  return r.status === 0 && existsSync(join(DASHBOARD_DIST_DIR, "index.html"));
}

interface Timing {
  p50: number;
  p99: number;
  bytes: number;
  encoding: string;
}

/** One GET as the wire carries it: status, content-encoding and the body's bytes as sent (not decoded). */
function getRaw(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; encoding: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { headers }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: String(res.headers["content-encoding"] ?? "identity"),
          bytes,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

async function timeRoute(base: string, path: string, acceptEncoding: string | undefined): Promise<Timing> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (acceptEncoding !== undefined) headers["accept-encoding"] = acceptEncoding;
  const first = await getRaw(`${base}${path}`, headers);
  if (first.status !== 200) throw new Error(`${path}: HTTP ${first.status}`);
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    await getRaw(`${base}${path}`, headers);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), bytes: first.bytes, encoding: first.encoding };
}

// Runs in the page before its own scripts: notes the time (ms since navigation start) of every transition of the
// matrix to data-ready="true", and of the first input into "Cluster labels" after a mark, so the figures are the
// page's own clock rather than the benchmark's polling.
const READY_PROBE = `(() => {
  const w = window;
  w.__bench = { ready: [], wasReady: false, typedAt: undefined };
  const check = () => {
    const ready = document.querySelector('[data-testid="fleet-matrix"][data-ready="true"]') !== null;
    if (ready && !w.__bench.wasReady) w.__bench.ready.push(performance.now());
    w.__bench.wasReady = ready;
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready"] });
  document.addEventListener("input", (e) => {
    if (w.__bench.typedAt === undefined && e.target instanceof HTMLInputElement && e.target.getAttribute("aria-label") === "Cluster labels") {
      w.__bench.typedAt = performance.now();
    }
  }, true);
})();`;

interface BenchState {
  ready: number[];
  typedAt: number;
}
// page.evaluate sends a function's source to the page, so each reads READY_PROBE's record itself.
type Probed = { __bench: BenchState };

interface Transfer {
  url: string;
  type: string;
  /** Body bytes as transferred (compressed when the response was). */
  encoded: number;
  decoded: number;
  encoding: string;
}

interface RunResult {
  firstRenderMs: number;
  filterMs: number;
  transfers: Transfer[];
  filteredColumns: number;
}

const readyCount = (page: Page) => page.evaluate(() => (globalThis as unknown as Probed).__bench.ready);

async function oneRun(page: Page, base: string, expectedColumns: number, screenshot: boolean): Promise<RunResult> {
  const transfers: Transfer[] = [];
  let filtered: FleetMatrix | undefined;
  const pending: Promise<void>[] = [];
  page.on("requestfinished", (request) => {
    pending.push(
      (async () => {
        const response = await request.response();
        if (response === null) return;
        const sizes = await request.sizes();
        const body = await response.body().catch(() => Buffer.alloc(0));
        const url = new URL(request.url());
        transfers.push({
          url: url.pathname + url.search,
          type: request.resourceType(),
          encoded: sizes.responseBodySize,
          decoded: body.length,
          encoding: (await response.headerValue("content-encoding")) ?? "identity",
        });
        if (url.pathname === "/api/v1/matrix" && url.searchParams.get("selector") === FILTER) {
          filtered = JSON.parse(body.toString("utf8")) as FleetMatrix;
        }
      })(),
    );
  });
  await page.goto(`${base}/`, { waitUntil: "commit" });
  await page.waitForFunction(() => (globalThis as unknown as Probed).__bench.ready.length >= 1, undefined, {
    timeout: 120_000,
    polling: 50,
  });
  const [firstRenderMs] = await readyCount(page);
  await Promise.all(pending);
  const firstRender = [...transfers];
  if (screenshot) say(`screenshot: ${await saveScreenshot(page, "bench-dashboard-matrix")}`);

  const input = page.getByLabel("Cluster labels");
  await input.fill(FILTER);
  await input.press("Enter");
  await page.waitForFunction(() => (globalThis as unknown as Probed).__bench.ready.length >= 2, undefined, {
    timeout: 120_000,
    polling: 50,
  });
  const state = await page.evaluate(() => (globalThis as unknown as Probed).__bench);
  await Promise.all(pending);
  const columns = filtered?.columns.length ?? -1;
  if (columns !== expectedColumns) {
    throw new Error(`the filtered matrix has ${columns} columns; expected ${expectedColumns} (${FILTER})`);
  }
  if (screenshot) say(`screenshot: ${await saveScreenshot(page, "bench-dashboard-matrix-filtered")}`);
  return {
    firstRenderMs: firstRenderMs ?? Number.NaN,
    filterMs: (state.ready[1] ?? Number.NaN) - state.typedAt,
    transfers: firstRender,
    filteredColumns: columns,
  };
}

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const r of rows) {
    say(
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("   ")
        .trimEnd(),
    );
  }
}

const sortedOf = (values: number[]) => [...values].sort((a, b) => a - b);

async function main(): Promise<void> {
  const browserReady = chromiumAvailability();
  const built = ensureDashboardBuilt();
  const redis = await startRedis();
  const work = mkdtempSync(join(tmpdir(), "flotilla-bench-dashboard-"));
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

    const plain = await timeRoute(base, "/api/v1/matrix", undefined);
    const gzip = await timeRoute(base, "/api/v1/matrix", "gzip, deflate, br, zstd");
    const filterPath = `/api/v1/matrix?selector=${encodeURIComponent(FILTER)}`;
    const filteredRoute = await timeRoute(base, filterPath, undefined);
    const expectedColumns = Array.from({ length: CLUSTERS }, (_, c) => c).filter(matchesFilter).length;

    const runs: RunResult[] = [];
    if (!built)
      say(`the dashboard could not be built: browser figures skipped (build it with ${DASHBOARD_BUILD_COMMAND})`);
    else if (!browserReady.available) say(`Chromium unavailable: browser figures skipped (${browserReady.reason})`);
    else {
      const launched = await launchBrowser();
      try {
        for (let i = 0; i < RUNS; i++) {
          // A fresh context each run: empty cache, the token already in session storage (as after signing in).
          const context = await launched.browser.newContext({ viewport: { width: 1600, height: 1000 } });
          await context.addInitScript(
            ([key, token]) => sessionStorage.setItem(key as string, token as string),
            ["flotilla.token", TOKEN],
          );
          await context.addInitScript(READY_PROBE);
          const page = await context.newPage();
          try {
            runs.push(await oneRun(page, base, expectedColumns, i === RUNS - 1));
          } finally {
            await context.close();
          }
        }
      } finally {
        await launched.close();
      }
    }

    say("");
    say(
      `Dashboard benchmark: ${CLUSTERS} clusters × ${APPSETS} ApplicationSets = ${CLUSTERS * APPSETS} Applications; ` +
        `${runs.length} browser runs (fresh context each), ${REQUESTS} requests per route`,
    );
    const rows: string[][] = [["MEASURE", "MEDIAN", "MIN", "MAX", "NOTE"]];
    if (runs.length > 0) {
      const first = sortedOf(runs.map((r) => r.firstRenderMs));
      const filter = sortedOf(runs.map((r) => r.filterMs));
      rows.push([
        "first render of the matrix (navigation → data-ready)",
        ms(percentile(first, 50)),
        ms(first[0]!),
        ms(first.at(-1)!),
        runs.map((r) => r.firstRenderMs.toFixed(0)).join(", "),
      ]);
      rows.push([
        "apply a filter (typed selector → data-ready)",
        ms(percentile(filter, 50)),
        ms(filter[0]!),
        ms(filter.at(-1)!),
        `"${FILTER}": ${runs[0]!.filteredColumns} of ${CLUSTERS} clusters`,
      ]);
    }
    rows.push([
      "GET /api/v1/matrix (p50 / p99)",
      ms(plain.p50),
      "",
      ms(plain.p99),
      `${kib(plain.bytes)}, ${plain.encoding}`,
    ]);
    rows.push([
      "GET /api/v1/matrix, compression accepted (p50 / p99)",
      ms(gzip.p50),
      "",
      ms(gzip.p99),
      `${kib(gzip.bytes)}, ${gzip.encoding}`,
    ]);
    rows.push([
      "GET /api/v1/matrix?selector=… (p50 / p99)",
      ms(filteredRoute.p50),
      "",
      ms(filteredRoute.p99),
      `${kib(filteredRoute.bytes)}, ${filteredRoute.encoding}`,
    ]);
    table(rows);

    const last = runs.at(-1);
    if (last !== undefined) {
      say("");
      say("bytes of the first render (response bodies; the event stream stays open and is not counted):");
      const t: string[][] = [["RESOURCE", "TYPE", "TRANSFERRED", "DECODED", "ENCODING"]];
      for (const x of last.transfers) t.push([x.url, x.type, kib(x.encoded), kib(x.decoded), x.encoding]);
      const encoded = last.transfers.reduce((sum, x) => sum + x.encoded, 0);
      const decoded = last.transfers.reduce((sum, x) => sum + x.decoded, 0);
      t.push([
        "total",
        "",
        kib(encoded),
        kib(decoded),
        last.transfers.some((x) => x.encoding !== "identity") ? "some compressed" : "none compressed",
      ]);
      table(t);
    }
    const overSecond = plain.p50 > 1000;
    if (overSecond) {
      say(`GET /api/v1/matrix p50 ${ms(plain.p50)} is over 1 s`);
      process.exitCode = 1;
    }
  } finally {
    if (api !== undefined) await stopService(api);
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
