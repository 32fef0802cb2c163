#!/usr/bin/env node
// The reconciler worker: takes jobs from the per-cluster queues and makes clusters equal to Git, in agent mode
// (one cluster, from inside it) or pool mode (the registry's clusters, shared with other pool workers).
// Configured by FLOTILLA_* variables (see config.ts).
import { readFileSync } from "node:fs";
import { isValidationError } from "@flotilla/core";
import { credentialsFromFile } from "@flotilla/git";
import { createMetricsRegistry, type ServedCluster } from "@flotilla/metrics";
import {
  checkEvictionPolicy,
  connectRedis,
  isEncryptionKeyError,
  isRedisPolicyError,
  loadEncryptionKey,
  openStore,
  untilReady,
} from "@flotilla/store";
import { ConfigError, loadWorkerConfig } from "./config.ts";
import { createWorkerLogger } from "./logger.ts";
import { startAgent } from "./modes/agent.ts";
import { inClusterKubeconfig } from "./modes/in-cluster.ts";
import { startPool } from "./modes/pool.ts";
import { startProbeServer } from "./probes.ts";
import { createRuntime, type RunningMode } from "./runtime.ts";

/** Past the drain time, this much more is allowed for releasing leases and closing Redis before a hard exit. */
const EXIT_GRACE_MS = 5_000;

let config: ReturnType<typeof loadWorkerConfig>;
try {
  config = loadWorkerConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`flotilla worker: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

const log = createWorkerLogger({ level: config.logLevel });
const redisOptions = {
  url: config.redis.url,
  log,
  ...(config.redis.password !== undefined && { password: config.redis.password }),
};
// The queues' connection (BullMQ's own commands and scripts, as it expects them; the leases use a copy of it), and
// the store's: statuses, inventories, bundles and the registry, whose many small commands from concurrent syncs go
// out together.
const redis = connectRedis(redisOptions);
const storeRedis = connectRedis({ ...redisOptions, name: "store", autoPipelining: true });
let mode: RunningMode | undefined;
const metrics = createMetricsRegistry();
// None until the mode has started: then the agent's cluster, or the clusters the pool worker holds at that moment.
let served: () => readonly ServedCluster[] = () => [];

try {
  // Probes first: while Redis is unreachable the worker is alive (and logs why it waits) but not ready.
  const probes =
    config.healthPort === undefined
      ? undefined
      : await startProbeServer({
          port: config.healthPort,
          log,
          readiness: () => ({
            redis: redis.status === "ready" && storeRedis.status === "ready",
            started: mode !== undefined,
          }),
          metrics,
        });
  if (probes !== undefined) log.info({ port: probes.port }, "probes served");
  await Promise.all([untilReady(redis), untilReady(storeRedis)]);
  await checkEvictionPolicy(redis, { skip: config.redis.skipPolicyCheck, log }).catch((err: unknown) => {
    // An agent's own Redis user (cluster add --agent) is denied CONFIG by design (least reach); the generator, the
    // API and the pool workers check the fleet's Redis with full rights. A policy it can read and that evicts
    // still refuses the start.
    if (config.mode === "agent" && isRedisPolicyError(err) && err.problem === "config-refused") {
      log.info({ check: "maxmemory-policy" }, "the agent's Redis user may not read the eviction policy; not checked");
      return;
    }
    throw err;
  });
  // Only a pool worker reads credentials; an agent runs without the key, so it never holds other clusters' secrets.
  const encryptionKey = config.mode === "pool" ? loadEncryptionKey() : undefined;
  const store = await openStore({
    redis: storeRedis,
    prefix: config.redis.prefix,
    needsCredentials: config.mode === "pool",
    log,
    ...(encryptionKey === undefined ? {} : { encryptionKey }),
  });
  const runtime = createRuntime({
    redis,
    storeRedis,
    store,
    prefix: config.redis.prefix,
    log,
    concurrency: config.concurrency,
    localRender: config.localRender,
    allowLocalRepos: config.allowLocalRepos,
    ...(config.gitCredentialsFile === undefined
      ? {}
      : { gitCredentials: credentialsFromFile(config.gitCredentialsFile) }),
    gitMinFetchIntervalMs: config.gitMinFetchIntervalMs,
    queue: { lockDurationMs: config.lockDurationMs, stalledIntervalMs: config.stalledIntervalMs },
    reconcile: { health: { waitMs: config.healthWaitMs, pollMs: 1_000 }, apply: { throttleDelayMs: 5_000 } },
    ...(config.repoCacheDir === undefined ? {} : { repoCacheDir: config.repoCacheDir }),
    metrics: { registry: metrics, served: () => served() },
  });
  let started: RunningMode;
  if (config.agent !== undefined) {
    const { kubeconfigPath, inCluster } = config.agent;
    const kubeconfig =
      kubeconfigPath !== undefined ? readFileSync(kubeconfigPath, "utf8") : inClusterKubeconfig(inCluster!);
    const { cluster } = config.agent;
    started = await startAgent(runtime, {
      cluster,
      kubeconfig,
      labels: config.agent.labels,
      resync: { intervalMs: config.resyncIntervalMs },
    });
    served = () => [{ cluster, mode: "agent" }];
  } else {
    const pool = config.pool ?? { workerId: `worker-${process.pid}`, leaseTtlMs: 15_000 };
    const poolWorker = await startPool(runtime, { ...pool, resync: { intervalMs: config.resyncIntervalMs } });
    served = () => poolWorker.held().map((cluster) => ({ cluster, mode: "pool" }));
    started = poolWorker;
  }
  mode = started;
  log.info({ mode: config.mode, concurrency: config.concurrency }, "worker started");

  const shutdown = async (signal: string) => {
    log.info({ signal, drainTimeoutMs: config.drainTimeoutMs }, "draining");
    const deadline = setTimeout(() => process.exit(1), config.drainTimeoutMs + EXIT_GRACE_MS).unref();
    await started.stop(config.drainTimeoutMs);
    await runtime.close();
    await probes?.close();
    await Promise.all([redis.quit(), storeRedis.quit()]);
    clearTimeout(deadline);
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
} catch (err) {
  if (isEncryptionKeyError(err) || isRedisPolicyError(err) || isValidationError(err)) {
    log.fatal({ err }, "worker cannot start");
    process.stderr.write(`flotilla worker: ${err.message}\n`);
    process.exit(2);
  }
  log.fatal({ err }, "worker failed to start");
  process.exit(1);
}
