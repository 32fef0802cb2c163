import { describe, expect, it } from "vitest";
import { renderString } from "./render-string.ts";
import { params } from "./test-params.ts";

const p = params({
  name: "Prod_EU",
  s: "  padded  ",
  n: 5,
  yes: true,
  list: ["a", "b", "c"],
  maps: [params({ k: "v" })],
  cfg: params({ owner: "ops", tier: "gold" }),
  "values.replicas": "3",
  emptyText: "",
  zero: 0,
});
const r = (template: string) => renderString(template, p);

describe("helpers", () => {
  it.each([
    ['{{default values.replicas "1"}}', "3"],
    ['{{default values.missing "1"}}', "1"],
    ['{{default emptyText "fallback"}}', "fallback"],
    ['{{default zero "fallback"}}', "0"],
    ["{{lower name}}", "prod_eu"],
    ["{{upper name}}", "PROD_EU"],
    ["{{trim s}}", "padded"],
    ['{{trimPrefix name "Prod_"}}', "EU"],
    ['{{trimSuffix name "_EU"}}', "Prod"],
    ['{{trimPrefix name "nope"}}', "Prod_EU"],
    ["{{trunc name 4}}", "Prod"],
    ["{{trunc name -2}}", "EU"],
    ["{{trunc name 100}}", "Prod_EU"],
    ['{{trunc name "3"}}', "Pro"],
    ['{{replace name "_" "-"}}', "Prod-EU"],
    ['{{replace "a.b.c" "." "/"}}', "a/b/c"],
    ["{{quote name}}", '"Prod_EU"'],
    ['{{quote "say \\"hi\\""}}', '"say \\"hi\\""'],
    ["{{toJson cfg}}", '{"owner":"ops","tier":"gold"}'],
    ["{{toJson list}}", '["a","b","c"]'],
    ["{{toJson n}}", "5"],
    ["{{toYaml cfg}}", "owner: ops\ntier: gold"],
    ["{{toYaml list}}", "- a\n- b\n- c"],
    ["{{join list}}", "a,b,c"],
    ['{{join list "/"}}', "a/b/c"],
    ['{{join (split "x-y-z" "-") "+"}}', "x+y+z"],
    ["{{normalize name}}", "prod-eu"],
    ['{{normalize "--Hello, World!!--"}}', "hello-world"],
    // Argo CD's SanitizeName: runs are not collapsed, dots stay.
    ['{{sanitize "--Hello, World.eu!!--"}}', "hello--world.eu"],
    ["{{sanitize name}}", "prod-eu"],
    ["{{shortHash name}}", "51006711"],
    ["{{shortHash name 12}}", "51006711877e"],
    ["{{b64enc name}}", "UHJvZF9FVQ=="],
    ['{{b64dec "UHJvZF9FVQ=="}}', "Prod_EU"],
    ["{{#if (eq n 5)}}five{{/if}}", "five"],
    ["{{#if (ne n 5)}}x{{else}}same{{/if}}", "same"],
    ["{{#if (not yes)}}x{{else}}y{{/if}}", "y"],
    ["{{#if (and yes n)}}both{{/if}}", "both"],
    ["{{#if (or zero emptyText)}}x{{else}}neither{{/if}}", "neither"],
    ['{{#if (contains name "_E")}}has{{/if}}', "has"],
    ['{{#if (hasPrefix name "Prod")}}p{{/if}}{{#if (hasSuffix name "EU")}}s{{/if}}', "ps"],
    ["{{index list 1}}", "b"],
    ['{{index cfg "tier"}}', "gold"],
    ['{{lookup cfg "owner"}}', "ops"],
    ["{{#each maps}}{{k}}{{/each}}", "v"],
  ])("%s", (template, expected) => {
    expect(r(template)).toBe(expected);
  });

  it.each([
    ["{{lower}}", 'helper "lower": expected 1 argument(s), got 0'],
    ["{{lower name name}}", 'helper "lower": expected 1 argument(s), got 2'],
    ["{{lower cfg}}", 'helper "lower": argument 1 must be text, got a map'],
    ["{{upper list}}", 'helper "upper": argument 1 must be text, got a list'],
    ['{{trunc name "x"}}', 'helper "trunc": argument 2 must be an integer, got string "x"'],
    ["{{trunc name 1.5}}", 'helper "trunc": argument 2 must be an integer, got number 1.5'],
    ['{{replace name "" "x"}}', 'helper "replace": argument 2 must not be empty'],
    ["{{join name}}", 'helper "join": argument 1 must be a list, got string "Prod_EU"'],
    ["{{join maps}}", 'helper "join": argument 1[0] must be text, got a map'],
    ["{{index list 7}}", 'missing parameter "7"'],
    ['{{lookup cfg "nope"}}', 'missing parameter "nope"'],
    ['{{lookup name "length"}}', 'helper "lookup": argument 1 must be a list or map, got string "Prod_EU"'],
    ["{{toJson (lookup cfg)}}", 'helper "lookup": expected 2 argument(s), got 1'],
    ["{{default missing}}", 'helper "default": expected 2 argument(s), got 1'],
    ["{{#each name}}x{{/each}}", ""],
  ])("%s fails with its reason", (template, reason) => {
    if (reason === "") {
      // each over text iterates nothing rather than characters: stock Handlebars behaviour, kept.
      expect(r(template)).toBe("");
      return;
    }
    expect(() => r(template)).toThrow(`${reason} in ${JSON.stringify(template)}`);
  });

  it("log is not available to templates", () => {
    expect(() => r('{{log "x"}}')).toThrow('unknown helper "log"');
  });
});
