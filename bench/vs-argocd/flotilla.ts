// Flotilla under test: the generator and pool workers as their own processes, clusters registered in its store.
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Service, startPoolWorker, startService, stopService } from "@flotilla/demo";
import { StatusStore } from "@flotilla/status";
import { openStore } from "@flotilla/store";
import { type Cluster, eventually, freePort, trackProcess, untrackProcess } from "@flotilla/testbed";
import pino from "pino";
import { matrixAppSet } from "../fleet-appset.ts";
import { benchRedis } from "../support.ts";
import { describeRuntime, parseRuntimeMetrics } from "./runtime-metrics.ts";
import { commitAll, type Progress, type SystemUnderTest } from "./system.ts";

export interface FlotillaOptions {
  root: string;
  work: string;
  logs: string;
  redisUrl: string;
  fleetDir: string;
  fleetUrl: string;
  clusters: readonly Cluster[];
  workers: number;
  /** Jobs per cluster queue per worker. */
  concurrency: number;
  logLevel: string;
  /** The services write V8 CPU profiles into `<logs>/profiles` when they stop. */
  cpuProfile?: boolean;
  /**
   * The bed's run folder: the services are recorded with its processes, so a run ended by a signal (SIGTERM from a
   * CI timeout, say) kills them with the API servers instead of leaving them running.
   */
  runDir: string;
}

const PREFIX = "vs:";

export async function startFlotilla(options: FlotillaOptions): Promise<SystemUnderTest> {
  const secret = randomBytes(16).toString("hex");
  const key = randomBytes(32);
  const keyFile = join(options.work, "encryption.key");
  writeFileSync(keyFile, key.toString("base64"), { mode: 0o600 });
  const redis = benchRedis(options.redisUrl);
  const store = await openStore({ redis, prefix: PREFIX, encryptionKey: key, log: pino({ level: "silent" }) });
  for (const c of options.clusters) {
    await store.clusters.register({
      name: c.name,
      server: c.apiUrl,
      labels: { fleet: "bench" },
      mode: "pool",
      credentials: { kind: "kubeconfig", kubeconfig: c.kubeconfig },
    });
  }
  const status = new StatusStore(redis, { prefix: PREFIX });
  const services: Service[] = [];
  // Each is recorded with the bed's processes as soon as it is spawned: a signal between two spawns stops it too.
  const started = <S extends Service>(service: S): S => {
    services.push(service);
    if (service.child.pid !== undefined) trackProcess(service.child.pid, options.runDir);
    return service;
  };
  const port = await freePort();
  const common = {
    FLOTILLA_REDIS_URL: options.redisUrl,
    FLOTILLA_REDIS_PREFIX: PREFIX,
    FLOTILLA_LOG_LEVEL: options.logLevel,
    ...(options.cpuProfile === true
      ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${join(options.logs, "profiles")}` }
      : {}),
  };
  const generator = started(
    startService(
      "generator",
      join(options.root, "apps/generator/src/main.ts"),
      {
        ...common,
        FLOTILLA_FLEET_REPO: options.fleetUrl,
        FLOTILLA_FLEET_REVISION: "main",
        FLOTILLA_APPSET_PATHS: "appsets/*.yaml",
        // Only the webhook triggers cycles inside a measurement, as only it does for Argo CD.
        FLOTILLA_POLL_INTERVAL: "1h",
        FLOTILLA_WEBHOOK_PORT: String(port),
        FLOTILLA_WEBHOOK_SECRET: secret,
        FLOTILLA_REPO_CACHE: join(options.work, "repos-generator"),
      },
      join(options.logs, "flotilla-generator.log"),
    ),
  );
  // Each worker serves its probes and /metrics, so that the bench can read its event-loop delay and GC time.
  const workerPorts: number[] = [];
  for (let i = 1; i <= options.workers; i++) {
    const probePort = await freePort();
    workerPorts.push(probePort);
    started(
      startPoolWorker({
        id: `worker-${i}`,
        root: options.root,
        env: {
          ...common,
          FLOTILLA_CONCURRENCY: String(options.concurrency),
          FLOTILLA_HEALTH_PORT: String(probePort),
        },
        keyFile,
        workDir: options.work,
        logsDir: options.logs,
      }),
    );
  }
  await eventually(
    "the generator to start",
    async () => (readFileSync(generator.logFile, "utf8").includes('"generator started"') ? true : undefined),
    60_000,
    100,
  );
  const names = options.clusters.map((c) => c.name);
  await eventually(
    "the workers to lease every cluster",
    async () =>
      (await redis.mget(names.map((n) => `${PREFIX}lease:cluster:${n}`))).every((h) => h !== null) ? true : undefined,
    60_000,
    250,
  );

  const body = Buffer.from(JSON.stringify({ ref: "refs/heads/main", repository: { clone_url: options.fleetUrl } }));
  const notifyPush = async (): Promise<void> => {
    const res = await fetch(`http://127.0.0.1:${port}/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      },
      body,
    });
    if (res.status !== 202) throw new Error(`Flotilla's webhook answered ${res.status}: ${await res.text()}`);
  };

  return {
    name: "Flotilla",
    namespacePrefix: "f-",
    deploy: async () => {
      mkdirSync(join(options.fleetDir, "appsets"), { recursive: true });
      writeFileSync(
        join(options.fleetDir, "appsets", "bench.yaml"),
        matrixAppSet("bench", options.fleetUrl, "apps", "f-{{path.basename}}"),
      );
      const commit = commitAll(options.fleetDir, "bench: every app on every cluster (Flotilla)");
      await notifyPush();
      return commit;
    },
    progress: async (commit): Promise<Progress> => {
      const all = (await Promise.all(names.map((n) => status.list(n)))).flat().filter((s) => s.appSet === "bench");
      return {
        done: all.filter((s) => s.revision === commit && s.sync === "Synced" && s.health === "Healthy").length,
        total: all.length,
        errors: all.filter((s) => s.sync === "Error").length,
      };
    },
    notifyPush,
    pids: () => services.flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid])),
    selfReport: () =>
      Promise.all(
        workerPorts.map(async (p, i) => {
          const res = await fetch(`http://127.0.0.1:${p}/metrics`).catch(() => undefined);
          const text = res?.ok === true ? await res.text() : "";
          return `worker-${i + 1}: ${describeRuntime(parseRuntimeMetrics(text))}`;
        }),
      ),
    stop: async () => {
      await Promise.all(
        services.map(async (s) => {
          await stopService(s, 10_000);
          if (s.child.pid !== undefined) untrackProcess(s.child.pid);
        }),
      );
      await redis.quit().catch(() => undefined);
    },
  };
}
