import { type AppSetStanding, GeneratorMetrics, type Registry } from "@flotilla/metrics";
import type { Store } from "@flotilla/store";
import type { GenerationObserver } from "../ports.ts";

/**
 * The generator's metrics: generation timings from this replica's cycles, and each ApplicationSet's standing read
 * from the store at scrape time, so every replica, leading or not, reports what is in force.
 */
export function generatorMetrics(options: { registry: Registry; store: Store }): GenerationObserver {
  const metrics = new GeneratorMetrics(options.registry, { appSets: () => appSetStandings(options.store) });
  return {
    generated: ({ appSet, seconds, failed }) =>
      metrics.generated({ appSet, seconds, outcome: failed ? "failed" : "ok" }),
  };
}

/** Stored ApplicationSets and those that left Git with their deletions held (a removed ApplicationSet's hold). */
async function appSetStandings(store: Store): Promise<AppSetStanding[]> {
  const [records, holds] = await Promise.all([store.generations.listGenerations(), store.holds.list()]);
  const held = new Map(holds.map((h) => [h.appSet, h.applications.length]));
  const names = [...new Set([...records.map((r) => r.appSet), ...held.keys()])].sort();
  const counts = await Promise.all(names.map((name) => store.applications.count(name)));
  return names.map((appSet, i) => ({ appSet, applications: counts[i]!, heldDeletions: held.get(appSet) ?? 0 }));
}
