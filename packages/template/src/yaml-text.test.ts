import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderFields } from "./render-fields.ts";
import { renderTemplatePatch } from "./template-patch.ts";
import { params } from "./test-params.ts";
import { renderYamlText } from "./yaml-text.ts";

// Values a git file or a cluster label could carry, each trying to change the YAML around it.
const HOSTILE: [string, string][] = [
  ["a newline and a new key", "nginx\nimage: evil/backdoor:latest"],
  ["a newline that dedents into a sibling", "nginx\n  evil: true\nreplicas: 99"],
  ["': '", "repo: evil"],
  ["'{}'", "{}"],
  ["a flow map", "{image: evil/backdoor, replicas: 99}"],
  ["'#'", "nginx # evil: true"],
  ["a leading '#'", "#comment"],
  ["double quotes", '"evil": "x"'],
  ["single quotes", "' + evil: 'x"],
  ["a document separator", "nginx\n---\nimage: evil/backdoor:latest"],
  ["a multi-line value", "line one\nline two\n  indented three\n"],
  ["a list item", "- evil"],
  ["an anchor and an alias", "&a x"],
  ["a tag", "!!map {}"],
];

const VALUES = `image:
  repository: {{image}}
  tag: "{{image}}"
  alt: '{{image}}'
  joined: registry.example/{{image}}:1
  block: |
    {{image}}
replicas: 2
`;

describe("renderYamlText (helm values)", () => {
  it.each(HOSTILE)("keeps %s inside its scalars", (_, value) => {
    const out = parse(renderYamlText(VALUES, params({ image: value }), { fieldPath: "spec.source.helm.values" }));
    expect(Object.keys(out)).toEqual(["image", "replicas"]);
    expect(Object.keys(out.image)).toEqual(["repository", "tag", "alt", "joined", "block"]);
    expect(out.image.repository).toBe(value);
    expect(out.image.tag).toBe(value);
    expect(out.image.alt).toBe(value);
    expect(out.image.joined).toBe(`registry.example/${value}:1`);
    expect(out.image.block.trimEnd()).toBe(value.trimEnd());
    expect(out.replicas).toBe(2);
  });

  it("renders ordinary values as before, numbers and booleans included", () => {
    const text = "image: {{image}}\nreplicas: {{replicas}}\nenabled: {{on}}\nname: {{image}}-{{replicas}}\n";
    const out = parse(renderYamlText(text, params({ image: "nginx", replicas: "3", on: "true" }), { fieldPath: "v" }));
    expect(out).toEqual({ image: "nginx", replicas: 3, enabled: true, name: "nginx-3" });
  });

  it("keeps control flow on the real values and helpers on their output", () => {
    const text = '{{#if (eq env "prod")}}\nreplicas: 3\n{{/if}}\nname: {{upper name}}\n';
    const out = parse(renderYamlText(text, params({ env: "prod", name: "a\nb: c" }), { fieldPath: "v" }));
    expect(out).toEqual({ replicas: 3, name: "A\nB: C" });
  });

  it("leaves text without templates as it is", () => {
    expect(renderYamlText("a: 1 # kept\n", params({}), { fieldPath: "v" })).toBe("a: 1 # kept\n");
  });

  it("refuses a parameter in a tag", () => {
    expect(() => renderYamlText("a: !{{t}} x\n", params({ t: "str" }), { fieldPath: "v" })).toThrow(
      /v: .*(not in a tag|not valid YAML)/,
    );
  });
});

describe("renderTemplatePatch with hostile values", () => {
  const PATCH = `spec:
  source:
    helm:
      releaseName: {{name}}
  destination:
    namespace: "{{name}}"
`;
  it.each(HOSTILE)("keeps %s inside its scalars", (_, value) => {
    const patch = renderTemplatePatch(PATCH, params({ name: value }));
    expect(patch).toEqual({ spec: { source: { helm: { releaseName: value } }, destination: { namespace: value } } });
  });
});

describe("renderFields with helm values as YAML text", () => {
  it("a newline in a git file value cannot inject an image into Helm values", () => {
    const template = { spec: { source: { helm: { values: "image:\n  tag: {{tag}}\n" } } } };
    const out = renderFields(template, params({ tag: "1.0\n  repository: evil/backdoor\nimage2: latest" }), [], {
      yamlTextFields: [["spec", "source", "helm", "values"]],
    });
    expect(parse(out.spec.source.helm.values)).toEqual({
      image: { tag: "1.0\n  repository: evil/backdoor\nimage2: latest" },
    });
  });
});
