/**
 * Every metric Flotilla exports, in one place: its name, help, labels and buckets. Services make their instruments
 * from these specs and never name a metric themselves, so a dashboard written against one release finds the same
 * series in the next. Names follow Argo CD's where a dashboard maps onto them (`argocd_app_info` →
 * `flotilla_app_info`, …; the README has the table).
 *
 * Cardinality: a label takes values from a set an operator controls and that does not grow with traffic —
 * ApplicationSet, Application, cluster names, a handful of states. Only `flotilla_app_info` carries Application
 * names (one series per Application, as `argocd_app_info` does); every histogram is per cluster or per
 * ApplicationSet at most.
 */

export type MetricKind = "counter" | "gauge" | "histogram";

export interface MetricSpec<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly kind: MetricKind;
  readonly labelNames: readonly L[];
  /** Histograms only: upper bounds in seconds. */
  readonly buckets?: readonly number[];
}

function spec<const L extends string>(s: MetricSpec<L>): MetricSpec<L> {
  return s;
}

/** A sync job runs from a few milliseconds (nothing new) to the health wait (tens of seconds). */
const SYNC_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;
/** One ApplicationSet's generation: milliseconds for a list, seconds for a matrix over Git and many clusters. */
const GENERATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;
/** HTTP requests answered from Redis. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;
/** One step of a sync: a Redis round trip (as fast as a request) to a lane's wait or an apply on a busy cluster. */
const STEP_BUCKETS = [...REQUEST_BUCKETS, 10, 30, 60] as const;

export const APP_INFO = spec({
  name: "flotilla_app_info",
  help: "One series per Application on each cluster a worker serves, always 1; the labels are its last status (argocd_app_info)",
  kind: "gauge",
  labelNames: ["appset", "app", "cluster", "sync_status", "health_status", "revision"],
});

export const APP_SYNC_TOTAL = spec({
  name: "flotilla_app_sync_total",
  help: "Syncs that applied, or tried to, by outcome: Succeeded, Failed (bad input, not retried) or Error (retried) (argocd_app_sync_total)",
  kind: "counter",
  labelNames: ["appset", "app", "cluster", "phase"],
});

export const APP_RECONCILE_SECONDS = spec({
  name: "flotilla_app_reconcile_seconds",
  help: "Duration of one sync job on a cluster, whatever it did (applied, checked for drift, nothing new) (argocd_app_reconcile)",
  kind: "histogram",
  labelNames: ["cluster"],
  buckets: SYNC_BUCKETS,
});

export const SYNC_STEP_SECONDS = spec({
  name: "flotilla_sync_step_seconds",
  help: "Time one sync job spent in each step it reached: inputs, source, lane (waiting for one of the cluster's lanes), apply, health, status",
  kind: "histogram",
  labelNames: ["cluster", "step"],
  buckets: STEP_BUCKETS,
});

export const CLUSTER_INFO = spec({
  name: "flotilla_cluster_info",
  help: "One series per cluster a worker serves, always 1; mode is agent or pool (argocd_cluster_info)",
  kind: "gauge",
  labelNames: ["cluster", "mode"],
});

export const CLUSTER_CONNECTION_STATUS = spec({
  name: "flotilla_cluster_connection_status",
  help: "1 when the cluster answered the worker's last request to it, 0 when it did not (argocd_cluster_connection_status)",
  kind: "gauge",
  labelNames: ["cluster"],
});

export const QUEUE_JOBS = spec({
  name: "flotilla_queue_jobs",
  help: "Jobs in a cluster's queue by state (waiting, active, delayed, failed), read at scrape time",
  kind: "gauge",
  labelNames: ["cluster", "state"],
});

export const DRIFT_REVERTED_TOTAL = spec({
  name: "flotilla_drift_reverted_total",
  help: "Objects changed on the cluster by someone else that a self-healing sync put back as Git has them",
  kind: "counter",
  labelNames: ["cluster"],
});

export const APPSET_GENERATION_SECONDS = spec({
  name: "flotilla_appset_generation_seconds",
  help: "Duration of one ApplicationSet's generation: generate, prepare sources, diff, guard, enqueue, store",
  kind: "histogram",
  labelNames: ["appset"],
  buckets: GENERATION_BUCKETS,
});

export const APPSET_GENERATIONS_TOTAL = spec({
  name: "flotilla_appset_generations_total",
  help: "ApplicationSet generations by outcome: ok, or failed (the previous generation stays in force)",
  kind: "counter",
  labelNames: ["appset", "outcome"],
});

export const APPSET_APPLICATIONS = spec({
  name: "flotilla_appset_applications",
  help: "Applications in force for an ApplicationSet after its last generation (held deletions included)",
  kind: "gauge",
  labelNames: ["appset"],
});

export const APPSET_HELD_DELETIONS = spec({
  name: "flotilla_appset_held_deletions",
  help: "Applications whose deletion the guard holds for an ApplicationSet, until an operator releases or dismisses it",
  kind: "gauge",
  labelNames: ["appset"],
});

export const API_REQUEST_SECONDS = spec({
  name: "flotilla_api_request_seconds",
  help: "Duration of HTTP API requests by method, route pattern (not the path, which names objects) and status code",
  kind: "histogram",
  labelNames: ["method", "route", "status"],
  buckets: REQUEST_BUCKETS,
});

export const METRICS_READ_ERRORS_TOTAL = spec({
  name: "flotilla_metrics_read_errors_total",
  help: "Scrapes at which a metric could not be read from its source (Redis): that metric had no series then (counted from the next scrape)",
  kind: "counter",
  labelNames: ["metric"],
});

/** Every spec, for the README's table and the test that keeps names unique. */
export const CATALOG: readonly MetricSpec[] = [
  APP_INFO,
  APP_SYNC_TOTAL,
  APP_RECONCILE_SECONDS,
  SYNC_STEP_SECONDS,
  CLUSTER_INFO,
  CLUSTER_CONNECTION_STATUS,
  QUEUE_JOBS,
  DRIFT_REVERTED_TOTAL,
  APPSET_GENERATION_SECONDS,
  APPSET_GENERATIONS_TOTAL,
  APPSET_APPLICATIONS,
  APPSET_HELD_DELETIONS,
  API_REQUEST_SECONDS,
  METRICS_READ_ERRORS_TOTAL,
];
