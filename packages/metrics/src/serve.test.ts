import type { IncomingMessage, ServerResponse } from "node:http";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { DRIFT_REVERTED_TOTAL } from "./catalog.ts";
import { counterOf } from "./instruments.ts";
import { createMetricsRegistry } from "./registry.ts";
import { handleMetricsRequest, serveMetrics } from "./serve.ts";
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

/** What a plain http server's response receives, without a socket. */
function response() {
  const sent: { status?: number; headers?: Record<string, string>; body?: string } = {};
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      sent.status = status;
      sent.headers = headers;
      return res;
    },
    end(body?: string) {
      sent.body = body;
      done();
      return res;
    },
  };
  let done: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    done = resolve;
  });
  return { res: res as unknown as ServerResponse, sent, ended };
}

describe("handleMetricsRequest", () => {
  const request = (method: string, url: string) => ({ method, url }) as IncomingMessage;

  it("answers GET /metrics (a query string allowed) and leaves every other request to the server", async () => {
    const registry = createMetricsRegistry();
    counterOf(registry, DRIFT_REVERTED_TOTAL).inc({ cluster: "west" });
    const { res, sent, ended } = response();
    expect(handleMetricsRequest(registry, request("GET", "/metrics?x=1"), res)).toBe(true);
    await ended;
    expect(sent.status).toBe(200);
    expect(sent.headers?.["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sampleValue(parsePrometheusText(sent.body ?? ""), "flotilla_drift_reverted_total")).toBe(1);
    for (const [method, url] of [
      ["POST", "/metrics"],
      ["GET", "/metricsx"],
      ["GET", "/healthz"],
    ] as const) {
      expect(handleMetricsRequest(registry, request(method, url), response().res)).toBe(false);
    }
  });

  it("answers 500 with the reason when the registry cannot be read", async () => {
    const registry = createMetricsRegistry();
    registry.metrics = async () => {
      throw new Error("collector broke");
    };
    const { res, sent, ended } = response();
    expect(handleMetricsRequest(registry, request("GET", "/metrics"), res)).toBe(true);
    await ended;
    expect(sent).toMatchObject({ status: 500, body: "metrics unavailable: collector broke\n" });
  });
});
