import { describe, expect, it } from "vitest";
import { CENSORED, censorLogObject } from "./censor.ts";

describe("censorLogObject", () => {
  it("gives back the very object when nothing in it is a secret", () => {
    const line = { appset: "web", ms: { inputs: 1, apply: 2 }, resources: [{ id: "/ConfigMap/ns/a" }] };
    expect(censorLogObject(line)).toBe(line);
  });

  it("censors secret fields at any depth, in arrays too, and leaves the input as it was", () => {
    const line = { cluster: "eu", a: { b: { c: { d: { token: "t" } } } }, users: [{ user: { password: "p" } }] };
    const out = censorLogObject(line) as typeof line;
    expect(out.a.b.c.d.token).toBe(CENSORED);
    expect(out.users[0]?.user.password).toBe(CENSORED);
    expect(out.cluster).toBe("eu");
    expect(line.a.b.c.d.token).toBe("t");
    expect(line.users[0]?.user.password).toBe("p");
  });

  it("censors a name only under the parent that makes it secret", () => {
    const out = censorLogObject({
      user: { "auth-provider": { name: "oidc", config: { "id-token": "x" } } },
      request: { headers: { authorization: "Bearer x", accept: "json" } },
      settings: { config: { replicas: 2 } },
    }) as Record<string, Record<string, Record<string, unknown>>>;
    expect(out["user"]?.["auth-provider"]).toEqual({ name: "oidc", config: CENSORED });
    expect(out["request"]?.["headers"]).toEqual({ authorization: CENSORED, accept: "json" });
    expect(out["settings"]?.["config"]).toEqual({ replicas: 2 });
  });

  it("looks into the err field as pino serializes it: message, stack, own fields and cause", () => {
    const cause = Object.assign(new Error("inner"), { credentials: { token: "deep" } });
    const err = Object.assign(new Error("outer", { cause }), { request: { headers: { Authorization: "x" } } });
    const out = censorLogObject({ err }) as { err: Record<string, unknown> };
    const text = JSON.stringify(out);
    expect(out.err["message"]).toContain("outer");
    expect(out.err["stack"]).toContain("outer");
    expect(text).not.toContain('"deep"');
    expect(text).not.toContain('"x"');
    expect(text).toContain("inner");
  });

  it("an error under another key keeps its message when one of its fields is censored", () => {
    const error = Object.assign(new Error("refused"), { token: "t" });
    const out = censorLogObject({ error }) as { error: Record<string, unknown> };
    expect(out.error).toMatchObject({ type: "Error", message: "refused", token: CENSORED });
  });

  it("stops at cycles and leaves Dates, Buffers and Maps as they are", () => {
    const loop: Record<string, unknown> = { name: "loop" };
    loop["self"] = loop;
    const when = new Date(0);
    const bytes = Buffer.from("abc");
    const line = { loop, when, bytes, map: new Map([["token", "t"]]), secret: "s" };
    const out = censorLogObject(line) as Record<string, unknown>;
    expect((out["loop"] as Record<string, unknown>)["self"]).toBe("[too deep or circular]");
    expect(out["when"]).toBe(when);
    expect(out["bytes"]).toBe(bytes);
    expect(out["secret"]).toBe(CENSORED);
  });
});
