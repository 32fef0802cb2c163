// Generator benchmark (issue 4): 100,000 Applications (1,000 registered clusters × 100 apps) from a cold start
// to all jobs enqueued; one cluster relabelled → its jobs enqueued; webhook received → job enqueued, p50/p99 over
// 100 pushes. Real Redis (testcontainers), real Git repositories (the fleet, and the apps' source, which the
// generator resolves and renders: one bundle per app and tag, shared by every cluster), the generator service in
// this process.
// Run: pnpm bench generator   (BENCH_CLUSTERS, BENCH_ELEMENTS, BENCH_PUSHES scale it down for a quick look;
// BENCH_STEP_TIMEOUT_S bounds each wait (default 120, raise it on a loaded machine); BENCH_PROFILE=DIR writes a CPU
// profile of the push phase alone to DIR/generator-pushes.cpuprofile, for chrome://inspect or a script)
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import { type QueuedWork, queueNameFor, SyncQueues } from "@flotilla/queue";
import { openStore } from "@flotilla/store";
import { eventually, type StartedRedis, startRedis } from "@flotilla/testbed";
import type { Redis } from "ioredis";
import pino from "pino";
import { stringify } from "yaml";
import { benchRedis, git, percentile, reportResult } from "./support.ts";

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1000);
const ELEMENTS = Number(process.env.BENCH_ELEMENTS ?? 100);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 100);
const SECRET = "bench-webhook-secret";
const PREFIX = "bench:";
// No poll cycle may land inside a measurement: only the start, the registry watch and webhooks trigger cycles.
const POLL_INTERVAL_MS = 3_600_000;
const STEP_TIMEOUT_MS = Number(process.env.BENCH_STEP_TIMEOUT_S ?? 120) * 1000;
const PROFILE_DIR = process.env.BENCH_PROFILE;

const clusterName = (i: number): string => `cluster-${String(i).padStart(4, "0")}`;
const envOf = (i: number): "prod" | "dev" => (i % 2 === 0 ? "prod" : "dev");
const labelsOf = (i: number, env: string) => ({ env, region: `r${i % 7}`, fleet: "bench" });
// The webhook target is a prod cluster (its Application carries the override); the relabelled one moves dev → prod.
const PINNED = clusterName(0);
const MOVED_INDEX = 1;
const MOVED = clusterName(MOVED_INDEX);

/**
 * One ApplicationSet per env: clusters × list through a matrix. The prod one merges a one-element override keyed
 * on (app, name), the usual way to pin one Application; changing the override's `rev` changes exactly one
 * Application's spec, which is what each webhook push commits.
 */
let sourceRepo = "";

/** The apps' source: one ConfigMap per app, tagged v0…vPUSHES (each push pins app-0 on one cluster to the next). */
function createSource(dir: string): void {
  git(dir, "init", "--quiet", "--initial-branch=main");
  for (let i = 0; i < ELEMENTS; i++) {
    mkdirSync(join(dir, "apps", `app-${i}`), { recursive: true });
    writeFileSync(
      join(dir, "apps", `app-${i}`, "cm.yaml"),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app-${i} }\ndata: { app: app-${i} }\n`,
    );
  }
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "apps");
  for (let v = 0; v <= PUSHES; v++) git(dir, "tag", `v${v}`);
}

function appSetYaml(env: "prod" | "dev", pinnedRev?: string): string {
  const elements = Array.from({ length: ELEMENTS }, (_, i) => ({ app: `app-${i}`, team: `team-${i % 9}`, rev: "v0" }));
  const matrix = {
    matrix: {
      generators: [{ clusters: { selector: { matchLabels: { env, fleet: "bench" } } } }, { list: { elements } }],
    },
  };
  const generator =
    pinnedRev === undefined
      ? matrix
      : {
          merge: {
            mergeKeys: ["app", "name"],
            generators: [matrix, { list: { elements: [{ app: "app-0", name: PINNED, rev: pinnedRev }] } }],
          },
        };
  return stringify({
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: env },
    spec: {
      generators: [generator],
      template: {
        metadata: { name: "{{app}}-{{name}}", labels: { team: "{{team}}", env: "{{metadata.labels.env}}" } },
        spec: {
          source: { repoURL: sourceRepo, targetRevision: "{{rev}}", path: "apps/{{app}}" },
          destination: { cluster: "{{name}}", namespace: "{{app}}" },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      },
    },
  });
}

function commitFleet(dir: string, pinnedRev: string): string {
  mkdirSync(join(dir, "appsets"), { recursive: true });
  writeFileSync(join(dir, "appsets", "prod.yaml"), appSetYaml("prod", pinnedRev));
  writeFileSync(join(dir, "appsets", "dev.yaml"), appSetYaml("dev"));
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", `pin app-0 on ${PINNED} at ${pinnedRev}`);
  return git(dir, "rev-parse", "HEAD").trim();
}

const now = (): number => performance.now();
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
const peakRssKiB = (): number => process.resourceUsage().maxRSS;

const until = <T>(what: string, probe: () => Promise<T | undefined>, everyMs: number): Promise<T> =>
  eventually(what, probe, STEP_TIMEOUT_MS, everyMs);

async function run(): Promise<void> {
  const temp: string[] = [];
  const tempDir = (name: string): string => {
    const dir = mkdtempSync(join(tmpdir(), name));
    temp.push(dir);
    return dir;
  };
  let redisContainer: StartedRedis | undefined;
  let redis: Redis | undefined;
  let queues: SyncQueues | undefined;
  let service: GeneratorService | undefined;
  try {
    const tRedis = now();
    redisContainer = await startRedis();
    const redisStartMs = now() - tRedis;
    redis = benchRedis(redisContainer.info.url);
    const silent = pino({ level: "silent" });
    const store = await openStore({ redis, prefix: PREFIX, needsCredentials: false, log: silent });
    queues = new SyncQueues({ connection: redis, prefix: `${PREFIX}bull` });
    const q = queues;
    const conn = redis;

    const clusters = Array.from({ length: CLUSTERS }, (_, i) => clusterName(i));
    // BullMQ keeps a queue's ready jobs in the list `<prefix>:<queue>:wait`; LLEN over a pipeline reads all 1,000
    // queues in one round trip, cheap enough to poll without slowing the service that shares this process.
    const waitKey = (cluster: string): string => `${q.prefix}:${queueNameFor(cluster)}:wait`;
    const waitingTotal = async (): Promise<number> => {
      const replies = (await conn.pipeline(clusters.map((c) => ["llen", waitKey(c)])).exec()) ?? [];
      return replies.reduce((sum, [err, n]) => (err ? sum : sum + Number(n)), 0);
    };
    const waitingOn = async (cluster: string): Promise<number> => await conn.llen(waitKey(cluster));

    const tRegister = now();
    for (let i = 0; i < CLUSTERS; i += 50) {
      await Promise.all(
        clusters.slice(i, i + 50).map((name, j) =>
          store.clusters.register({
            name,
            server: `https://10.0.${(i + j) >> 8}.${(i + j) & 255}:6443`,
            labels: labelsOf(i + j, envOf(i + j)),
            mode: "agent",
          }),
        ),
      );
    }
    const registerMs = now() - tRegister;

    sourceRepo = tempDir("flotilla-bench-source-");
    createSource(sourceRepo);
    const fleetDir = tempDir("flotilla-bench-fleet-");
    git(fleetDir, "init", "--quiet", "--initial-branch=main");
    commitFleet(fleetDir, "v0");
    const expected = CLUSTERS * ELEMENTS;

    // The cycle's own duration ("cycle done", ms) separates the trigger's path from the cycle itself.
    const cycleMs: number[] = [];
    // Each ApplicationSet's generation logs the milliseconds of its steps ("generated", ms: {generate, read, …}).
    const prodPhases: Record<string, number>[] = [];
    const logger = pino(
      { level: "info" },
      {
        write(line: string) {
          // Warnings and errors are what explains a failed run (a lost lease on a starved machine, say).
          if (/"level":(40|50|60)/.test(line)) process.stderr.write(line);
          if (line.includes('"generated"') && line.includes('"appset":"prod"')) {
            const entry = JSON.parse(line) as { ms?: Record<string, number> };
            if (entry.ms !== undefined && typeof entry.ms === "object") prodPhases.push(entry.ms);
            return;
          }
          if (!line.includes('"cycle done"')) return;
          const entry = JSON.parse(line) as { ms?: number };
          if (typeof entry.ms === "number") cycleMs.push(entry.ms);
        },
      },
    );

    // 1. Cold start: an empty store, the service started, until the first cycle's report and 100,000 ready jobs.
    const coldStart = now();
    service = await startGeneratorService(
      {
        fleet: { repoURL: fleetDir, revision: "main", paths: ["appsets/*.yaml"] },
        pollIntervalMs: POLL_INTERVAL_MS,
        webhook: { port: 0, secret: SECRET },
        redis: { url: redisContainer.info.url, prefix: PREFIX, skipPolicyCheck: false },
        repoCacheDir: tempDir("flotilla-bench-repos-"),
        render: { enabled: true, concurrency: 8 },
        allowLocalRepos: true,
      },
      logger,
    );
    const svc = service;
    const startedMs = now() - coldStart;
    const firstCycle = svc.nextCycle();
    let firstJobMs: number | undefined;
    let reportMs: number | undefined;
    void firstCycle.then(() => {
      reportMs = now() - coldStart;
    });
    await until(
      "all jobs on the queues",
      async () => {
        const total = await waitingTotal();
        if (total > 0 && firstJobMs === undefined) firstJobMs = now() - coldStart;
        if (total >= expected) return total;
        return undefined;
      },
      50,
    );
    const allJobsMs = now() - coldStart;
    const report = await firstCycle;
    reportMs ??= now() - coldStart;
    const coldRss = peakRssKiB();
    if (report.syncs !== expected || report.applications !== expected || report.failed.length > 0) {
      throw new Error(
        `first cycle: expected ${expected} syncs, got ${JSON.stringify({ ...report, selectingClusters: [] })}`,
      );
    }
    let counted = 0;
    for (const c of clusters) counted += (await q.counts(c)).waiting;
    if (counted !== expected) throw new Error(`queues hold ${counted} waiting jobs, expected ${expected}`);

    // 2. Relabel: the moved cluster's queue is emptied first (as if its agent had worked it off), so that what
    // appears is exactly the relabel's work: a sync per app for the prod set and a delete per app for the dev set.
    await q.queue(MOVED).drain();
    const relabelCycle = svc.nextCycle();
    const tRelabel = now();
    await store.clusters.setLabels(MOVED, labelsOf(MOVED_INDEX, "prod"));
    await until(
      `${2 * ELEMENTS} jobs on ${MOVED}`,
      async () => ((await waitingOn(MOVED)) >= 2 * ELEMENTS ? true : undefined),
      5,
    );
    const relabelJobsMs = now() - tRelabel;
    const relabelReport = await relabelCycle;
    const relabelReportMs = now() - tRelabel;
    const relabelCycleMs = cycleMs.at(-1) ?? Number.NaN;
    if (relabelReport.syncs !== ELEMENTS || relabelReport.deletes !== ELEMENTS) {
      throw new Error(
        `relabel: expected ${ELEMENTS} syncs and deletes, got ${relabelReport.syncs}/${relabelReport.deletes}`,
      );
    }

    // 3. Webhook pushes, one at a time: commit a new pin, POST, wait for that one Application's job on its queue.
    await q.queue(PINNED).drain();
    const toJob: number[] = [];
    const toReport: number[] = [];
    const cycles: number[] = [];
    const pushPhases: Record<string, number>[] = [];
    const url = `http://127.0.0.1:${svc.port}/webhook`;
    const body = Buffer.from(JSON.stringify({ ref: "refs/heads/main", repository: { clone_url: fleetDir } }));
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const profiler = PROFILE_DIR === undefined ? undefined : await startProfile();
    // CPU time is less at the mercy of a shared machine than wall time: the same work costs the same CPU.
    const pushCpu = process.cpuUsage();
    for (let i = 1; i <= PUSHES; i++) {
      const commit = commitFleet(fleetDir, `v${i}`);
      const cycle = svc.nextCycle();
      const t0 = now();
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature },
        body,
      });
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      await until(`push ${i}: a job on ${PINNED}`, async () => ((await waitingOn(PINNED)) > 0 ? true : undefined), 2);
      toJob.push(now() - t0);
      const pushReport = await cycle;
      toReport.push(now() - t0);
      cycles.push(cycleMs.at(-1) ?? Number.NaN);
      const phases = prodPhases.at(-1);
      if (phases !== undefined) pushPhases.push(phases);
      const jobs = await q.queue(PINNED).getJobs(["wait"]);
      const work = jobs.map((j) => (j.data as QueuedWork).item);
      if (pushReport.syncs !== 1 || work.length !== 1 || work[0]?.job.application !== `app-0-${PINNED}`) {
        throw new Error(`push ${i}: expected one sync of app-0-${PINNED}, got ${pushReport.syncs} syncs`);
      }
      if (work[0].job.revision !== commit) throw new Error(`push ${i}: the job is for ${work[0].job.revision}`);
      await q.queue(PINNED).drain();
    }
    const cpu = process.cpuUsage(pushCpu);
    const cpuPerPushMs = (cpu.user + cpu.system) / 1000 / PUSHES;
    if (profiler !== undefined) await stopProfile(profiler, PROFILE_DIR!);
    const finalRss = peakRssKiB();
    const endRssKiB = process.memoryUsage().rss / 1024;

    const sortedJob = [...toJob].sort((a, b) => a - b);
    const sortedReport = [...toReport].sort((a, b) => a - b);
    const sortedCycle = [...cycles].sort((a, b) => a - b);
    const msf = (v: number): string => `${v.toFixed(0)} ms`;
    const rows: [string, string, string][] = [
      ["redis container start", msf(redisStartMs), "testcontainers, rootful Podman"],
      ["register clusters", msf(registerMs), `${CLUSTERS} clusters, 50 at a time`],
      ["cold: service started", msf(startedMs), "Redis connections, webhook server listening"],
      ["cold: first job ready", msf(firstJobMs ?? Number.NaN), "fetch, parse, 1st set generated and diffed"],
      ["cold: all jobs ready", msf(allJobsMs), `${expected} jobs in wait lists (polled every 50 ms)`],
      ["cold: first cycle report", msf(reportMs), "enqueue resolved and generation stored"],
      ["cold: Applications/s", (expected / (reportMs / 1000)).toFixed(0), "Applications / time to the report"],
      [
        "cold: enqueue rate",
        ((expected / (allJobsMs - (firstJobMs ?? 0))) * 1000).toFixed(0),
        "jobs/s, first job to all jobs (includes generating the 2nd set)",
      ],
      ["peak RSS after cold", mib(coldRss), "this process: bench + service"],
      ["relabel → jobs ready", msf(relabelJobsMs), `${MOVED} dev→prod: ${ELEMENTS} syncs + ${ELEMENTS} deletes`],
      ["relabel → cycle report", msf(relabelReportMs), `of which the cycle: ${msf(relabelCycleMs)}`],
      ["webhook → job p50", msf(percentile(sortedJob, 50)), `${PUSHES} pushes, one at a time`],
      ["webhook → job p99", msf(percentile(sortedJob, 99)), ""],
      ["webhook → job max", msf(sortedJob.at(-1) ?? Number.NaN), `min ${msf(sortedJob[0] ?? Number.NaN)}`],
      ["webhook → report p50", msf(percentile(sortedReport, 50)), "until the cycle stored its generation"],
      [
        "push: CPU per push",
        msf(cpuPerPushMs),
        "user + system CPU of this process over the pushes / pushes (less load-bound)",
      ],
      ["cycle p50 / p99", `${msf(percentile(sortedCycle, 50))} / ${msf(percentile(sortedCycle, 99))}`, "as logged"],
      ["peak RSS at end", mib(finalRss), "this process: bench + service"],
      ["RSS at end", mib(endRssKiB), "resident now, after the pushes (what the service keeps between cycles)"],
      ...phaseRows(pushPhases, msf),
    ];
    reportResult({
      benchmark: "generator",
      title: `generator benchmark — ${expected} Applications (${CLUSTERS} clusters × ${ELEMENTS} apps, 2 ApplicationSets)`,
      notes: [
        "issue 4: cold start to all jobs enqueued; one cluster relabelled → its jobs enqueued;",
        `webhook received → job enqueued, p50/p99 over ${PUSHES} pushes. Service in this process, Redis in`,
        "a container; a job counts as enqueued when it is in its cluster queue's wait list.",
      ],
      tables: [{ columns: ["measure", "value", "note"], rows }],
    });
  } finally {
    await service?.stop().catch((err: unknown) => console.error("stopping the service failed:", err));
    await queues?.close().catch(() => undefined);
    await redis?.quit().catch(() => undefined);
    await redisContainer?.stop().catch((err: unknown) => console.error("stopping Redis failed:", err));
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  }
}

/** p50 of each step of the pushed ApplicationSet's generation, as its "generated" log lines give them. */
function phaseRows(phases: readonly Record<string, number>[], msf: (v: number) => string): [string, string, string][] {
  if (phases.length === 0) return [["push: steps", "n/a", "this generator does not log its steps"]];
  const names = [...new Set(phases.flatMap((p) => Object.keys(p)))];
  return names.map((name) => {
    const sorted = phases.map((p) => p[name] ?? 0).sort((a, b) => a - b);
    return [`push: ${name} p50`, msf(percentile(sorted, 50)), `the pushed ApplicationSet's "${name}" step`];
  });
}

/** The push phase's CPU profile only: the cold start would drown it. */
async function startProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  return session;
}

async function stopProfile(session: Session, dir: string): Promise<void> {
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "generator-pushes.cpuprofile");
  writeFileSync(file, JSON.stringify(profile));
  process.stdout.write(`push-phase CPU profile: ${file}\n`);
}

await run();
