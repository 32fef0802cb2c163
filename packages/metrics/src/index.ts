export type { Registry } from "prom-client";
export type { MetricKind, MetricSpec } from "./catalog.ts";
export {
  API_REQUEST_SECONDS,
  APP_INFO,
  APP_RECONCILE_SECONDS,
  APP_SYNC_TOTAL,
  APPSET_APPLICATIONS,
  APPSET_GENERATION_SECONDS,
  APPSET_GENERATIONS_TOTAL,
  APPSET_HELD_DELETIONS,
  CATALOG,
  CLUSTER_CONNECTION_STATUS,
  CLUSTER_INFO,
  DRIFT_REVERTED_TOTAL,
  METRICS_READ_ERRORS_TOTAL,
  QUEUE_JOBS,
} from "./catalog.ts";
export type {
  AppSetStanding,
  GenerationOutcome,
  GeneratorMetricsOptions,
  GeneratorMetricsSources,
} from "./generator-metrics.ts";
export { GeneratorMetrics } from "./generator-metrics.ts";
export type { GaugeSample, GaugeSamples } from "./instruments.ts";
export { collectedGaugeOf, counterOf, histogramOf } from "./instruments.ts";
export { createMetricsRegistry } from "./registry.ts";
export { observeRequests, UNMATCHED_ROUTE } from "./request-metrics.ts";
export type { ScrapeCacheOptions } from "./scrape-cache.ts";
export { scrapeCache } from "./scrape-cache.ts";
export { handleMetricsRequest, METRICS_PATH, serveMetrics } from "./serve.ts";
export type { FamilyHeader, Sample, Scrape } from "./text-format.ts";
export { PrometheusTextError, parsePrometheusText, samplesOf, sampleValue } from "./text-format.ts";
export type {
  AppInfo,
  QueueJobCounts,
  ServedCluster,
  SyncEndedSample,
  SyncPhase,
  WorkerMetricsOptions,
  WorkerMetricsSources,
} from "./worker-metrics.ts";
export { WorkerMetrics } from "./worker-metrics.ts";
