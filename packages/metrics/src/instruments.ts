import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { METRICS_READ_ERRORS_TOTAL, type MetricSpec } from "./catalog.ts";

/** Read at each scrape: the series a gauge has now, replacing the ones it had (so a vanished series goes). */
export type GaugeSamples<L extends string> = () => Promise<readonly GaugeSample<L>[]>;

export interface GaugeSample<L extends string> {
  labels: Record<L, string>;
  value: number;
}

export function counterOf<L extends string>(registry: Registry, spec: MetricSpec<L>): Counter<L> {
  kindIs(spec, "counter");
  return new Counter({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [registry] });
}

export function histogramOf<L extends string>(registry: Registry, spec: MetricSpec<L>): Histogram<L> {
  kindIs(spec, "histogram");
  return new Histogram({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames,
    ...(spec.buckets !== undefined && { buckets: [...spec.buckets] }),
    registers: [registry],
  });
}

/**
 * A gauge whose series are read from the source of truth at scrape time rather than kept up to date, so a series
 * whose labels changed or whose object went is gone at the next scrape. A read that fails leaves the gauge without
 * series for that scrape (a stale value would say something false) and counts in `flotilla_metrics_read_errors_total`;
 * the rest of the scrape is served.
 */
export function collectedGaugeOf<L extends string>(
  registry: Registry,
  spec: MetricSpec<L>,
  samples: GaugeSamples<L>,
): Gauge<L> {
  kindIs(spec, "gauge");
  const errors = readErrorsOf(registry);
  return new Gauge({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames,
    registers: [registry],
    async collect() {
      let now: readonly GaugeSample<L>[] = [];
      try {
        now = await samples();
      } catch {
        errors.inc({ metric: spec.name });
      }
      this.reset();
      for (const sample of now) this.set(sample.labels as Partial<Record<L, string>>, sample.value);
    },
  });
}

function readErrorsOf(registry: Registry): Counter<"metric"> {
  const existing = registry.getSingleMetric(METRICS_READ_ERRORS_TOTAL.name);
  return (existing as Counter<"metric"> | undefined) ?? counterOf(registry, METRICS_READ_ERRORS_TOTAL);
}

function kindIs(spec: MetricSpec, kind: MetricSpec["kind"]): void {
  if (spec.kind !== kind) throw new TypeError(`metric ${spec.name} is a ${spec.kind}, not a ${kind}`);
}
