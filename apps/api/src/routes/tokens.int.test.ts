import { describeWithRedis } from "@flotilla/testbed/vitest";
import { expect, it } from "vitest";
import { apiHarness } from "../testing/api-harness.ts";

describeWithRedis("API tokens and auth (real Redis)", (redis) => {
  const api = apiHarness(redis.url);

  it("a token made through the API works, is listed without its secret, and stops working once revoked", async () => {
    const made = await api.call("admin", {
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "ci-reader", scope: "read" },
    });
    expect(made.statusCode).toBe(201);
    const { token, record } = made.json() as { token: string; record: { name: string; scope: string } };
    expect(token).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ name: "ci-reader", scope: "read" });

    const listed = await api.call("admin", { method: "GET", url: "/api/v1/tokens" });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(token);
    expect((listed.json() as { items: { name: string }[] }).items.map((t) => t.name)).toContain("ci-reader");
    // The store keeps a digest: the secret is nowhere in Redis.
    const stored = await api.deps.redis.hgetall(api.store.keys.apiTokens);
    expect(JSON.stringify(stored)).not.toContain(token);

    const asReader = { authorization: `Bearer ${token}` };
    expect((await api.app.inject({ method: "GET", url: "/healthz", headers: asReader })).statusCode).toBe(200);
    const revoked = await api.call("admin", { method: "DELETE", url: "/api/v1/tokens/ci-reader" });
    expect(revoked.statusCode).toBe(204);
    const after = await api.app.inject({ method: "GET", url: "/api/v1/tokens", headers: asReader });
    expect(after.statusCode).toBe(401);
  });

  it("no token → 401, read token on an admin route → 403, admin → 2xx, on every token route", async () => {
    const routes = [
      { method: "GET" as const, url: "/api/v1/tokens" },
      { method: "POST" as const, url: "/api/v1/tokens", payload: { name: "matrix", scope: "read" } },
      { method: "DELETE" as const, url: "/api/v1/tokens/matrix" },
    ];
    for (const route of routes) {
      const none = await api.call("none", route);
      expect(none.statusCode, `${route.method} ${route.url} without a token`).toBe(401);
      expect(none.json()).toMatchObject({ error: "Unauthorized" });
      const read = await api.call("read", route);
      expect(read.statusCode, `${route.method} ${route.url} with a read token`).toBe(403);
      expect(read.json()).toMatchObject({ error: "Forbidden" });
      const admin = await api.call("admin", route);
      expect(admin.statusCode, `${route.method} ${route.url} with an admin token`).toBeLessThan(300);
    }
  });

  it("a made-up, malformed or wrongly typed Authorization header is 401 and never echoed", async () => {
    for (const authorization of ["Bearer flt_notatoken", "Basic dXNlcjpwYXNz", "Bearer", "flt_x", "Bearer a b"]) {
      const res = await api.app.inject({ method: "GET", url: "/api/v1/tokens", headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.body).not.toContain("dXNlcjpwYXNz");
      expect(res.body).not.toContain("notatoken");
    }
  });

  it("a second token of the same name is refused (409), and the first keeps working", async () => {
    const first = await api.call("admin", {
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "twice", scope: "admin" },
    });
    expect(first.statusCode).toBe(201);
    const second = await api.call("admin", {
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "twice", scope: "read" },
    });
    expect(second.statusCode).toBe(409);
    const token = (first.json() as { token: string }).token;
    const still = await api.app.inject({
      method: "GET",
      url: "/api/v1/tokens",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(still.statusCode).toBe(200);
  });

  it.each([
    { why: "an unknown field", payload: { name: "x", scope: "read", admin: true }, field: "body.admin" },
    { why: "a wrong type", payload: { name: 42, scope: "read" }, field: "body.name" },
    { why: "a scope that does not exist", payload: { name: "x", scope: "root" }, field: "body.scope" },
    { why: "a missing field", payload: { name: "x" }, field: "body.scope" },
    { why: "a name that is not a name", payload: { name: "../../etc", scope: "read" }, field: "body.name" },
    { why: "an array for an object", payload: [1, 2, 3], field: "body" },
  ])("$why is a 400 naming $field, and makes no token", async ({ payload, field }) => {
    const before = await api.deps.redis.hlen(api.store.keys.apiTokens);
    const res = await api.call("admin", { method: "POST", url: "/api/v1/tokens", payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: "BadRequest", field });
    expect(await api.deps.redis.hlen(api.store.keys.apiTokens)).toBe(before);
  });

  it("hostile bodies: __proto__, constructor.prototype, not JSON, deep nesting, oversized — each a 4xx", async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      api.call("admin", {
        method: "POST",
        url: "/api/v1/tokens",
        payload: body,
        headers: { "content-type": "application/json", ...headers },
      });
    const proto = await post('{"name":"p","scope":"read","__proto__":{"scope":"admin"}}');
    expect(proto.statusCode).toBe(400);
    const ctor = await post('{"name":"p","scope":"read","constructor":{"prototype":{"x":1}}}');
    expect(ctor.statusCode).toBe(400);
    expect((await post("{not json")).statusCode).toBe(400);
    const deep = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
    const nested = await post(deep);
    expect(nested.statusCode).toBeGreaterThanOrEqual(400);
    expect(nested.statusCode).toBeLessThan(500);
    const huge = await post(JSON.stringify({ name: "h", scope: "read", pad: "x".repeat(2 * 1024 * 1024) }));
    expect(huge.statusCode).toBe(413);
    const text = await api.call("admin", {
      method: "POST",
      url: "/api/v1/tokens",
      payload: "name=x",
      headers: { "content-type": "text/plain" },
    });
    expect(text.statusCode).toBe(415);
    expect(await api.store.apiTokens.list()).not.toContainEqual(expect.objectContaining({ name: "p" }));
  });

  it("probes and the OpenAPI document need no token; the document lists the token routes with bearer security", async () => {
    expect((await api.call("none", { method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect((await api.call("none", { method: "GET", url: "/readyz" })).json()).toEqual({
      ready: true,
      checks: { redis: true },
    });
    const doc = (await api.call("none", { method: "GET", url: "/openapi.json" })).json() as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/tokens", "/api/v1/tokens/{name}"]));
    expect(doc.paths["/api/v1/tokens"]?.post?.security).toEqual([{ bearer: [] }]);
  });

  it("an unknown route is a 404 with the error body, not an HTML page", async () => {
    const res = await api.call("admin", { method: "GET", url: "/api/v1/nothing-here" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: "NotFound" });
  });
});
