import { randomBytes } from "node:crypto";
import { parsePrometheusText, samplesOf, sampleValue } from "@flotilla/metrics";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ApiService, startApiService } from "./service.ts";

const TOKEN = "metrics-test-bootstrap-token-0123";

describeWithRedis("the API's /metrics (the real service on real Redis, over HTTP)", (redis) => {
  let service: ApiService;
  let base: string;

  beforeAll(async () => {
    service = await startApiService(
      {
        port: 0,
        host: "127.0.0.1",
        redis: { url: redis.url, prefix: `t:${randomBytes(6).toString("hex")}:`, skipPolicyCheck: false },
        bootstrapToken: TOKEN,
        encryptionKey: undefined,
        allowLocalRepos: false,
        repoCacheDir: undefined,
        gitCredentialsFile: undefined,
      },
      pino({ level: "silent" }),
    );
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service.stop();
  });

  it("serves process metrics and each request's duration by method, route pattern and status, without a token", async () => {
    const admin = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${base}/api/v1/tokens`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/tokens`, { headers: admin })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/tokens`, { headers: admin })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/tokens/nobody`, { method: "DELETE", headers: admin })).status).toBe(404);
    expect((await fetch(`${base}/api/v1/no-such-route/abc123`, { headers: admin })).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = parsePrometheusText(await res.text());
    const count = (labels: Record<string, string>) => sampleValue(s, "flotilla_api_request_seconds_count", labels);
    expect(count({ method: "GET", route: "/api/v1/tokens", status: "401" })).toBe(1);
    expect(count({ method: "GET", route: "/api/v1/tokens", status: "200" })).toBe(2);
    expect(count({ method: "DELETE", route: "/api/v1/tokens/:name", status: "404" })).toBe(1);
    expect(count({ method: "GET", route: "unmatched", status: "404" })).toBe(1);
    expect(
      sampleValue(s, "flotilla_api_request_seconds_sum", { route: "/api/v1/tokens", status: "200" }),
    ).toBeGreaterThan(0);
    // No path, token or object name ever becomes a label value; scrapes are not timed.
    const routes = samplesOf(s, "flotilla_api_request_seconds_count").map((x) => x.labels["route"]);
    expect(routes.some((r) => r?.includes("abc123") || r?.includes("nobody") || r === "/metrics")).toBe(false);
    expect(s.families.get("flotilla_api_request_seconds")?.type).toBe("histogram");
    expect(sampleValue(s, "process_resident_memory_bytes")).toBeGreaterThan(1_000_000);
  });

  it("keeps /metrics out of the OpenAPI document", async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain("/api/v1/tokens");
    expect(Object.keys(doc.paths)).not.toContain("/metrics");
  });
});
