import type { Counter, Histogram, Registry } from "prom-client";
import {
  APPSET_APPLICATIONS,
  APPSET_GENERATION_SECONDS,
  APPSET_GENERATIONS_TOTAL,
  APPSET_HELD_DELETIONS,
} from "./catalog.ts";
import { collectedGaugeOf, counterOf, histogramOf } from "./instruments.ts";
import { scrapeCache } from "./scrape-cache.ts";

/** One ApplicationSet's standing in the store: what is in force and what the guard holds. */
export interface AppSetStanding {
  appSet: string;
  applications: number;
  heldDeletions: number;
}

export interface GeneratorMetricsSources {
  /** Every stored ApplicationSet's standing, read from the store (so every replica reports the same). */
  appSets(): Promise<readonly AppSetStanding[]>;
}

export interface GeneratorMetricsOptions {
  /** How long one read of Redis answers later scrapes. @defaultValue 5000 */
  cacheTtlMs?: number;
}

export type GenerationOutcome = "ok" | "failed";

/**
 * The generator's metrics. Generation timings are observed by the replica that generates; the ApplicationSets'
 * standing is read from the store at scrape time, so a standby replica reports it too and a removed
 * ApplicationSet's series go with it.
 */
export class GeneratorMetrics {
  readonly #seconds: Histogram<"appset">;
  readonly #generations: Counter<"appset" | "outcome">;

  constructor(registry: Registry, sources: GeneratorMetricsSources, options: GeneratorMetricsOptions = {}) {
    const appSets = scrapeCache(() => sources.appSets(), { ttlMs: options.cacheTtlMs ?? 5_000 });
    this.#seconds = histogramOf(registry, APPSET_GENERATION_SECONDS);
    this.#generations = counterOf(registry, APPSET_GENERATIONS_TOTAL);
    collectedGaugeOf(registry, APPSET_APPLICATIONS, async () =>
      (await appSets()).map((s) => ({ labels: { appset: s.appSet }, value: s.applications })),
    );
    collectedGaugeOf(registry, APPSET_HELD_DELETIONS, async () =>
      (await appSets()).map((s) => ({ labels: { appset: s.appSet }, value: s.heldDeletions })),
    );
  }

  generated(sample: { appSet: string; seconds: number; outcome: GenerationOutcome }): void {
    this.#seconds.observe({ appset: sample.appSet }, sample.seconds);
    this.#generations.inc({ appset: sample.appSet, outcome: sample.outcome });
  }
}
