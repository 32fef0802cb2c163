import { newParams, type Params } from "@flotilla/core";
import { renderString } from "@flotilla/template";
import { describe, expect, it } from "vitest";
import { ConversionError } from "../conversion-error.ts";
import type { ParamScope } from "../param-scope.ts";
import { convertGoTemplate } from "./convert.ts";

const list: ParamScope = { gitPrefixes: [], openKeys: true, clusters: false };
const clusters: ParamScope = { gitPrefixes: [], openKeys: false, clusters: true };
const git: ParamScope = { gitPrefixes: [""], openKeys: false, clusters: false };
const prefixed: ParamScope = { gitPrefixes: ["infra", ""], openKeys: false, clusters: false };

function params(values: Record<string, unknown>): Params {
  return Object.assign(newParams(), values) as Params;
}

const cluster = params({
  name: "Prod_EU",
  nameNormalized: "prod-eu",
  server: "https://prod.example:6443",
  "metadata.labels.env": "prod",
  "metadata.labels.kubernetes.io/hostname": "node-1",
  "metadata.labels": { env: "prod" },
  "values.tier": "gold",
  empty: "",
});
const gitParams = params({
  path: "apps/team-a/web",
  "path.basename": "web",
  "path.basenameNormalized": "web",
  "path[0]": "apps",
  "path[1]": "team-a",
  "path.segments": ["apps", "team-a", "web"],
  "infra.path": "infra/dns",
  "infra.path.basename": "dns",
});

describe("convertGoTemplate", () => {
  it.each([
    ["{{.name}}-app", "{{name}}-app", clusters, cluster, "Prod_EU-app"],
    ["{{ .server }}", "{{server}}", clusters, cluster, "https://prod.example:6443"],
    ["{{.metadata.labels.env}}", "{{metadata.labels.env}}", clusters, cluster, "prod"],
    ['{{index .metadata.labels "env"}}', "{{metadata.labels.env}}", clusters, cluster, "prod"],
    [
      '{{index .metadata.labels "kubernetes.io/hostname"}}',
      "{{[metadata.labels.kubernetes.io/hostname]}}",
      clusters,
      cluster,
      "node-1",
    ],
    ["{{.values.tier}}", "{{values.tier}}", clusters, cluster, "gold"],
    ["{{.path.path}}", "{{path}}", git, gitParams, "apps/team-a/web"],
    ["{{.path.basename}}", "{{path.basename}}", git, gitParams, "web"],
    ["{{index .path.segments 1}}", "{{path[1]}}", git, gitParams, "team-a"],
    [
      "{{.infra.path.basename}}-{{.path.basename}}",
      "{{infra.path.basename}}-{{path.basename}}",
      prefixed,
      gitParams,
      "dns-web",
    ],
    ['{{default "x" .empty}}', '{{default empty "x"}}', clusters, cluster, "x"],
    ['{{.empty | default "x"}}', '{{default empty "x"}}', clusters, cluster, "x"],
    ["{{lower .name}}", "{{lower name}}", clusters, cluster, "prod_eu"],
    ["{{.name | upper}}", "{{upper name}}", clusters, cluster, "PROD_EU"],
    ['{{replace "_" "-" .name}}', '{{replace name "_" "-"}}', clusters, cluster, "Prod-EU"],
    ['{{.name | replace "_" "-" | lower}}', '{{lower (replace name "_" "-")}}', clusters, cluster, "prod-eu"],
    ["{{trunc 4 .name}}", "{{trunc name 4}}", clusters, cluster, "Prod"],
    ["{{.name | trunc -2}}", "{{trunc name -2}}", clusters, cluster, "EU"],
    ["{{toJson .metadata.labels}}", "{{toJson metadata.labels}}", clusters, cluster, '{"env":"prod"}'],
    ["{{normalize .name}}", "{{sanitize name}}", clusters, cluster, "prod-eu"],
    [
      '{{if eq .metadata.labels.env "prod"}}big{{else}}small{{end}}',
      '{{#if (eq metadata.labels.env "prod")}}big{{else}}small{{/if}}',
      clusters,
      cluster,
      "big",
    ],
    [
      '{{if eq .values.tier "silver"}}s{{else if eq .values.tier "gold"}}g{{else}}n{{end}}',
      '{{#if (eq values.tier "silver")}}s{{else if (eq values.tier "gold")}}g{{else}}n{{/if}}',
      clusters,
      cluster,
      "g",
    ],
    [
      '{{if eq .values.tier "a" "gold"}}y{{end}}',
      '{{#if (or (eq values.tier "a") (eq values.tier "gold"))}}y{{/if}}',
      clusters,
      cluster,
      "y",
    ],
    [
      '{{if and .name (ne .values.tier "x")}}y{{end}}',
      '{{#if (and name (ne values.tier "x"))}}y{{/if}}',
      clusters,
      cluster,
      "y",
    ],
    ["{{if .empty}}y{{else}}n{{end}}", "{{#if empty}}y{{else}}n{{/if}}", clusters, cluster, "n"],
    ["a  {{- .name -}}  b", "a{{name}}b", clusters, cluster, "aProd_EUb"],
    ["a {{/* a comment */}}b", "a b", clusters, cluster, "a b"],
    ['{{ "}}" }}', "}}", clusters, cluster, "}}"],
    ['a{{ `raw "q"` }}', 'araw "q"', clusters, cluster, 'araw "q"'],
    ["{a: {{.name}}}", '{a: {{name}}{{trim "}"}}', clusters, cluster, "{a: Prod_EU}"],
    ["{{ 3 }}{{ true }}", "3true", clusters, cluster, "3true"],
    ['{{ lower `A"B` }}', '{{lower "A\\"B"}}', clusters, cluster, 'a"b'],
    ["{{$.name}}", "{{name}}", clusters, cluster, "Prod_EU"],
    ["{{quote .name}}", "{{quote name}}", clusters, cluster, '"Prod_EU"'],
    ['{{trimPrefix "Prod_" .name}}', '{{trimPrefix name "Prod_"}}', clusters, cluster, "EU"],
  ])("%s → %s", (go, handlebars, scope, values, rendered) => {
    const converted = convertGoTemplate(go, scope);
    expect(converted).toBe(handlebars);
    expect(renderString(converted, values)).toBe(rendered);
  });

  it("leaves text without actions alone", () => {
    expect(convertGoTemplate("plain: text } {", list)).toBe("plain: text } {");
  });

  it("trims the newline before a block tag as text/template does", () => {
    const go = "spec:\n  {{- if .x }}\n  a: 1\n  {{- end }}\n";
    expect(convertGoTemplate(go, list)).toBe("spec:{{#if x}}\n  a: 1{{/if}}\n");
  });

  it.each([
    ["{{.name | sha256sum}}", 10, "the function sha256sum has no Flotilla equivalent"],
    ['x {{printf "%s" .name}}', 4, "the function printf"],
    ["{{range .list}}{{.}}{{end}}", 2, "range loops have no Flotilla form"],
    ["{{with .x}}{{.y}}{{end}}", 2, "with blocks are not supported"],
    ["{{$x := .name}}", 2, "variables ($x) are not supported"],
    ["{{.}}", 2, "the whole parameter map"],
    ["{{or .a .b}}", 2, "or prints one of its operands in Go"],
    ["{{if .x}}open", 0, "if without end"],
    ["{{end}}", 2, "end without if"],
    ["{{.name", 0, "unclosed action"],
    ["{{index .m .k}}", 11, "index keys must be constant"],
    ['{{replace "" "-" .name}}', 2, "empty search string"],
    ['{{"a\\\\"}}', 2, "backslash"],
    ['{{template "x"}}', 2, "named templates are not supported"],
    ["{{ 'c' }}", 3, "\"'c'\" is not supported"],
    ["{{lower .a .b}}", 2, "lower takes 1 argument(s), got 2"],
  ])("refuses %s at its offset", (go, offset, reason) => {
    let caught: unknown;
    try {
      convertGoTemplate(go, list);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConversionError);
    expect((caught as ConversionError).message).toContain(reason);
    expect((caught as ConversionError).offset).toBe(offset);
  });

  it("refuses the whole path map and Argo CD's cluster project", () => {
    expect(() => convertGoTemplate("{{.path}}", git)).toThrow(/write .path.path for the path itself/);
    expect(() => convertGoTemplate("{{.path.nope}}", git)).toThrow(/no path parameter .path.nope/);
    expect(() => convertGoTemplate("{{.project}}", clusters)).toThrow(
      /no Flotilla equivalent: Flotilla has no AppProjects/,
    );
    // With list elements in play, a project key may be theirs.
    expect(convertGoTemplate("{{.project}}", { ...clusters, openKeys: true })).toBe("{{project}}");
  });

  it("keeps Handlebars syntax that arrives in data from running: keys become literal segments", () => {
    expect(convertGoTemplate('{{index .m "../../x"}}', list)).toBe("{{[m.../../x]}}");
    expect(() => convertGoTemplate('{{index .m "a b"}}', list)).toThrow(/cannot be written in a Flotilla template/);
    expect(() => convertGoTemplate('{{ "{{#each x}}" }}', list)).toThrow(/has no faithful form/);
    expect(() => convertGoTemplate('{{index .m "a]b"}}', list)).toThrow(ConversionError);
    expect(() => convertGoTemplate('{{index .m "}}{{#each x}}"}}', list)).toThrow(ConversionError);
  });

  it("survives hostile sizes without running away", () => {
    const long = `${"{{.a}}".repeat(20_000)}`;
    expect(convertGoTemplate(long, list)).toBe("{{a}}".repeat(20_000));
    const deep = `${"(".repeat(500)}.a${")".repeat(500)}`;
    expect(convertGoTemplate(`{{lower ${deep}}}`, list)).toBe("{{lower a}}");
  });
});
