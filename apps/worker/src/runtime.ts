import { type CredentialsResolver, RepoCache } from "@flotilla/git";
import type { Registry, ServedCluster } from "@flotilla/metrics";
import { type ClusterWorkerOptions, jitteredBackoff, SyncQueues } from "@flotilla/queue";
import { MemoryBundleCache, Renderer, TieredBundleCache } from "@flotilla/render";
import { StatusStore } from "@flotilla/status";
import { type Store, storeKeys } from "@flotilla/store";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { DeletionTracking } from "./deletions/track-deletion.ts";
import { createWatchKnowledge } from "./drift/watch-knowledge.ts";
import { jobSlots } from "./handler.ts";
import type { WorkerObserver } from "./metrics/sync-observer.ts";
import { createWorkerMetrics } from "./metrics/worker-metrics.ts";
import { PublishedBundles } from "./published-bundles.ts";
import { defaultReconcileOptions, type ReconcileDeps, type ReconcileOptions } from "./reconcile.ts";
import type { BundleSources } from "./steps/source-bundle.ts";

export interface RuntimeOptions {
  /** The worker's connection: BullMQ needs `maxRetriesPerRequest: null`. Owned by the caller. */
  redis: Redis;
  /** The status store's connection (auto-pipelined in the service, see `connectRedis`). @defaultValue `redis` */
  storeRedis?: Redis;
  store: Store;
  /** The store's prefix; queues live under `<prefix>bull`, as the generator puts them. @defaultValue "flotilla:" */
  prefix?: string;
  log: Logger;
  /**
   * Syncs that talk to one cluster at once (its lanes); the worker takes `jobSlots` of that cluster's jobs at once,
   * so that their Redis reads and writes overlap the lanes' work. @defaultValue 4
   */
  concurrency?: number;
  /** Passed to the cluster workers: lock and stalled-job timings. @defaultValue the queue package's */
  queue?: Partial<Pick<ClusterWorkerOptions, "lockDurationMs" | "stalledIntervalMs" | "backoff">>;
  /** @defaultValue the git package's cache directory */
  repoCacheDir?: string;
  /** @defaultValue 15000 */
  gitMinFetchIntervalMs?: number;
  /** Whether a local render may read local paths and file:// URLs. @defaultValue false */
  allowLocalRepos?: boolean;
  /** Credentials for private repositories, by URL. @defaultValue anonymous access */
  gitCredentials?: CredentialsResolver;
  /** @defaultValue `defaultReconcileOptions()` */
  reconcile?: Partial<ReconcileOptions>;
  /**
   * Whether this worker may read Git and render for itself when a job names no published bundle, or the one it
   * names is gone. Off, it never touches Git: it applies only what the generator published. @defaultValue true
   */
  localRender?: boolean;
  /**
   * Where the worker's metrics go, and which clusters it serves at a given moment (the mode knows, once started).
   * @defaultValue no metrics
   */
  metrics?: { registry: Registry; served: () => readonly ServedCluster[] };
}

/** What both modes share: the reconcile dependencies and the options every cluster worker is made with. */
export interface WorkerRuntime {
  deps: ReconcileDeps;
  /** The store's key prefix, for the worker's own keys. */
  prefix: string;
  /** The connection the runtime was made with. */
  redis: Redis;
  store: Store;
  status: StatusStore;
  /** Failed deletes still owed, and the backoff between their attempts (the queue's retry policy). */
  deletions: DeletionTracking;
  /** The producer side of the queues, for the periodic re-sync. Closed by `close()`. */
  queues: SyncQueues;
  log: Logger;
  queueOptions: ClusterWorkerOptions;
  /** Lanes per cluster: the handler of each cluster's queue is made with them (`createWorkHandler`). */
  lanes: number;
  /** The runtime's observer, for the modes to tell it what they saw of their clusters. */
  observer?: WorkerObserver;
  /** Closes what the runtime opened (not the Redis connection, which the caller owns). */
  close(): Promise<void>;
}

export function createRuntime(options: RuntimeOptions): WorkerRuntime {
  const prefix = options.prefix ?? "flotilla:";
  const lanes = options.concurrency ?? 4;
  const status = new StatusStore(options.storeRedis ?? options.redis, { prefix });
  const queues = new SyncQueues({ connection: options.redis, prefix: storeKeys(prefix).queuePrefix, log: options.log });
  const observer =
    options.metrics === undefined ? undefined : createWorkerMetrics({ ...options.metrics, status, queues });
  const deps: ReconcileDeps = {
    bundles: {
      published: new PublishedBundles((digest) => options.store.bundles.byDigest(digest)),
      ...(options.localRender !== false && { local: localRenderer(options) }),
    },
    status,
    watch: createWatchKnowledge(status),
    options: { ...defaultReconcileOptions(), ...options.reconcile },
    now: () => new Date(),
    ...(observer !== undefined && { observer }),
  };
  const deletions: DeletionTracking = {
    pending: options.store.pendingDeletions,
    retryDelayMs: jitteredBackoff(options.queue?.backoff),
    now: deps.now,
  };
  return {
    deps,
    deletions,
    queues,
    close: () => queues.close(),
    prefix,
    redis: options.redis,
    store: options.store,
    status,
    log: options.log,
    ...(observer !== undefined && { observer }),
    lanes,
    queueOptions: {
      connection: options.redis,
      prefix: storeKeys(prefix).queuePrefix,
      concurrency: jobSlots(lanes),
      log: options.log,
      ...options.queue,
    },
  };
}

/** The worker's own Git cache and renderer, sharing renders with every other process through the bundle store. */
function localRenderer(options: RuntimeOptions): NonNullable<BundleSources["local"]> {
  const git = new RepoCache({
    ...(options.repoCacheDir === undefined ? {} : { cacheDir: options.repoCacheDir }),
    minFetchIntervalMs: options.gitMinFetchIntervalMs ?? 15_000,
    allowLocalRepos: options.allowLocalRepos ?? false,
    ...(options.gitCredentials === undefined ? {} : { credentials: options.gitCredentials }),
    logger: options.log.child({ component: "git" }),
  });
  const cache = new TieredBundleCache(new MemoryBundleCache(), options.store.bundles);
  return { git, renderer: new Renderer({ reader: git, cache }) };
}

/** A running mode; `stop` drains within the time given and releases what the mode holds. */
export interface RunningMode {
  stop(timeoutMs: number): Promise<void>;
}
