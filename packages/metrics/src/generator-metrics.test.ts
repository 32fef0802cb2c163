import { describe, expect, it } from "vitest";
import { type AppSetStanding, GeneratorMetrics } from "./generator-metrics.ts";
import { createMetricsRegistry } from "./registry.ts";
import { parsePrometheusText, samplesOf, sampleValue } from "./text-format.ts";

describe("GeneratorMetrics", () => {
  it("times generations per ApplicationSet, counts them by outcome and reads standing at scrape time", async () => {
    const registry = createMetricsRegistry();
    let standing: AppSetStanding[] = [
      { appSet: "web", applications: 4, heldDeletions: 0 },
      { appSet: "db", applications: 10, heldDeletions: 6 },
    ];
    const metrics = new GeneratorMetrics(registry, { appSets: async () => standing }, { cacheTtlMs: 0 });
    metrics.generated({ appSet: "web", seconds: 0.02, outcome: "ok" });
    metrics.generated({ appSet: "web", seconds: 0.5, outcome: "failed" });
    let s = parsePrometheusText(await registry.metrics());
    expect(sampleValue(s, "flotilla_appset_generation_seconds_count", { appset: "web" })).toBe(2);
    expect(sampleValue(s, "flotilla_appset_generation_seconds_bucket", { appset: "web", le: "0.05" })).toBe(1);
    expect(sampleValue(s, "flotilla_appset_generations_total", { appset: "web", outcome: "failed" })).toBe(1);
    expect(sampleValue(s, "flotilla_appset_applications", { appset: "db" })).toBe(10);
    expect(sampleValue(s, "flotilla_appset_held_deletions", { appset: "db" })).toBe(6);
    expect(sampleValue(s, "flotilla_appset_held_deletions", { appset: "web" })).toBe(0);

    standing = [{ appSet: "web", applications: 4, heldDeletions: 0 }];
    s = parsePrometheusText(await registry.metrics());
    expect(samplesOf(s, "flotilla_appset_applications").map((x) => x.labels["appset"])).toEqual(["web"]);
  });
});
