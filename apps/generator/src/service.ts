import type { Cluster } from "@flotilla/core";
import { credentialsFromFile, RepoCache } from "@flotilla/git";
import { SyncQueues } from "@flotilla/queue";
import { MemoryBundleCache, Renderer, TieredBundleCache } from "@flotilla/render";
import { LeaseKeeper, openStore, type Store } from "@flotilla/store";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { BundlePublisher } from "./adapters/bundle-publisher.ts";
import { gitFleetRepo } from "./adapters/fleet-repo.ts";
import { queueSink } from "./adapters/queue-sink.ts";
import { storeState } from "./adapters/store-state.ts";
import type { GeneratorConfig } from "./config.ts";
import { type CycleReport, type MemoEntry, runCycle } from "./cycle.ts";
import { createGeneratorServer } from "./http/server.ts";
import { GenerationLoop } from "./loop.ts";

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
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null, lazyConnect: false });
  const subscriber = redis.duplicate();
  const store: Store = await openStore({ redis, prefix: config.redis.prefix, needsCredentials: false, log: logger });
  const queues = new SyncQueues({ connection: redis, prefix: `${config.redis.prefix}bull`, log: logger });
  const repos = new RepoCache({
    ...(config.repoCacheDir !== undefined && { cacheDir: config.repoCacheDir }),
    allowLocalRepos: config.allowLocalRepos,
    ...(config.gitCredentialsFile !== undefined && { credentials: credentialsFromFile(config.gitCredentialsFile) }),
    logger: logger.child({ component: "git" }),
  });
  const triggerChannel = `${config.redis.prefix}generator:trigger`;
  const publisher = config.render.enabled
    ? new BundlePublisher(
        repos,
        new Renderer({ reader: repos, cache: new TieredBundleCache(new MemoryBundleCache(), store.bundles) }),
      )
    : undefined;

  let leader: LeaseKeeper | undefined;
  const waiters: ((r: CycleReport) => void)[] = [];
  let selectingClusters = new Set<string>();
  const deps = {
    fleet: gitFleetRepo(repos, config.fleet.repoURL, config.fleet.revision),
    repos,
    clusters: async (): Promise<Cluster[]> => store.clusters.list(),
    state: storeState(store, () => leader?.fence()),
    jobs: queueSink(queues),
    logger,
    memo: new Map<string, MemoEntry>(),
    prepared: new Map<string, { from: string; hash: string }>(),
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
      logger.info(
        { reasons, ms: Math.round(performance.now() - started), ...report, selectingClusters: undefined },
        "cycle done",
      );
      for (const w of waiters.splice(0)) w(report);
    },
    onError: (err) => logger.error({ err }, "generation cycle failed"),
  });

  leader = new LeaseKeeper(store.lease("generator"), {
    log: logger,
    onAcquired: () => {
      logger.info("generator lease acquired; this replica generates");
      // What another replica stored meanwhile is unknown here: the first cycle of a term regenerates everything.
      deps.memo.clear();
      deps.prepared.clear();
      loop.start();
    },
    onLost: (_grant, reason) => {
      logger.warn({ reason }, "generator lease lost; this replica stops writing");
      void loop.stop();
    },
  });

  const stopWatching = store.clusters.watch((change) => {
    if (change.type === "resync" || change.type === "removed") loop.trigger(`cluster registry ${change.type}`);
    else loop.trigger(`cluster ${change.cluster} ${change.type}`, selectingClusters);
  });

  await subscriber.subscribe(triggerChannel);
  subscriber.on("message", (_channel, message: string) => {
    const { reason, repoURLs } = parseTrigger(message);
    publisher?.refreshNext(repoURLs);
    loop.trigger(reason);
  });

  const server: FastifyInstance = createGeneratorServer({
    secret: config.webhook.secret,
    watched: () => [
      { repoURL: config.fleet.repoURL, revision: config.fleet.revision },
      ...(publisher?.watched() ?? []),
    ],
    trigger: (reason, repoURLs) => void redis.publish(triggerChannel, JSON.stringify({ reason, repoURLs })),
    logger,
  });
  await server.listen({ port: config.webhook.port, host: "0.0.0.0" });
  const address = server.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.webhook.port;
  await stopWatching.ready;
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
