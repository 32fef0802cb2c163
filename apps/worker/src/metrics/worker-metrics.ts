import { type Registry, type ServedCluster, WorkerMetrics } from "@flotilla/metrics";
import type { SyncQueues } from "@flotilla/queue";
import type { StatusStore } from "@flotilla/status";
import type { WorkerObserver } from "./sync-observer.ts";
import { syncPhaseOf } from "./sync-phase.ts";

export interface WorkerMetricsOptions {
  registry: Registry;
  status: StatusStore;
  /** The producer side of the queues, for their job counts. */
  queues: SyncQueues;
  /** The clusters the worker serves at this moment (none until its mode has started). */
  served: () => readonly ServedCluster[];
  /** @defaultValue the metrics package's */
  cacheTtlMs?: number;
}

/** The worker's metrics, read from its status store and queues, and the observer that feeds their counters. */
export function createWorkerMetrics(options: WorkerMetricsOptions): WorkerObserver {
  const metrics = new WorkerMetrics(
    options.registry,
    {
      served: options.served,
      apps: async (clusters) => (await Promise.all(clusters.map((c) => options.status.list(c)))).flat(),
      queues: (clusters) => Promise.all(clusters.map((c) => options.queues.counts(c))),
    },
    options.cacheTtlMs === undefined ? {} : { cacheTtlMs: options.cacheTtlMs },
  );
  return {
    syncEnded: ({ ref, outcome, reverted, seconds, stepsMs }) => {
      const phase = syncPhaseOf(outcome);
      metrics.syncEnded({
        appSet: ref.appSet,
        application: ref.application,
        cluster: ref.cluster,
        seconds,
        reverted,
        steps: Object.fromEntries(Object.entries(stepsMs).map(([step, ms]) => [step, ms / 1000])),
        ...(phase !== undefined && { phase }),
      });
    },
    clusterReached: (cluster, reachable) => metrics.clusterReached(cluster, reachable),
  };
}
