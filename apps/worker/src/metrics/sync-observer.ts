import type { AppRef } from "@flotilla/status";

/**
 * What a sync job did. `applied`: it server-side applied what Git changed, a requested sync, or a self-heal that
 * put objects back; `looked`: it only compared (a drift check, a manual Application waiting for a request, nothing
 * new, a self-heal apply that changed nothing);
 * `failed`: it stopped at a step; `retryable` when for an outage (cluster or Git unreachable), not bad input.
 */
export type SyncOutcome = { kind: "applied" } | { kind: "looked" } | { kind: "failed"; retryable: boolean };

export interface SyncEnded {
  ref: AppRef;
  outcome: SyncOutcome;
  /** Objects someone else had changed that the sync put back as Git has them (selfHeal, nothing new in Git). */
  reverted: number;
  seconds: number;
  /** Milliseconds in each step the sync reached, as its "synced" log line has them (`ms`). */
  stepsMs: Readonly<Record<string, number>>;
}

/** Told what each sync job did; the worker's metrics are one such observer. */
export interface SyncObserver {
  syncEnded(event: SyncEnded): void;
}

/** Told what the worker saw of each cluster, request by request. */
export interface ClusterObserver {
  clusterReached(cluster: string, reachable: boolean): void;
}

export type WorkerObserver = SyncObserver & ClusterObserver;
