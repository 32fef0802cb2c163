import type { RouteOptions } from "fastify";
import { describe, expect, it } from "vitest";
import { documentedOperations, openApiPath, operationUrl, registeredRoutes } from "./operations.ts";
import { sampleOf } from "./schema-samples.ts";

const route = (method: string | string[], url: string, extra: Partial<RouteOptions> = {}) =>
  ({ method, url, handler: () => undefined, ...extra }) as RouteOptions;

describe("registeredRoutes", () => {
  it("one row per method, HEAD twins of GETs and hidden routes left out, scopes kept", () => {
    const rows = registeredRoutes([
      route("GET", "/api/v1/clusters/:name", { config: { scope: "read" } }),
      route("HEAD", "/api/v1/clusters/:name"),
      route(["POST", "PATCH"], "/api/v1/clusters/:name", { config: { scope: "admin" } }),
      route("GET", "/openapi.json", { schema: { hide: true } }),
      route("HEAD", "/only-head"),
    ]);
    expect(rows).toEqual([
      { method: "GET", path: "/api/v1/clusters/{name}", scope: "read" },
      { method: "POST", path: "/api/v1/clusters/{name}", scope: "admin" },
      { method: "PATCH", path: "/api/v1/clusters/{name}", scope: "admin" },
      { method: "HEAD", path: "/only-head", scope: undefined },
    ]);
  });

  it("path parameters in the OpenAPI spelling", () => {
    expect(openApiPath("/api/v1/apps/:app/history/:at_time")).toBe("/api/v1/apps/{app}/history/{at_time}");
  });
});

describe("operationUrl", () => {
  it("fills path and required query parameters from their schemas, URL-encoded", () => {
    const [op] = documentedOperations({
      openapi: "3.0.3",
      paths: {
        "/api/v1/apps/{app}": {
          get: {
            parameters: [
              { name: "app", in: "path", required: true, schema: { type: "string", enum: ["a b"] } },
              { name: "cluster", in: "query", required: true, schema: { type: "string" } },
              { name: "limit", in: "query", schema: { type: "integer" } },
            ],
          },
        },
      },
    });
    if (op === undefined) throw new Error("no operation");
    expect(op.method).toBe("GET");
    expect(operationUrl(op, sampleOf)).toBe("/api/v1/apps/a%20b?cluster=sample");
  });
});
