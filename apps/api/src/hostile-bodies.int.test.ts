import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { expect, it } from "vitest";
import { DEFAULT_BODY_LIMIT } from "./server.ts";
import { apiHarness, BOOTSTRAP_TOKEN } from "./testing/api-harness.ts";
import { HOSTILE_MARK, hostileBodies } from "./testing/hostile-bodies.ts";
import { capturedLogger } from "./testing/log-capture.ts";
import {
  bodySchema,
  type DocumentedOperation,
  documentedOperations,
  type JsonSchema,
  type OpenApiDocument,
  operationUrl,
} from "./testing/operations.ts";
import { redisSnapshot } from "./testing/redis-snapshot.ts";
import { sampleOf } from "./testing/schema-samples.ts";
import { validatorCompiler } from "./validation.ts";

/** A kubeconfig whose secrets must never come back in an answer or a log line. */
const KUBECONFIG_SECRET = "s3cr3t-kubeconfig-token";
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: u, user: { token: ${KUBECONFIG_SECRET} } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
current-context: c
`;

// Every operation that takes a JSON body, with bodies made from its own schema: each is a 4xx naming the field
// where one is at fault, never a 500, with Redis under the API's prefix exactly as it was and nothing echoed.
describeWithRedis("hostile bodies on every route that takes one (real server, real Redis)", (redis) => {
  const captured = capturedLogger();
  const api = apiHarness(redis.url, { log: captured.log });
  const validate = validatorCompiler();

  /** The operations with a body, from the document with every $ref resolved, and a body each one accepts. */
  const withBodies = async () => {
    const doc = (await api.call("none", { method: "GET", url: "/openapi.json" })).json() as OpenApiDocument;
    const validator = new Validator({ strict: false });
    expect((await validator.validate(doc as unknown as Record<string, unknown>)).valid).toBe(true);
    const resolved = validator.resolveRefs() as unknown as OpenApiDocument;
    return documentedOperations(resolved).flatMap((o) => {
      const schema = bodySchema(o.operation);
      if (schema === undefined) return [];
      return [{ ...o, name: `${o.method} ${o.path}`, schema, hostile: hostileFor(schema) }];
    });
  };
  /**
   * The hostile bodies for a body schema. A union of objects (a cluster registered by kubeconfig or as an agent)
   * gets each variant's, made from a body valid for that variant; which variant the validator names a field of is
   * its choice, so only the body as a whole is named there.
   */
  const hostileFor = (schema: JsonSchema) => {
    const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
    return (union ?? [schema]).flatMap((variant, n) =>
      hostileBodies({ schema: variant, valid: validBody(variant, schema), bodyLimit: DEFAULT_BODY_LIMIT }).map((b) =>
        union === undefined
          ? b
          : { ...b, why: `${b.why} (variant ${n + 1})`, field: b.field === "body" ? "body" : undefined },
      ),
    );
  };
  /** A body `schema` accepts (with a kubeconfig carrying a secret where one is asked for), or undefined. */
  const validBody = (variant: JsonSchema, schema: JsonSchema): Record<string, unknown> | undefined => {
    const sample = sampleOf(variant);
    if (typeof sample !== "object" || sample === null || Array.isArray(sample)) return undefined;
    const properties = (variant.properties ?? {}) as Record<string, unknown>;
    const body = { ...sample, ...("kubeconfig" in properties && { kubeconfig: KUBECONFIG }) } as Record<
      string,
      unknown
    >;
    const check = validate({ schema, httpPart: "body", method: "POST", url: "/" }) as (v: unknown) => boolean;
    return check(structuredClone(body)) ? body : undefined;
  };
  const send = (o: DocumentedOperation, payload: string, contentType: string) =>
    api.call("admin", {
      method: o.method as "POST",
      url: operationUrl(o, sampleOf),
      payload,
      headers: { "content-type": contentType },
    });

  it("the token routes' bodies are among those covered, made from a valid body", async () => {
    const operations = await withBodies();
    const tokens = operations.find((o) => o.name === "POST /api/v1/tokens");
    const unknown = tokens?.hostile.find((b) => b.why === "an unknown field");
    expect(JSON.parse(unknown?.payload ?? "{}")).toEqual({
      name: "sample",
      scope: "read",
      flotillaUnknownField: HOSTILE_MARK,
    });
    expect(unknown?.field).toBe("body.flotillaUnknownField");
  });

  it("each hostile body is a 4xx with the error body, naming the field where one applies, and changes nothing", async () => {
    const problems: string[] = [];
    let sent = 0;
    for (const o of await withBodies()) {
      const before = await redisSnapshot(api.deps.redis, api.prefix);
      for (const hostile of o.hostile) {
        const res = await send(o, hostile.payload, hostile.contentType);
        sent += 1;
        const what = `${o.name} with ${hostile.why}: ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (res.statusCode < 400 || res.statusCode >= 500) problems.push(`${what} (expected a 4xx)`);
        if (hostile.status !== undefined && res.statusCode !== hostile.status) {
          problems.push(`${what} (expected ${hostile.status})`);
        }
        let body: { error?: unknown; message?: unknown; field?: unknown } = {};
        try {
          body = res.json();
        } catch {
          problems.push(`${what} (not the JSON error body)`);
        }
        if (typeof body.error !== "string" || typeof body.message !== "string") {
          problems.push(`${what} (no error and message)`);
        }
        if (hostile.field !== undefined && body.field !== hostile.field) {
          problems.push(`${what} (expected field ${hostile.field})`);
        }
        if (res.body.includes(HOSTILE_MARK) || res.body.includes(KUBECONFIG_SECRET)) {
          problems.push(`${what} (echoes what was sent)`);
        }
      }
      const after = await redisSnapshot(api.deps.redis, api.prefix);
      if (JSON.stringify([...after]) !== JSON.stringify([...before])) problems.push(`${o.name}: Redis changed`);
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(15);
  }, 300_000);

  it("a valid body is still accepted after all that (the refusals were about the bodies, not the route)", async () => {
    const res = await api.call("admin", {
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "after-hostile", scope: "read" },
    });
    expect(res.statusCode).toBe(201);
  });

  it("no log line carries what the hostile bodies carried, a kubeconfig secret or a token", async () => {
    expect(captured.lines.some((l) => l.includes('"request refused"'))).toBe(true);
    const logs = captured.lines.join("");
    for (const secret of [HOSTILE_MARK, KUBECONFIG_SECRET, api.tokens.admin, api.tokens.read, BOOTSTRAP_TOKEN]) {
      expect(logs).not.toContain(secret);
    }
  });
});
