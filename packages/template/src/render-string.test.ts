import { describe, expect, it } from "vitest";
import { TemplateError } from "./errors.ts";
import { renderString } from "./render-string.ts";
import { params } from "./test-params.ts";

const p = params({
  name: "prod-eu",
  server: "https://prod-eu.example",
  path: "apps/guestbook",
  "path.basename": "guestbook",
  "path[0]": "apps",
  "path[1]": "guestbook",
  "path.segments": ["apps", "guestbook"],
  "metadata.labels.env": "prod",
  "values.ns": "team-a",
  replicas: 3,
  enabled: false,
  empty: null,
  "a-b": "dash",
  cfg: params({ owner: "ops", tier: "gold" }),
  items: [params({ id: "x" }), params({ id: "y" })],
});

function render(template: string): string {
  return renderString(template, p, { fieldPath: "spec.destination.namespace" });
}

describe("renderString", () => {
  it.each([
    ["no template", "plain text", "plain text"],
    ["flat dotted key", "{{metadata.labels.env}}", "prod"],
    ["string key next to its dotted children", "{{path}} {{path.basename}}", "apps/guestbook guestbook"],
    ["Argo's path[n]", "{{path[0]}}/{{path[1]}}", "apps/guestbook"],
    ["path[n] as a helper argument", "{{upper path[1]}}", "GUESTBOOK"],
    ["path[n] stays literal in strings", '{{default values.none "path[0]"}}', "path[0]"],
    ["concatenation", "{{path.basename}}-{{name}}", "guestbook-prod-eu"],
    ["triple stash, no escaping", "{{{name}}}&{{server}}", "prod-eu&https://prod-eu.example"],
    ["no HTML escaping", "{{default values.none \"<a href='x'>&</a>\"}}", "<a href='x'>&</a>"],
    ["number", "{{replicas}}", "3"],
    ["false", "{{enabled}}", "false"],
    ["numbers and booleans are joined as text, not added", "{{replicas}}{{replicas}}{{enabled}}", "33false"],
    ["helper results are joined as text", "{{#if true}}{{replicas}}{{enabled}}{{eq 1 1}}{{/if}}", "3falsetrue"],
    ["null renders empty", "[{{empty}}]", "[]"],
    ["key with a dash", "{{a-b}}", "dash"],
    ["each over a list param", "{{#each path.segments}}<{{this}}>{{/each}}", "<apps><guestbook>"],
    ["each over a map param", "{{#each cfg}}{{@key}}={{this}};{{/each}}", "owner=ops;tier=gold;"],
    ["nested keys inside each walk the element", "{{#each items}}{{id}}{{/each}}", "xy"],
    ["../ back to the flat root", "{{#each items}}{{../metadata.labels.env}}-{{id}} {{/each}}", "prod-x prod-y "],
    ["@root", "{{#each items}}{{@root.path.basename}}{{/each}}", "guestbookguestbook"],
    ["with", "{{#with cfg}}{{owner}}@{{../name}}{{/with}}", "ops@prod-eu"],
    ["if on a missing key is false", "{{#if values.none}}yes{{else}}no{{/if}}", "no"],
    ["unless", "{{#unless enabled}}off{{/unless}}", "off"],
    ["if inside each keeps the element context", "{{#each items}}{{#if id}}{{id}}{{/if}}{{/each}}", "xy"],
    ["comments", "{{! hidden }}{{!-- {{nope}} --}}{{name}}", "prod-eu"],
    ["escaped mustache", "\\{{name}}", "{{name}}"],
    ["whitespace control", "a {{~name~}} b", "aprod-eub"],
    ["sub-expression", "{{upper (default values.none name)}}", "PROD-EU"],
    ["lookup of a flat key", '{{lookup this "metadata.labels.env"}}', "prod"],
  ])("%s", (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it.each([
    ["missing key", "{{foo}}", 'spec.destination.namespace: missing parameter "foo" in "{{foo}}"'],
    [
      "missing dotted key is not walked",
      "{{metadata.labels.region}}",
      'spec.destination.namespace: missing parameter "metadata.labels.region" in "{{metadata.labels.region}}"',
    ],
    [
      "missing key in a helper argument",
      "{{lower values.region}}",
      'spec.destination.namespace: missing parameter "values.region" in "{{lower values.region}}"',
    ],
    [
      "missing key in a hash argument",
      "{{#each items key=nope}}{{/each}}",
      'spec.destination.namespace: missing parameter "nope" in "{{#each items key=nope}}{{/each}}"',
    ],
    [
      "missing key inside each",
      "{{#each items}}{{nope}}{{/each}}",
      'spec.destination.namespace: missing parameter "nope" in "{{#each items}}{{nope}}{{/each}}"',
    ],
    [
      "missing key through ../",
      "{{#each items}}{{../nope}}{{/each}}",
      'spec.destination.namespace: missing parameter "nope" in "{{#each items}}{{../nope}}{{/each}}"',
    ],
    ["missing path segment", "{{path[7]}}", 'spec.destination.namespace: missing parameter "path[7]" in "{{path[7]}}"'],
    [
      "unknown helper",
      "{{nohelper name}}",
      'spec.destination.namespace: unknown helper "nohelper" in "{{nohelper name}}"',
    ],
    [
      "map rendered as text",
      "{{cfg}}",
      'spec.destination.namespace: a map cannot be used as text here; render it with toJson, toYaml or #each in "{{cfg}}"',
    ],
    [
      "unclosed mustache",
      "ab\n  {{name",
      "spec.destination.namespace: syntax error at line 2, column 5: expecting 'ID', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', 'NULL', 'DATA', got 'INVALID' in \"ab {{name\"",
    ],
    [
      "mismatched block",
      "{{#if name}}x{{/each}}",
      'spec.destination.namespace: syntax error at line 1, column 4: if doesn\'t match each in "{{#if name}}x{{/each}}"',
    ],
    ["partials", "{{> other}}", 'spec.destination.namespace: partials are not supported in "{{> other}}"'],
    [
      "inline partials (could recurse)",
      '{{#*inline "a"}}{{> a}}{{/inline}}{{> a}}',
      'spec.destination.namespace: decorators are not supported in "{{#*inline \\"a\\"}}{{> a}}{{/inline}}{{> a}}"',
    ],
  ])("%s is an error", (_, template, message) => {
    expect(() => render(template)).toThrow(TemplateError);
    expect(() => render(template)).toThrow(message);
    try {
      render(template);
    } catch (err) {
      expect((err as Error).message).toBe(message);
    }
  });

  it("carries field path, template and reason separately", () => {
    try {
      render("{{foo}}");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError);
      const e = err as TemplateError;
      expect([e.fieldPath, e.template, e.reason]).toEqual([
        "spec.destination.namespace",
        "{{foo}}",
        'missing parameter "foo"',
      ]);
    }
  });

  it.each([
    ["{{nope}}", "MissingParameter"],
    ["{{#each list}}{{nope}}{{/each}}", "MissingParameter"],
    ["{{frobnicate name}}", "UnknownHelper"],
    ["{{#if}}", "InvalidTemplate"],
    ["{{name", "InvalidTemplate"],
  ])("says why %s failed with a code callers can branch on: %s", (template, code) => {
    try {
      renderString(template, { name: "x", list: [1] } as never);
    } catch (err) {
      expect((err as TemplateError).code).toBe(code);
      return;
    }
    throw new Error("expected a TemplateError");
  });

  it("truncates long templates in messages", () => {
    const template = `{{foo}}${"x".repeat(500)}`;
    expect(() => renderString(template, p)).toThrow(`missing parameter "foo" in "{{foo}}${"x".repeat(72)}…"`);
  });

  it("a template that failed to compile fails the same way from the cache", () => {
    expect(() => render("{{#if}}")).toThrow("syntax error");
    expect(() => renderString("{{#if}}", p, { fieldPath: "other" })).toThrow(/^other: syntax error/);
  });

  it("renders the same through the fast path and through Handlebars", () => {
    for (const template of ["{{path.basename}}-{{name}}", "{{replicas}}{{enabled}}[{{empty}}]", "{{path[0]}}"]) {
      // Wrapping in a no-op block forces the Handlebars runtime.
      expect(render(`{{#if true}}${template}{{/if}}`)).toBe(render(template));
    }
  });
});

describe("prototype safety", () => {
  const hostile = params({ ["__proto__"]: "data", constructor: "ctor", prototype: "proto", list: ["a"] });

  it.each([
    ["{{__proto__}}", "data"],
    ["{{constructor}}", "ctor"],
    ["{{prototype}}", "proto"],
    ['{{lookup this "__proto__"}}', "data"],
  ])("keys named like prototype members are plain data: %s", (template, expected) => {
    expect(renderString(template, hostile)).toBe(expected);
  });

  it.each([
    ["{{constructor}}", 'missing parameter "constructor"'],
    ["{{__proto__}}", 'missing parameter "__proto__"'],
    ["{{toString}}", 'missing parameter "toString"'],
    ["{{this.constructor.name}}", 'missing parameter "constructor.name"'],
    ['{{lookup this "constructor"}}', 'missing parameter "constructor"'],
    ['{{lookup path.segments "constructor"}}', 'missing parameter "constructor"'],
    ["{{#each path.segments}}{{this.constructor}}{{/each}}", 'missing parameter "constructor"'],
    ["{{#with cfg}}{{constructor.constructor}}{{/with}}", 'missing parameter "constructor"'],
    ["{{#each items}}{{__proto__.polluted}}{{/each}}", 'missing parameter "polluted"'],
    ['{{#with (lookup cfg "constructor")}}{{/with}}', 'missing parameter "constructor"'],
  ])("templates cannot reach prototypes: %s", (template, reason) => {
    expect(() => renderString(template, p)).toThrow(reason);
  });

  it("rendering leaves Object.prototype untouched", () => {
    for (const t of ["{{__proto__}}", '{{lookup this "__proto__"}}']) renderString(t, hostile);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.getPrototypeOf(hostile)).toBeNull();
  });
});

describe("limits against hostile templates", () => {
  const big = params({ xs: Array.from({ length: 1000 }, (_, i) => i) });

  it("caps template size", () => {
    expect(() => renderString(`{{x}}${"y".repeat(70_000)}`, big)).toThrow(
      /^template is 70005 bytes; at most 65536 allowed in "/,
    );
  });

  it("caps loop iterations across nested each", () => {
    expect(() => renderString("{{#each xs}}{{#each ../xs}}{{/each}}{{/each}}", big)).toThrow(
      "template loops more than 100000 times",
    );
  });

  it("caps output size", () => {
    const wide = params({ s: "x".repeat(10_000), xs: Array.from({ length: 200 }, (_, i) => i) });
    expect(() => renderString("{{#each xs}}{{@root.s}}{{/each}}", wide)).toThrow(
      "template output exceeds 1048576 bytes",
    );
    expect(() => renderString("{{#each xs}}{{@root.s}}{{/each}}", wide, { limits: { maxOutputBytes: 5000 } })).toThrow(
      "template output exceeds 5000 bytes",
    );
  });

  it("caps helper output", () => {
    const s = params({ s: "x".repeat(100_000) });
    expect(() => renderString('{{replace s "x" "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}}', s)).toThrow(
      'helper "replace" output exceeds 1048576 bytes',
    );
  });

  it("caps block nesting", () => {
    const deep = `${"{{#if name}}".repeat(20)}x${"{{/if}}".repeat(20)}`;
    expect(() => renderString(deep, p)).toThrow("template nests blocks deeper than 16 levels");
    const sexpr = `{{lower ${"(lower ".repeat(20)}name${")".repeat(20)}}}`;
    expect(() => renderString(sexpr, p)).toThrow("template nests blocks deeper than 16 levels");
  });

  it("renders huge parameter values without trouble", () => {
    const huge = params({ s: "z".repeat(500_000) });
    expect(renderString("{{s}}", huge)).toHaveLength(500_000);
  });
});
