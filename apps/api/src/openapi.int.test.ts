import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { expect, it } from "vitest";
import { API_PREFIX } from "./server.ts";
import { apiHarness } from "./testing/api-harness.ts";
import { documentedOperations, type OpenApiDocument, registeredRoutes } from "./testing/operations.ts";

// The OpenAPI document is the API's contract for the CLI, the dashboard and scripts: it must be a valid OpenAPI 3
// document and describe exactly the routes the server answers. Written over whatever is registered, so a route
// added anywhere is covered without an edit here.
describeWithRedis("the OpenAPI document (real server, real Redis)", (redis) => {
  const api = apiHarness(redis.url);
  const fetchDocument = async (): Promise<OpenApiDocument> => {
    const res = await api.call("none", { method: "GET", url: "/openapi.json" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    return res.json() as OpenApiDocument;
  };

  it("is a valid OpenAPI 3 document", async () => {
    const doc = await fetchDocument();
    const validator = new Validator({ strict: false });
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toMatch(/^3\./);
    // The validator does refuse: the same document with one operation broken is invalid.
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, unknown>> };
    broken.paths["/api/v1/tokens"] = { post: { responses: "none" } };
    expect((await new Validator({ strict: false }).validate(broken)).valid).toBe(false);
  });

  it("documents every route the server registers, with its method, and nothing it does not", async () => {
    const doc = await fetchDocument();
    const registered = registeredRoutes(api.routes).map((r) => `${r.method} ${r.path}`);
    const documented = documentedOperations(doc).map((o) => `${o.method} ${o.path}`);
    // The token routes are on main for good; their presence proves the collection itself works.
    expect(registered).toEqual(expect.arrayContaining(["POST /api/v1/tokens", "DELETE /api/v1/tokens/{name}"]));
    expect(registered).toEqual(expect.arrayContaining(["GET /healthz", "GET /readyz"]));
    expect([...documented].sort()).toEqual([...registered].sort());
  });

  it("every operation under /api/v1 declares bearer security, a summary, a tag, and schemas for its 2xx and errors", async () => {
    const doc = await fetchDocument();
    expect(doc.components?.securitySchemes?.bearer).toEqual({ type: "http", scheme: "bearer" });
    const operations = documentedOperations(doc).filter((o) => o.path.startsWith(`${API_PREFIX}/`));
    expect(operations.length).toBeGreaterThanOrEqual(4);
    const problems: string[] = [];
    for (const { method, path, operation } of operations) {
      const name = `${method} ${path}`;
      if (JSON.stringify(operation.security) !== JSON.stringify([{ bearer: [] }])) {
        problems.push(`${name}: security is ${JSON.stringify(operation.security)}, expected [{"bearer":[]}]`);
      }
      if (typeof operation.summary !== "string" || operation.summary.trim() === "")
        problems.push(`${name}: no summary`);
      if ((operation.tags ?? []).length === 0) problems.push(`${name}: no tag`);
      const responses = operation.responses ?? {};
      const success = Object.keys(responses).filter((code) => /^2\d\d$/.test(code));
      if (success.length === 0) problems.push(`${name}: no 2xx response`);
      for (const code of success) {
        const content = responses[code]?.content;
        // A 204 has no body, and so no schema; every other success describes what it sends (JSON, or the event
        // stream's text/event-stream).
        const described = Object.values(content ?? {}).some((media) => media?.schema !== undefined);
        if (code !== "204" && !described) {
          problems.push(`${name}: ${code} has no JSON schema`);
        }
      }
      for (const code of ["400", "401", "403"]) {
        const schema = responses[code]?.content?.["application/json"]?.schema as
          | { properties?: Record<string, unknown>; required?: string[] }
          | undefined;
        if (schema === undefined) problems.push(`${name}: no ${code} response schema`);
        else if (!["error", "message"].every((p) => schema.required?.includes(p) && p in (schema.properties ?? {}))) {
          problems.push(`${name}: the ${code} schema is not the error body { error, message, field? }`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("the probes are public and described, and the document itself is not an operation", async () => {
    const doc = await fetchDocument();
    for (const path of ["/healthz", "/readyz"]) {
      expect(doc.paths[path]?.get?.security).toBeUndefined();
      expect(doc.paths[path]?.get?.responses?.["200"]?.content?.["application/json"]?.schema).toBeDefined();
    }
    expect(doc.paths["/openapi.json"]).toBeUndefined();
  });
});
