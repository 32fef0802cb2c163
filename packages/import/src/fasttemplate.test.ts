import { newParams, type Params } from "@flotilla/core";
import { renderString } from "@flotilla/template";
import { describe, expect, it } from "vitest";
import { ConversionError } from "./conversion-error.ts";
import { convertFastTemplate } from "./fasttemplate.ts";
import type { ParamScope } from "./param-scope.ts";

const clusters: ParamScope = { gitPrefixes: [], openKeys: false, clusters: true };
const p = Object.assign(newParams(), {
  name: "prod",
  server: "https://prod:6443",
  "metadata.labels.env": "prod-env",
  "metadata.labels.app.kubernetes.io/part-of": "shop",
  "values.tier": "gold",
  path: "apps/web",
  "path.basename": "web",
  "path[0]": "apps",
  "path[1]": "web",
  "1st": "one",
  true: "yes",
}) as Params;

describe("convertFastTemplate", () => {
  it.each([
    ["{{name}}-guestbook", "{{name}}-guestbook", "prod-guestbook"],
    ["{{ name }}", "{{name}}", "prod"],
    ["{{server}}", "{{server}}", "https://prod:6443"],
    ["{{metadata.labels.env}}", "{{metadata.labels.env}}", "prod-env"],
    ["{{metadata.labels.app.kubernetes.io/part-of}}", "{{[metadata.labels.app.kubernetes.io/part-of]}}", "shop"],
    ["{{values.tier}}", "{{values.tier}}", "gold"],
    ["{{path}}/{{path.basename}}", "{{path}}/{{path.basename}}", "apps/web/web"],
    ["{{path[0]}}-{{path[1]}}", "{{path[0]}}-{{path[1]}}", "apps-web"],
    ["{{1st}}", "{{[1st]}}", "one"],
    ["{{true}}", "{{[true]}}", "yes"],
    ["{a: {{name}}}", '{a: {{name}}{{trim "}"}}', "{a: prod}"],
    ["no templates } here", "no templates } here", "no templates } here"],
  ])("%s → %s", (fast, handlebars, rendered) => {
    const converted = convertFastTemplate(fast, clusters);
    expect(converted).toBe(handlebars);
    expect(renderString(converted, p)).toBe(rendered);
  });

  it.each([
    ["x {{#each list}}y{{/each}}", 2, "not a parameter name"],
    ["{{> partial}}", 0, "not a parameter name"],
    ["{{lookup . 'x'}}", 0, "not a parameter name"],
    ["{{}}", 0, "not a parameter name"],
    ["{{{name}}}", 0, "not a parameter name"],
    ["ab {{name", 3, "no closing }}"],
    ["\\{{name}}", 0, "a backslash right before {{"],
    ["{{project}}", 0, "Flotilla has no AppProjects"],
    ["{{a]b}}", 0, "cannot be written in a Flotilla template"],
  ])("refuses %s", (fast, offset, reason) => {
    let caught: unknown;
    try {
      convertFastTemplate(fast, clusters);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConversionError);
    expect((caught as ConversionError).message).toContain(reason);
    expect((caught as ConversionError).offset).toBe(offset);
  });

  it("neutralises Handlebars-looking names: they become literal keys, not code", () => {
    expect(convertFastTemplate("{{@root}}", clusters)).toBe("{{[@root]}}");
    expect(convertFastTemplate("{{../../etc}}", clusters)).toBe("{{[../../etc]}}");
    expect(() => renderString(convertFastTemplate("{{__proto__}}", clusters), p)).toThrow(/missing parameter/);
  });

  it("quotes a huge expression short in its message", () => {
    const huge = `{{${"#".repeat(100_000)} x}}`;
    expect(() => convertFastTemplate(huge, clusters)).toThrow(ConversionError);
    try {
      convertFastTemplate(huge, clusters);
    } catch (err) {
      expect((err as Error).message.length).toBeLessThan(300);
    }
  });
});
