import { describe, expect, it } from "vitest";
import { TemplateError } from "./errors.ts";
import { hasTemplates, renderFields } from "./render-fields.ts";
import { params } from "./test-params.ts";

const p = params({ name: "prod", "path.basename": "guestbook", evil: "x\nkind: Secret\n{{name}}" });

describe("renderFields", () => {
  it("renders every string leaf and keeps the shape", () => {
    const template = {
      metadata: { name: "{{path.basename}}-{{name}}", labels: { "{{name}}": "{{name}}" } },
      spec: { replicas: 3, prune: true, none: null, options: ["a={{name}}", 1] },
    };
    expect(renderFields(template, p)).toEqual({
      metadata: { name: "guestbook-prod", labels: { "{{name}}": "prod" } },
      spec: { replicas: 3, prune: true, none: null, options: ["a=prod", 1] },
    });
  });

  it("does not modify its input", () => {
    const template = { a: { b: "{{name}}" } };
    renderFields(template, p);
    expect(template).toEqual({ a: { b: "{{name}}" } });
  });

  it("keeps parameter values as plain strings: no YAML injection", () => {
    expect(renderFields({ ns: "{{evil}}" }, p)).toEqual({ ns: "x\nkind: Secret\n{{name}}" });
  });

  it("treats a __proto__ key in the template as data", () => {
    const template = JSON.parse('{"__proto__": {"polluted": "{{name}}"}}') as Record<string, unknown>;
    const out = renderFields(template, p);
    expect(Object.keys(out)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("names the full field path of a failing leaf", () => {
    const template = { spec: { destination: { namespace: "{{foo}}" } }, list: ["ok", "{{bar}}"] };
    expect(() => renderFields(template, p)).toThrow('spec.destination.namespace: missing parameter "foo" in "{{foo}}"');
    expect(() => renderFields({ list: ["ok", "{{bar}}"] }, p, ["spec", "source"])).toThrow(
      'spec.source.list[1]: missing parameter "bar" in "{{bar}}"',
    );
    expect(() => renderFields({ labels: { "a.b/c": "{{bar}}" } }, p)).toThrow(TemplateError);
    expect(() => renderFields({ labels: { "a.b/c": "{{bar}}" } }, p)).toThrow(
      'labels["a.b/c"]: missing parameter "bar"',
    );
  });

  it("caps depth", () => {
    let deep: unknown = "{{name}}";
    for (let i = 0; i < 70; i++) deep = { d: deep };
    expect(() => renderFields(deep, p)).toThrow(/^d\.d\.d.*: value nests deeper than 64 levels in ""$/);
  });
});

describe("hasTemplates", () => {
  it.each([
    [{ a: ["x", { b: "{{y}}" }] }, true],
    [{ a: ["x", { b: "y" }], n: 1 }, false],
    ["{{", true],
    [null, false],
  ])("%j → %s", (value, expected) => {
    expect(hasTemplates(value)).toBe(expected);
  });
});
