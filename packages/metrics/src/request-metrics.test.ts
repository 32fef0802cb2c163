import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { createMetricsRegistry } from "./registry.ts";
import { observeRequests } from "./request-metrics.ts";
import { serveMetrics } from "./serve.ts";
import { parsePrometheusText, samplesOf, sampleValue } from "./text-format.ts";

describe("observeRequests", () => {
  it("times requests by method, route pattern and status; unmatched paths share one label; scrapes are left out", async () => {
    const registry = createMetricsRegistry();
    const app = Fastify();
    app.get("/api/v1/appsets/:name", async (req, reply) =>
      (req.params as { name: string }).name === "missing" ? reply.code(404).send({ error: "no such" }) : { ok: true },
    );
    observeRequests(app, registry);
    app.post("/api/v1/appsets/:name/sync", async (_req, reply) => reply.code(202).send({}));
    serveMetrics(app, registry);

    for (const url of ["/api/v1/appsets/web", "/api/v1/appsets/db", "/api/v1/appsets/missing"]) {
      await app.inject({ method: "GET", url });
    }
    await app.inject({ method: "POST", url: "/api/v1/appsets/web/sync" });
    await app.inject({ method: "GET", url: "/wp-admin/../../etc/passwd" });
    await app.inject({ method: "GET", url: "/no/such/thing" });
    await app.inject({ method: "GET", url: "/metrics" });

    const s = parsePrometheusText((await app.inject({ method: "GET", url: "/metrics" })).body);
    const count = (labels: Record<string, string>) => sampleValue(s, "flotilla_api_request_seconds_count", labels);
    expect(count({ method: "GET", route: "/api/v1/appsets/:name", status: "200" })).toBe(2);
    expect(count({ method: "GET", route: "/api/v1/appsets/:name", status: "404" })).toBe(1);
    expect(count({ method: "POST", route: "/api/v1/appsets/:name/sync", status: "202" })).toBe(1);
    expect(count({ method: "GET", route: "unmatched", status: "404" })).toBe(2);
    expect(samplesOf(s, "flotilla_api_request_seconds_count", { route: "/metrics" })).toEqual([]);
    const routes = new Set(samplesOf(s, "flotilla_api_request_seconds_count").map((x) => x.labels["route"]));
    expect([...routes].sort()).toEqual(["/api/v1/appsets/:name", "/api/v1/appsets/:name/sync", "unmatched"]);
    await app.close();
  });
});
