import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { DRIFT_REVERTED_TOTAL } from "./catalog.ts";
import { counterOf } from "./instruments.ts";
import { createMetricsRegistry } from "./registry.ts";
import { serveMetrics } from "./serve.ts";
import { parsePrometheusText, sampleValue } from "./text-format.ts";

describe("serveMetrics", () => {
  it("answers GET /metrics in the text format, version 0.0.4, with the registry's series", async () => {
    const registry = createMetricsRegistry();
    counterOf(registry, DRIFT_REVERTED_TOTAL).inc({ cluster: "east" }, 3);
    const app = Fastify();
    serveMetrics(app, registry);
    const res = await app.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const scrape = parsePrometheusText(res.body);
    expect(sampleValue(scrape, "flotilla_drift_reverted_total", { cluster: "east" })).toBe(3);
    expect(scrape.families.get("process_resident_memory_bytes")?.type).toBe("gauge");
    expect((await app.inject({ method: "POST", url: "/metrics" })).statusCode).toBe(404);
    await app.close();
  });

  it("refuses a spec of another kind rather than making the wrong instrument", () => {
    expect(() => counterOf(createMetricsRegistry(), { ...DRIFT_REVERTED_TOTAL, kind: "gauge" })).toThrow(
      "metric flotilla_drift_reverted_total is a gauge, not a counter",
    );
  });
});
