import type { GenerationMemo } from "@flotilla/engine";
import { credentialsFromFile, RepoCache } from "@flotilla/git";
import { createMetricsRegistry, type Registry } from "@flotilla/metrics";
import { SyncQueues } from "@flotilla/queue";
import { MemoryBundleCache, Renderer, TieredBundleCache } from "@flotilla/render";
import { StatusStore } from "@flotilla/status";
import {
  checkEvictionPolicy,
  connectRedis,
  LeaseKeeper,
  observeConnection,
  openStore,
  type Store,
  storeKeys,
  subscribeWhenReady,
  untilReady,
} from "@flotilla/store";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { BundlePublisher } from "./adapters/bundle-publisher.ts";
import { cachingDigests } from "./adapters/digest-cache.ts";
import { gitFleetRepo } from "./adapters/fleet-repo.ts";
import { generatorMetrics } from "./adapters/generator-metrics.ts";
import { queueSink } from "./adapters/queue-sink.ts";
import { cachedRegistry } from "./adapters/registry-cache.ts";
import { storeState } from "./adapters/store-state.ts";
import { finishClusterRemovals } from "./cluster-removals.ts";
import type { GeneratorConfig } from "./config.ts";
import { type CycleDeps, type CycleReport, type MemoEntry, type ParsedFile, runCycle } from "./cycle.ts";
import { createGeneratorServer } from "./http/server.ts";
import { GenerationLoop } from "./loop.ts";
import { PreparedMemo } from "./prepared-memo.ts";
import { tickRollouts } from "./rollout/advance.ts";

export interface GeneratorService {
  /** The port the webhook server listens on (useful when configured as 0). */
  readonly port: number;
  /** Resolves after the next cycle this replica completes (tests and the demo wait on it). */
  nextCycle(): Promise<CycleReport>;
  isLeader(): boolean;
  stop(): Promise<void>;
}

/**
 * Wires the generator: Redis store and queues, the Git cache, a lease so that exactly one replica generates, the
 * cluster registry watch and the webhook server. Every replica accepts webhooks and relays them through Redis to
 * whichever replica leads.
 */
export async function startGeneratorService(config: GeneratorConfig, logger: Logger): Promise<GeneratorService> {
  const redis = connectRedis({ url: config.redis.url, log: logger });
  const subscriber = redis.duplicate();
  observeConnection(subscriber, { url: config.redis.url, log: logger, name: "subscriber" });
  let leader: LeaseKeeper | undefined;
  let publisher: BundlePublisher | undefined;
  const triggerChannel = `${config.redis.prefix}generator:trigger`;
  // Process metrics from the start; the ApplicationSets' once the store is open.
  const metrics = createMetricsRegistry();

  // Up before Redis is: an orchestrator sees a live process that is not ready (rather than a silent hang), and
  // the log says why.
  const server: FastifyInstance = createGeneratorServer({
    secret: config.webhook.secret,
    watched: () => [
      { repoURL: config.fleet.repoURL, revision: config.fleet.revision },
      ...(publisher?.watched() ?? []),
    ],
    trigger: (reason, repoURLs) => void redis.publish(triggerChannel, JSON.stringify({ reason, repoURLs })),
    readiness: () => ({ redis: redis.status === "ready", lease: leader?.stateKnown() ?? false }),
    logger,
    metrics,
  });
  await server.listen({ port: config.webhook.port, host: "0.0.0.0" });
  const address = server.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.webhook.port;
  try {
    return await startGenerating(
      { config, logger, redis, subscriber, server, port, triggerChannel, metrics },
      (made) => {
        leader = made.leader;
        publisher = made.publisher;
      },
    );
  } catch (err) {
    await server.close();
    subscriber.disconnect();
    redis.disconnect();
    throw err;
  }
}

interface Connected {
  config: GeneratorConfig;
  logger: Logger;
  redis: Redis;
  subscriber: Redis;
  server: FastifyInstance;
  port: number;
  triggerChannel: string;
  metrics: Registry;
}

/** Everything that needs Redis, once it answers. `expose` hands the lease keeper and publisher to the probes. */
async function startGenerating(
  { config, logger, redis, subscriber, server, port, triggerChannel, metrics }: Connected,
  expose: (made: { leader: LeaseKeeper; publisher: BundlePublisher | undefined }) => void,
): Promise<GeneratorService> {
  logger.info({ port }, "probes and webhooks served; waiting for Redis");
  await untilReady(redis);
  await checkEvictionPolicy(redis, { skip: config.redis.skipPolicyCheck, log: logger });
  const store: Store = await openStore({ redis, prefix: config.redis.prefix, needsCredentials: false, log: logger });
  const queues = new SyncQueues({ connection: redis, prefix: storeKeys(config.redis.prefix).queuePrefix, log: logger });
  const repos = new RepoCache({
    ...(config.repoCacheDir !== undefined && { cacheDir: config.repoCacheDir }),
    allowLocalRepos: config.allowLocalRepos,
    ...(config.gitCredentialsFile !== undefined && { credentials: credentialsFromFile(config.gitCredentialsFile) }),
    logger: logger.child({ component: "git" }),
  });
  // A publisher remembers what it published; a new term starts with a new one, because whatever happened while
  // this replica did not lead (Redis may even have lost its data, and the bundles with it) is unknown.
  const newPublisher = () =>
    config.render.enabled
      ? new BundlePublisher(
          repos,
          new Renderer({ reader: repos, cache: new TieredBundleCache(new MemoryBundleCache(), store.bundles) }),
        )
      : undefined;
  let publisher = newPublisher();

  let leader: LeaseKeeper | undefined;
  const waiters: ((r: CycleReport) => void)[] = [];
  let selectingClusters = new Set<string>();
  const memo = new Map<string, MemoEntry>();
  const prepared = new PreparedMemo();
  const generationMemos = new Map<string, GenerationMemo>();
  const parsedFiles = new Map<string, ParsedFile>();
  const state = cachingDigests(
    storeState(store, () => leader?.fence(), { status: new StatusStore(redis, { prefix: config.redis.prefix }) }),
  );
  const registry = cachedRegistry(store.clusters);
  const deps: CycleDeps = {
    fleet: gitFleetRepo(repos, config.fleet.repoURL, config.fleet.revision),
    repos,
    clusters: () => registry.clusters(),
    state,
    jobs: queueSink({ queues, fence: () => leader?.fence(), keys: store.keys }),
    logger,
    memo,
    prepared,
    generationMemos,
    parsedFiles,
    observer: generatorMetrics({ registry: metrics, store }),
    ...(publisher !== undefined && { sources: publisher, sourceConcurrency: config.render.concurrency }),
  };

  const loop = new GenerationLoop({
    intervalMs: config.pollIntervalMs,
    run: async (scope, reasons) => {
      const started = performance.now();
      const report = await runCycle(deps, {
        paths: config.fleet.paths,
        ...(scope.kind === "some" && { only: scope.appSets }),
      });
      selectingClusters = new Set(report.selectingClusters);
      // After a full cycle only: a cycle for some ApplicationSets has not regenerated the others' deletes.
      if (scope.kind !== "some") {
        await finishClusterRemovals({ store, queueCounts: (c) => queues.counts(c), logger }).catch((err: unknown) =>
          logger.error({ err }, "finishing cluster removals failed; retried next cycle"),
        );
      }
      logger.info(
        { reasons, ms: Math.round(performance.now() - started), ...report, selectingClusters: undefined },
        "cycle done",
      );
      for (const w of waiters.splice(0)) w(report);
    },
    onError: (err) => logger.error({ err }, "generation cycle failed"),
    tick: { intervalMs: config.rolloutTickMs ?? 2_000, run: () => tickRollouts(deps) },
  });

  leader = new LeaseKeeper(store.lease("generator"), {
    log: logger,
    onAcquired: () => {
      logger.info("generator lease acquired; this replica generates");
      // What another replica stored meanwhile is unknown here: the first cycle of a term regenerates everything
      // and publishes every bundle again (a lost lease may mean lost data: FLUSHALL takes the lease with it).
      memo.clear();
      state.clearDigests();
      registry.clear();
      prepared.clear();
      generationMemos.clear();
      publisher = newPublisher();
      publisher?.refreshAllNext();
      if (publisher !== undefined) deps.sources = publisher;
      expose({ leader: leader!, publisher });
      loop.start();
    },
    onLost: (_grant, reason) => {
      logger.warn({ reason }, "generator lease lost; this replica stops writing");
      void loop.stop();
    },
  });

  // Only a relabel is the business of clusters generators alone: a cluster added, removed or re-pointed can change
  // where any ApplicationSet's destinations resolve (an element waiting for its cluster to be registered, say).
  const stopWatching = store.clusters.watch((change) => {
    // Forgetting a cluster through the API deletes its stored Applications: the kept digests may be stale.
    state.clearDigests();
    registry.clear();
    if (change.type === "updated" && change.labelsChanged) {
      loop.trigger(`cluster ${change.cluster} ${change.type}`, selectingClusters);
    } else
      loop.trigger(change.type === "resync" ? "cluster registry resync" : `cluster ${change.cluster} ${change.type}`);
  });

  await subscribeWhenReady(subscriber, triggerChannel);
  subscriber.on("message", (_channel, message: string) => {
    const { reason, repoURLs } = parseTrigger(message);
    publisher?.refreshNext(repoURLs);
    loop.trigger(reason);
  });

  await stopWatching.ready;
  expose({ leader, publisher });
  leader.start();

  return {
    port,
    isLeader: () => leader?.isHolder() ?? false,
    nextCycle: () => new Promise((resolve) => waiters.push(resolve)),
    stop: async () => {
      await server.close();
      await stopWatching();
      await loop.stop();
      await leader?.stop();
      await subscriber.quit();
      await queues.close();
      await redis.quit();
    },
  };
}

/** A relayed webhook: why, and which repository was pushed to (that one is fetched anew). */
function parseTrigger(message: string): { reason: string; repoURLs: string[] } {
  try {
    const parsed = JSON.parse(message) as { reason?: unknown; repoURLs?: unknown };
    const reason = typeof parsed.reason === "string" ? parsed.reason : "webhook";
    const repoURLs = Array.isArray(parsed.repoURLs) ? parsed.repoURLs.filter((u) => typeof u === "string") : [];
    return { reason, repoURLs };
  } catch {
    return { reason: message.slice(0, 200), repoURLs: [] };
  }
}
