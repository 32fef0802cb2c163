#!/usr/bin/env node
// The local demo: a whole fleet on this machine. Redis, three local Kubernetes clusters labelled dev, staging and
// prod, a sample fleet repository (plain YAML, Kustomize and Helm sources), the API, the generator and two pool
// workers (each its own process), converging to a status table; then a walkthrough (a manual change reverted, a
// commit rolled out) and the lines to paste into another terminal to use `flotilla` and kubectl against it.
// Ctrl-C at any moment (or --once, after the walkthrough) stops everything it started.
import { randomBytes } from "node:crypto";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pushWebhook } from "@flotilla/generator/testing";
import { type AppStatus, StatusStore } from "@flotilla/status";
import { type ClusterSet, eventually, type StartedRedis, startClusters, startRedis } from "@flotilla/testbed";
import { Redis } from "ioredis";
import { startDemoApi } from "./api-process.ts";
import { endRunningCommands, flotillaOk } from "./cli.ts";
import { dashboardUrl } from "./dashboard.ts";
import { exportLines } from "./exports.ts";
import { createFleetRepo, DEMO_APPS } from "./fleet-repo.ts";
import { loggedPort } from "./log-port.ts";
import { type Service, startPoolWorker, startService, stopService } from "./processes.ts";
import { bundleLine, converged, errorLines, progressLine, statusTable } from "./status-table.ts";
import { walkthrough } from "./walkthrough.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLUSTERS = ["dev", "staging", "prod"] as const;
const APPS = DEMO_APPS.length;
const PREFIX = "flotilla:";
const TIMEOUT_MS = Number(process.env.FLOTILLA_DEMO_TIMEOUT_MS ?? 180_000);
const once = process.argv.includes("--once");

/** What a person would notice change in the table (not the sync times, which move on every periodic re-sync). */
const fingerprint = (statuses: readonly AppStatus[]) =>
  statuses
    .map((s) => `${s.application}@${s.cluster}:${s.sync}/${s.health}/${s.revision}`)
    .sort()
    .join(",");
const write = (text: string) => process.stdout.write(`${text}\n`);
/** Once a stop has begun, only the stop reports: a step still polling must not print as if nothing happened. */
const say = (text: string) => {
  if (stopping === undefined) write(text);
};
const work = mkdtempSync(join(tmpdir(), "flotilla-demo-"));
const logs = join(work, "logs");
mkdirSync(logs);

let booting: Promise<[PromiseSettledResult<ClusterSet>, PromiseSettledResult<StartedRedis>]> | undefined;
let conn: Redis | undefined;
const services: Service[] = [];
let stopping: Promise<void> | undefined;

/**
 * Called right before anything is started (synchronously before it): once a stop has begun, nothing new starts,
 * since the stop may already have passed the list it stops.
 */
function unlessStopping(): void {
  if (stopping !== undefined) throw new Error("stopping");
}

/**
 * Stops whatever has started, in order, whenever it is called: a stop during start-up waits for the clusters and
 * Redis to be up (or to have failed), so that nothing half-started is left behind.
 */
/** The folder of the pnpm this demo was started with (the set-up's, when the machine had none), if any. */
function pnpmDir(): string[] {
  const found = (process.env.PATH ?? "").split(delimiter).find((dir) => {
    try {
      accessSync(join(dir, "pnpm"), constants.X_OK);
      return dir !== "";
    } catch {
      return false;
    }
  });
  return found === undefined ? [] : [found];
}

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    write("\nstopping: the API, the generator and workers, then Redis and the clusters …");
    endRunningCommands();
    await Promise.all(services.map((s) => stopService(s)));
    const [bed, redis] = (await booting) ?? [];
    await conn?.quit().catch(() => undefined);
    if (redis?.status === "fulfilled") await redis.value.stop().catch(() => undefined);
    if (bed?.status === "fulfilled") await bed.value.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    write("stopped; nothing left running.");
  })();
  return stopping;
}

/** Exits once what was printed has reached stdout (on a pipe, a write still under way would be lost); never returns. */
function exitAfterOutput(code: number): Promise<never> {
  return new Promise(() => process.stdout.write("", () => process.exit(code)));
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Ctrl-C stops everything in order. The test bed, once it runs clusters, adds handlers that kill them and exit
 * within 100 ms (right for an interrupted test run), which would cut the API and workers' stop short and lose
 * the report; so the demo takes the signals over as soon as the bed has installed its own (synchronously, when
 * startClusters is called). The bed's exit hook still sweeps whatever the demo's stop leaves.
 */
function ownSignals(): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping !== undefined) write("still stopping; it ends within 30 s …");
      void stopAll().then(() => exitAfterOutput(code));
    });
  }
}
ownSignals();

try {
  const t0 = performance.now();
  say("starting 3 local Kubernetes clusters (kube-apiserver, controller-manager, scheduler, KWOK) and Redis …");
  booting = Promise.allSettled([
    startClusters({ count: CLUSTERS.length, names: [...CLUSTERS], withControllerManager: true, withKwok: true }),
    startRedis(),
  ]);
  ownSignals();
  const [bedStarted, redisStarted] = await booting;
  unlessStopping();
  if (bedStarted.status === "rejected") throw bedStarted.reason;
  if (redisStarted.status === "rejected") throw redisStarted.reason;
  const bed = bedStarted.value;
  const redisContainer = redisStarted.value;
  say(`  ready in ${((performance.now() - t0) / 1000).toFixed(1)} s — Redis at ${redisContainer.info.url}`);

  // Pool mode: the workers reach the clusters with credentials stored encrypted in the registry.
  const key = randomBytes(32);
  const keyFile = join(work, "encryption.key");
  writeFileSync(keyFile, key.toString("base64"), { mode: 0o600 });
  const kubeconfigs = bed.clusters.map((c) => {
    const file = join(work, `${c.name}.kubeconfig`);
    writeFileSync(file, c.kubeconfig, { mode: 0o600 });
    return { cluster: c.name, file };
  });
  conn = new Redis(redisContainer.info.url, { maxRetriesPerRequest: null });
  const common = {
    FLOTILLA_REDIS_URL: redisContainer.info.url,
    FLOTILLA_REDIS_PREFIX: PREFIX,
    FLOTILLA_LOG_LEVEL: "info",
    // The demo's fleet and sources are repositories on this machine's disk.
    FLOTILLA_ALLOW_LOCAL_REPOS: "true",
  };

  unlessStopping();
  const api = await startDemoApi({
    root: ROOT,
    env: common,
    keyFile,
    workDir: work,
    logsDir: logs,
    onSpawn: (service) => services.push(service),
  });
  const asBootstrap = { FLOTILLA_SERVER: api.url, FLOTILLA_TOKEN: api.bootstrapToken };
  unlessStopping();
  const adminToken = (
    await flotillaOk(ROOT, ["token", "create", "demo-admin", "--scope", "admin"], asBootstrap)
  ).trim();
  say(`started the API at ${api.url}; made the admin token "demo-admin" with flotilla token create`);

  // Registered as an operator does: `flotilla cluster add` with each kubeconfig file, through the API.
  const asAdmin = { FLOTILLA_SERVER: api.url, FLOTILLA_TOKEN: adminToken };
  for (const { cluster, file } of kubeconfigs) {
    unlessStopping();
    await flotillaOk(ROOT, ["cluster", "add", cluster, "--kubeconfig", file, "--label", `env=${cluster}`], asAdmin);
  }
  const fleet = createFleetRepo(join(work, "fleet"), join(ROOT, "examples"));
  say(`registered clusters ${CLUSTERS.join(", ")} with flotilla cluster add (kubeconfigs in ${work})`);
  say(`fleet repository at ${fleet.dir}, three ApplicationSets, each a clusters × git matrix:`);
  say("  plain      apps/*                      plain YAML: guestbook (Deployment, Service)");
  say("  kustomize  kustomize/*/overlays/ENV    Kustomize base + one overlay per env label: podinfo");
  say("  helm       charts/*                    a local Helm chart, values/CLUSTER.yaml per cluster: echo");

  const webhookSecret = randomBytes(16).toString("hex");
  const generatorLog = join(logs, "generator.log");
  unlessStopping();
  services.push(
    startService(
      "generator",
      join(ROOT, "apps/generator/src/main.ts"),
      {
        ...common,
        FLOTILLA_FLEET_REPO: fleet.dir,
        FLOTILLA_FLEET_REVISION: "main",
        FLOTILLA_APPSET_PATHS: "appsets/*.yaml",
        FLOTILLA_POLL_INTERVAL: "30s",
        FLOTILLA_WEBHOOK_PORT: "0",
        FLOTILLA_WEBHOOK_SECRET: webhookSecret,
        FLOTILLA_REPO_CACHE: join(work, "repos-generator"),
      },
      generatorLog,
    ),
  );
  for (const id of ["worker-1", "worker-2"]) {
    unlessStopping();
    services.push(startPoolWorker({ id, root: ROOT, env: common, keyFile, workDir: work, logsDir: logs }));
  }
  say(`started the generator and two pool workers (logs in ${logs})`);

  const status = new StatusStore(conn, { prefix: PREFIX });
  const expected = CLUSTERS.length * APPS;
  const started = performance.now();
  let statuses: AppStatus[] = [];
  let last = "";
  while (performance.now() - started < TIMEOUT_MS) {
    statuses = (await Promise.all(CLUSTERS.map((c) => status.list(c)))).flat();
    const line = progressLine(statuses, expected);
    if (line !== last) say(`  ${line}  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    last = line;
    if (converged(statuses, expected)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say("");
  say(statusTable(statuses));
  say(bundleLine(statuses));
  const ok = converged(statuses, expected);
  say(
    ok
      ? `the fleet converged in ${seconds} s.`
      : `the fleet did not converge within ${TIMEOUT_MS / 1000} s; see ${logs}`,
  );
  if (!ok) {
    for (const line of errorLines(statuses)) say(`  ${line}`);
    await stopAll();
    await exitAfterOutput(1);
  }

  // The generator listens for push webhooks on a port the kernel picked; its log says which.
  const webhookPort = await eventually(
    "the generator's webhook port (see its log)",
    () => loggedPort(generatorLog, "probes and webhooks served; waiting for Redis"),
    30_000,
  );
  say("");
  await walkthrough({
    clusters: bed.clusters.map((c) => c.info),
    fleet,
    status,
    notifyPush: async () => {
      const res = await pushWebhook({ port: webhookPort, secret: webhookSecret, repository: fleet.dir });
      if (res.status !== 202) throw new Error(`the generator refused the push webhook: HTTP ${res.status}`);
    },
    say,
    timeoutMs: TIMEOUT_MS,
  });
  const dashboard = await dashboardUrl(api.url);
  if (dashboard !== undefined) say(`dashboard: ${dashboard}`);
  if (once) {
    await stopAll();
    await exitAfterOutput(0);
  }
  say("");
  say("Flotilla keeps the clusters equal to Git (drift is reverted); press Ctrl-C to stop everything.");
  say(`try: a commit in ${fleet.dir}, or kubectl edit with a cluster's kubeconfig; changes show up here.`);
  say("paste these lines into another terminal, then `flotilla status` or `kubectl --context prod get pods -A`:");
  const connection = {
    server: api.url,
    token: adminToken,
    kubeconfigs,
    binDirs: [dirname(process.execPath), join(ROOT, "node_modules/.bin"), ...pnpmDir()],
  };
  for (const line of exportLines(connection)) say(`  ${line}`);
  let shown = fingerprint(statuses);
  while (stopping === undefined) {
    await new Promise((r) => setTimeout(r, 2_000));
    statuses = (await Promise.all(CLUSTERS.map((c) => status.list(c)))).flat();
    const now = fingerprint(statuses);
    if (now === shown) continue;
    shown = now;
    say(`\n${new Date().toISOString().slice(11, 19)} ${progressLine(statuses, expected)}`);
    say(statusTable(statuses));
  }
} catch (err) {
  // While a signal stops everything (closing the connection the watch reads), its handler reports and exits.
  if (stopping === undefined) {
    process.stderr.write(`demo failed: ${(err as Error).stack ?? String(err)}\n`);
    await stopAll();
    await exitAfterOutput(1);
  }
}
