import { randomBytes } from "node:crypto";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { expect, it } from "vitest";
import { apiHarness, BOOTSTRAP_TOKEN } from "./testing/api-harness.ts";
import { capturedLogger } from "./testing/log-capture.ts";
import {
  bodySchema,
  type DocumentedOperation,
  documentedOperations,
  MUTATING_METHODS,
  type OpenApiDocument,
  operationUrl,
  registeredRoutes,
} from "./testing/operations.ts";
import { redisSnapshot } from "./testing/redis-snapshot.ts";
import { sampleOf } from "./testing/schema-samples.ts";

/**
 * POST routes that only read: they take a file to compare or expand and store nothing. A POST/PUT/PATCH/DELETE
 * that declares the read scope must be listed here (a conscious choice), and is checked to leave Redis as it was.
 */
const READ_ONLY_MUTATIONS: ReadonlySet<string> = new Set(["POST /api/v1/appsets/diff", "POST /api/v1/appsets/preview"]);

// The auth matrix on every operation the document lists, from the document and the scope each route declares, so a
// route added by anyone is covered: no token 401, a made-up token 401, a read token on an admin route 403.
describeWithRedis("the auth matrix on every route (real server, real Redis)", (redis) => {
  const captured = capturedLogger();
  const api = apiHarness(redis.url, { log: captured.log });
  const madeUp = `flt_${randomBytes(32).toString("base64url")}`;

  const secured = async () => {
    const doc = (await api.call("none", { method: "GET", url: "/openapi.json" })).json() as OpenApiDocument;
    const scopes = new Map(registeredRoutes(api.routes).map((r) => [`${r.method} ${r.path}`, r.scope]));
    const operations = documentedOperations(doc).filter((o) => o.operation.security !== undefined);
    return operations.map((o) => ({ ...o, name: `${o.method} ${o.path}`, scope: scopes.get(`${o.method} ${o.path}`) }));
  };
  const request = (o: DocumentedOperation) => {
    const body = bodySchema(o.operation);
    return {
      method: o.method as "GET",
      url: operationUrl(o, sampleOf),
      ...(body !== undefined && { payload: JSON.stringify(sampleOf(body) ?? {}) }),
      headers: { "content-type": "application/json" },
    };
  };

  /** Whether an operation answers with an event stream, which stays open: it is called over HTTP and let go. */
  const streams = (o: DocumentedOperation) =>
    Object.values(o.operation.responses ?? {}).some((r) => r?.content?.["text/event-stream"] !== undefined);
  /**
   * A call as `who`. A stream's call returns its status and what it sent first (headers, the `retry:` line), then
   * is closed; `inject` would wait for its end.
   */
  const call = async (who: "none" | "read" | "admin", o: DocumentedOperation) => {
    if (!streams(o)) return api.call(who, request(o));
    const token = who === "none" ? undefined : api.tokens[who];
    const abort = new AbortController();
    const res = await fetch(`${api.url}${request(o).url}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      signal: abort.signal,
    });
    const reader = res.body?.getReader();
    const first = reader === undefined ? undefined : await reader.read();
    abort.abort();
    const body = first?.value === undefined ? "" : new TextDecoder().decode(first.value);
    return { statusCode: res.status, body, json: () => JSON.parse(body) as unknown };
  };

  it("the document's security and the routes' declared scopes agree", async () => {
    const operations = await secured();
    expect(operations.map((o) => o.name)).toEqual(
      expect.arrayContaining(["POST /api/v1/tokens", "GET /api/v1/tokens", "DELETE /api/v1/tokens/{name}"]),
    );
    expect(operations.filter((o) => o.scope !== "read" && o.scope !== "admin").map((o) => o.name)).toEqual([]);
    // And the other way: a route that needs a token says so in the document, so clients know to send one.
    const documented = new Set(operations.map((o) => o.name));
    const undocumented = registeredRoutes(api.routes)
      .filter((r) => r.scope !== undefined && !documented.has(`${r.method} ${r.path}`))
      .map((r) => `${r.method} ${r.path}`);
    expect(undocumented).toEqual([]);
  });

  it("no token → 401 and a made-up token → 401 on every operation, before anything is read or changed", async () => {
    const before = await redisSnapshot(api.deps.redis, api.prefix);
    for (const o of await secured()) {
      const none = await call("none", o);
      expect(none.statusCode, `${o.name} without a token`).toBe(401);
      expect(none.json(), o.name).toMatchObject({ error: "Unauthorized", message: expect.any(String) });
      const forged = await api.app.inject({
        ...request(o),
        headers: { "content-type": "application/json", authorization: `Bearer ${madeUp}` },
      });
      expect(forged.statusCode, `${o.name} with a made-up token`).toBe(401);
      expect(forged.body).not.toContain(madeUp);
    }
    expect(await redisSnapshot(api.deps.redis, api.prefix)).toEqual(before);
  });

  it("a read token: 403 on every admin operation (nothing changed), answered on every read operation", async () => {
    const before = await redisSnapshot(api.deps.redis, api.prefix);
    for (const o of await secured()) {
      const res = await call("read", o);
      if (o.scope === "admin") {
        expect(res.statusCode, `${o.name} with a read token`).toBe(403);
        expect(res.json(), o.name).toMatchObject({ error: "Forbidden", message: expect.stringContaining("admin") });
      } else {
        expect([401, 403], `${o.name} with a read token answered ${res.statusCode}`).not.toContain(res.statusCode);
        expect(res.statusCode, `${o.name}: ${res.body}`).toBeLessThan(500);
      }
    }
    // Read operations included: a read token changes nothing, whatever it calls.
    expect(await redisSnapshot(api.deps.redis, api.prefix)).toEqual(before);
  });

  it("every POST/PUT/PATCH/DELETE declares admin, unless it is a listed read (which changes nothing)", async () => {
    const mutating = (await secured()).filter((o) => MUTATING_METHODS.has(o.method));
    expect(mutating.length).toBeGreaterThanOrEqual(2);
    const unlisted = mutating.filter((o) => o.scope !== "admin" && !READ_ONLY_MUTATIONS.has(o.name));
    expect(unlisted.map((o) => `${o.name} declares ${o.scope}`)).toEqual([]);
    for (const o of mutating.filter((m) => READ_ONLY_MUTATIONS.has(m.name))) {
      expect(o.scope, `${o.name} only reads, so a read token may call it`).toBe("read");
    }
  });

  it("no token of any kind appears in a response or a log line", async () => {
    for (const o of await secured()) {
      for (const who of ["none", "read", "admin"] as const) {
        const res = await call(who, o);
        for (const secret of [api.tokens.read, api.tokens.admin, BOOTSTRAP_TOKEN, madeUp]) {
          expect(res.body, `${o.name} as ${who}`).not.toContain(secret);
        }
      }
    }
    // The run logged (requests, refusals, token creation), so the check below reads real lines.
    expect(captured.lines.length).toBeGreaterThan(10);
    const logs = captured.lines.join("");
    for (const secret of [api.tokens.read, api.tokens.admin, BOOTSTRAP_TOKEN, madeUp]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toMatch(/authorization/i);
  });
});
