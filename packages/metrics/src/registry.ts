import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * A process's registry: Flotilla's metrics plus prom-client's process and Node.js metrics (`process_cpu_seconds_total`,
 * `process_resident_memory_bytes`, `nodejs_eventloop_lag_seconds`, …, under their usual names). One per process;
 * tests make as many as they like, since nothing is registered globally.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
