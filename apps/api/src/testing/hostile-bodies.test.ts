import { describe, expect, it } from "vitest";
import { HOSTILE_MARK, hostileBodies } from "./hostile-bodies.ts";

const schema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: { name: { type: "string" }, replicas: { type: "integer" } },
};

describe("hostileBodies", () => {
  const bodies = hostileBodies({ schema, valid: { name: "web" }, bodyLimit: 1000, depth: 50 });
  const byWhy = (why: string) => {
    const found = bodies.find((b) => b.why === why);
    if (found === undefined) throw new Error(`no body "${why}" among ${bodies.map((b) => b.why).join(", ")}`);
    return found;
  };

  it("changes one thing in a valid body and names the field it breaks", () => {
    expect(JSON.parse(byWhy("an unknown field").payload)).toEqual({ name: "web", flotillaUnknownField: HOSTILE_MARK });
    expect(byWhy("an unknown field").field).toBe("body.flotillaUnknownField");
    expect(JSON.parse(byWhy("a wrong type for replicas").payload)).toEqual({
      name: "web",
      replicas: "s3cr3t-wrong-type",
    });
    expect(byWhy("a wrong type for name")).toMatchObject({ status: 400, field: "body.name" });
    expect(byWhy("an array for an object")).toMatchObject({ payload: '[{"name":"web"}]', field: "body" });
  });

  it("writes the keys JSON.stringify would not, and depths as asked", () => {
    const proto = byWhy("a __proto__ key").payload;
    expect(proto.startsWith('{"__proto__":{"admin":true')).toBe(true);
    expect(proto.endsWith(',"name":"web"}')).toBe(true);
    expect(byWhy("a constructor.prototype key").payload).toContain('"constructor":{"prototype"');
    const deep = byWhy("nesting 50 levels deep").payload;
    expect(deep.match(/\{"a":/g)).toHaveLength(50);
    expect(() => JSON.parse(deep)).not.toThrow();
    const deepMember = JSON.parse(byWhy("replicas nested 50 levels deep").payload) as Record<string, unknown>;
    expect(deepMember.name).toBe("web");
    expect(typeof deepMember.replicas).toBe("object");
  });

  it("the oversized body is over the limit, and bodies that are not JSON are not", () => {
    expect(byWhy("a body over the limit").payload.length).toBeGreaterThan(2000);
    expect(byWhy("a body over the limit").status).toBe(413);
    expect(() => JSON.parse(byWhy("a body that is not JSON").payload)).toThrow();
    expect(byWhy("an empty body").payload).toBe("");
    expect(byWhy("a text body")).toMatchObject({ contentType: "text/plain", status: 415 });
  });

  it("names no field when no valid body could be made (another member may be the first fault)", () => {
    const blind = hostileBodies({ schema, valid: undefined, bodyLimit: 1000, depth: 5 });
    expect(blind.find((b) => b.why === "an unknown field")?.field).toBeUndefined();
    expect(blind.find((b) => b.why === "an array for an object")?.field).toBe("body");
  });
});
