import type { Counter, Histogram, Registry } from "prom-client";
import {
  APP_INFO,
  APP_RECONCILE_SECONDS,
  APP_SYNC_TOTAL,
  CLUSTER_CONNECTION_STATUS,
  CLUSTER_INFO,
  DRIFT_REVERTED_TOTAL,
  QUEUE_JOBS,
  SYNC_STEP_SECONDS,
} from "./catalog.ts";
import { collectedGaugeOf, counterOf, histogramOf } from "./instruments.ts";
import { scrapeCache } from "./scrape-cache.ts";

/** How a sync ended, in Argo CD's words: `Failed` is not retried (bad input), `Error` is (an outage). */
export type SyncPhase = "Succeeded" | "Failed" | "Error";

/** One Application's last status on a cluster, as `flotilla_app_info` labels it. */
export interface AppInfo {
  appSet: string;
  application: string;
  cluster: string;
  sync: string;
  health: string;
  /** The source commit applied; empty when none is known. */
  revision?: string;
}

export interface ServedCluster {
  cluster: string;
  mode: "agent" | "pool";
}

/** A cluster queue's jobs by state. */
export interface QueueJobCounts {
  cluster: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** What the worker's metrics read at scrape time; each read covers the clusters the worker serves then. */
export interface WorkerMetricsSources {
  /** Clusters whose queues this worker consumes now. */
  served(): readonly ServedCluster[];
  /** Every Application's last status on those clusters. */
  apps(clusters: readonly string[]): Promise<readonly AppInfo[]>;
  queues(clusters: readonly string[]): Promise<readonly QueueJobCounts[]>;
}

export interface WorkerMetricsOptions {
  /** How long one read of Redis answers later scrapes. @defaultValue 5000 */
  cacheTtlMs?: number;
}

export interface SyncEndedSample {
  appSet: string;
  application: string;
  cluster: string;
  seconds: number;
  /** Absent for a sync that only looked (a drift check, a manual Application compared, nothing new). */
  phase?: SyncPhase;
  /** Objects put back as Git has them after someone else changed them. */
  reverted: number;
  /** Seconds spent in each step the sync reached (`inputs`, `source`, `lane`, `apply`, `health`, `status`). */
  steps?: Readonly<Record<string, number>>;
}

const QUEUE_STATES = ["waiting", "active", "delayed", "failed"] as const;

/**
 * The reconciler worker's metrics. Counters and the histogram are fed as syncs end; the gauges are read from
 * Redis at scrape time for the clusters the worker serves at that moment, so a cluster handed to another pool
 * worker, an Application deleted or one whose status changed shows as it is now, never as it was.
 */
export class WorkerMetrics {
  readonly #syncs: Counter<"appset" | "app" | "cluster" | "phase">;
  readonly #reconcile: Histogram<"cluster">;
  readonly #steps: Histogram<"cluster" | "step">;
  readonly #reverted: Counter<"cluster">;
  readonly #reachable = new Map<string, boolean>();

  constructor(registry: Registry, sources: WorkerMetricsSources, options: WorkerMetricsOptions = {}) {
    const cache = { ttlMs: options.cacheTtlMs ?? 5_000 };
    const clusters = () => sources.served().map((c) => c.cluster);
    const apps = scrapeCache(() => sources.apps(clusters()), cache);
    const queues = scrapeCache(() => sources.queues(clusters()), cache);
    this.#syncs = counterOf(registry, APP_SYNC_TOTAL);
    this.#reconcile = histogramOf(registry, APP_RECONCILE_SECONDS);
    this.#steps = histogramOf(registry, SYNC_STEP_SECONDS);
    this.#reverted = counterOf(registry, DRIFT_REVERTED_TOTAL);
    collectedGaugeOf(registry, APP_INFO, async () =>
      (await apps()).map((a) => ({
        labels: {
          appset: a.appSet,
          app: a.application,
          cluster: a.cluster,
          sync_status: a.sync,
          health_status: a.health,
          revision: a.revision ?? "",
        },
        value: 1,
      })),
    );
    collectedGaugeOf(registry, CLUSTER_INFO, async () =>
      sources.served().map((c) => ({ labels: { cluster: c.cluster, mode: c.mode }, value: 1 })),
    );
    collectedGaugeOf(registry, CLUSTER_CONNECTION_STATUS, async () =>
      clusters().flatMap((cluster) => {
        const reachable = this.#reachable.get(cluster);
        return reachable === undefined ? [] : [{ labels: { cluster }, value: reachable ? 1 : 0 }];
      }),
    );
    collectedGaugeOf(registry, QUEUE_JOBS, async () =>
      (await queues()).flatMap((q) =>
        QUEUE_STATES.map((state) => ({ labels: { cluster: q.cluster, state }, value: q[state] })),
      ),
    );
  }

  syncEnded(sample: SyncEndedSample): void {
    const { cluster } = sample;
    this.#reconcile.observe({ cluster }, sample.seconds);
    for (const [step, seconds] of Object.entries(sample.steps ?? {})) this.#steps.observe({ cluster, step }, seconds);
    if (sample.phase !== undefined) {
      this.#syncs.inc({ appset: sample.appSet, app: sample.application, cluster, phase: sample.phase });
    }
    if (sample.reverted > 0) this.#reverted.inc({ cluster }, sample.reverted);
  }

  /** What the worker's last request to a cluster saw. A cluster not asked yet has no connection series. */
  clusterReached(cluster: string, reachable: boolean): void {
    this.#reachable.set(cluster, reachable);
  }
}
