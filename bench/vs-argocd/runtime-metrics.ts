// A Node service's own account of its event loop and garbage collector, from prom-client's default metrics on its
// /metrics: how much a busy process waited on itself, which the system's CPU-seconds alone do not tell.

import { samplesOf, sampleValue } from "@flotilla/metrics";
import { readScrape } from "./scrape.ts";

export interface RuntimeMetrics {
  /** Event-loop delay percentiles since the last scrape (prom-client resets its histogram at each), seconds. */
  lagP50?: number;
  lagP99?: number;
  lagMax?: number;
  /** Total time in GC since the process started, seconds, over every kind of collection. */
  gcSeconds?: number;
}

export function parseRuntimeMetrics(text: string): RuntimeMetrics {
  const scrape = readScrape(text);
  const one = (name: string) => sampleValue(scrape, name);
  const gc = samplesOf(scrape, "nodejs_gc_duration_seconds_sum").map((s) => s.value);
  const metrics: RuntimeMetrics = {};
  const p50 = one("nodejs_eventloop_lag_p50_seconds");
  const p99 = one("nodejs_eventloop_lag_p99_seconds");
  const max = one("nodejs_eventloop_lag_max_seconds");
  if (p50 !== undefined) metrics.lagP50 = p50;
  if (p99 !== undefined) metrics.lagP99 = p99;
  if (max !== undefined) metrics.lagMax = max;
  if (gc.length > 0) metrics.gcSeconds = gc.reduce((s, v) => s + v, 0);
  return metrics;
}

export function describeRuntime(m: RuntimeMetrics): string {
  const ms = (s: number | undefined) => (s === undefined ? "?" : `${(s * 1000).toFixed(0)} ms`);
  if (m.lagP50 === undefined && m.gcSeconds === undefined) return "no runtime metrics";
  return `event-loop delay p50 ${ms(m.lagP50)}, p99 ${ms(m.lagP99)}, max ${ms(m.lagMax)}; GC ${m.gcSeconds?.toFixed(1) ?? "?"} s since start`;
}
