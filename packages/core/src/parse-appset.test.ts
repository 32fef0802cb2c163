import { describe, expect, it } from "vitest";
import { formatIssue } from "./errors/validation-error.ts";
import { parseApplicationSets } from "./parse-appset.ts";

const valid = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
    - list:
        elements:
          - cluster: dev
  template:
    metadata:
      name: "guestbook-{{cluster}}"
    spec:
      source:
        repoURL: https://git.example/fleet.git
        path: apps/guestbook
      destination:
        cluster: "{{cluster}}"
        namespace: guestbook
`;

function errorsOf(text: string): string[] {
  return parseApplicationSets(text, "fleet/appset.yaml").issues.map(formatIssue);
}

describe("parseApplicationSets", () => {
  it("parses a valid ApplicationSet and remembers where it starts", () => {
    const { appSets, issues } = parseApplicationSets(valid, "a.yaml");
    expect(issues).toEqual([]);
    expect(appSets).toHaveLength(1);
    expect(appSets[0]!.appSet.metadata.name).toBe("guestbook");
    expect(appSets[0]!.line).toBe(1);
  });

  it("parses every document of a multi-document file and keeps the valid ones when one is bad", () => {
    const second = valid.replace("name: guestbook", "name: other").replace("kind: ApplicationSet", "kind: AppSet");
    const third = valid.replace("name: guestbook", "name: third");
    const { appSets, issues } = parseApplicationSets(`${valid}---\n${second}---\n${third}`, "multi.yaml");
    expect(appSets.map((a) => a.appSet.metadata.name)).toEqual(["guestbook", "third"]);
    expect(issues.map(formatIssue)).toEqual(['multi.yaml:22:1: kind: expected "ApplicationSet"']);
  });

  it("reads the deletion guard's window as a duration, and refuses one without a unit", () => {
    const guarded = (window: string) =>
      `${valid}  syncPolicy:\n    deletionGuard:\n      maxDeletion: 25%\n      window: ${window}\n`;
    expect(errorsOf(guarded("7d"))).toEqual([]);
    expect(errorsOf(guarded("24"))).toEqual([
      'fleet/appset.yaml:23:7: spec.syncPolicy.deletionGuard.window: "24" has no unit; write 24s for seconds or 24ms for milliseconds',
    ]);
    expect(errorsOf(guarded("1 day"))).toEqual([
      'fleet/appset.yaml:23:7: spec.syncPolicy.deletionGuard.window: "1 day" is not a duration; write a whole number with a unit, like 500ms, 30s, 3m, 1h, 1h30m or 7d',
    ]);
  });

  it("skips empty documents", () => {
    expect(parseApplicationSets(`---\n---\n${valid}`, "e.yaml").appSets).toHaveLength(1);
  });

  it("rejects duplicate ApplicationSet names across documents", () => {
    expect(errorsOf(`${valid}---\n${valid}`)).toEqual([
      'fleet/appset.yaml:24:3: metadata.name: duplicate ApplicationSet name "guestbook" (first defined at line 1)',
    ]);
  });
});

// The hostile-input corpus: each case states the exact message a user sees.
const corpus: { name: string; text: string; errors: string[] }[] = [
  {
    name: "malformed YAML (unclosed flow sequence)",
    text: "apiVersion: flotilla.dev/v1alpha1\nkind: [ApplicationSet\n",
    errors: [
      "fleet/appset.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  },
  {
    name: "tab indentation",
    text: "apiVersion: x\n\tkind: y\n",
    errors: ["fleet/appset.yaml:2:1: invalid YAML: Tabs are not allowed as indentation"],
  },
  {
    name: "duplicate keys",
    text: valid.replace("kind: ApplicationSet\n", "kind: ApplicationSet\nkind: ApplicationSet\n"),
    errors: ["fleet/appset.yaml:3:1: invalid YAML: Map keys must be unique"],
  },
  {
    name: "unknown field (a typo) names the field and its line",
    text: valid.replace("  template:", "  tempalte: {}\n  template:"),
    errors: ['fleet/appset.yaml:10:3: spec.tempalte: unknown field "tempalte"'],
  },
  {
    name: "unknown field deep inside a generator",
    text: valid.replace("          - cluster: dev", "          - cluster: dev\n        element: []"),
    errors: ['fleet/appset.yaml:10:9: spec.generators[0].list.element: unknown field "element"'],
  },
  {
    name: "wrong type",
    text: valid.replace("path: apps/guestbook", "path: [apps]"),
    errors: ["fleet/appset.yaml:16:9: spec.template.spec.source.path: expected string, received array"],
  },
  {
    name: "missing required field points at the parent",
    text: valid.replace("        repoURL: https://git.example/fleet.git\n", ""),
    errors: ["fleet/appset.yaml:14:7: spec.template.spec.source.repoURL: required field is missing; expected string"],
  },
  {
    name: "two generator kinds in one entry",
    text: valid.replace("    - list:", "    - clusters: {}\n      list:"),
    errors: [
      "fleet/appset.yaml:7:7: spec.generators[0]: expected exactly one generator kind of list, clusters, git, matrix, merge",
    ],
  },
  {
    name: "bad enum value",
    text: valid.replace("  template:", "  syncPolicy: { applicationsSync: everything }\n  template:"),
    errors: [
      'fleet/appset.yaml:10:17: spec.syncPolicy.applicationsSync: Invalid option: expected one of "sync"|"create-only"|"create-update"|"create-delete"',
    ],
  },
  {
    name: "ApplicationSet name that is not DNS-1123",
    text: valid.replace("name: guestbook", "name: Guest_Book"),
    errors: ["fleet/appset.yaml:4:3: metadata.name: expected a DNS-1123 label"],
  },
  {
    name: "a string far over the limit",
    text: valid.replace("path: apps/guestbook", `path: ${"x".repeat(70_000)}`),
    errors: [
      "fleet/appset.yaml:16:9: spec.template.spec.source.path: Too big: expected string to have <=65536 characters",
    ],
  },
  {
    name: "nesting deeper than the limit",
    text: `${valid}  extra: ${"[".repeat(70)}${"]".repeat(70)}\n`,
    errors: ["fleet/appset.yaml:1:1: nesting is deeper than 64 levels"],
  },
  {
    name: "an alias bomb",
    text: `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
    errors: ["fleet/appset.yaml:1:1: invalid YAML: Excessive alias count indicates a resource exhaustion attack"],
  },
  {
    name: "__proto__ as a field is an unknown field, never a prototype",
    text: valid.replace("  template:", "  __proto__: { polluted: true }\n  template:"),
    errors: ['fleet/appset.yaml:10:3: spec.__proto__: unknown field "__proto__"'],
  },
  {
    name: "a document that is a list, not an object",
    text: "- a\n- b\n",
    errors: ["fleet/appset.yaml:1:1: expected object, received array"],
  },
];

describe("hostile input", () => {
  it.each(corpus)("$name", ({ text, errors }) => {
    expect(errorsOf(text)).toEqual(errors);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a file over the size limit before parsing it", () => {
    expect(errorsOf("a: b\n".repeat(2_000_000))).toEqual([
      "fleet/appset.yaml: file is 10000000 bytes; expected at most 8388608",
    ]);
  });

  it("keeps __proto__ inside list elements as plain data", () => {
    const text = valid.replace("- cluster: dev", "- { cluster: dev, __proto__: { admin: true } }");
    const { appSets, issues } = parseApplicationSets(text, "p.yaml");
    expect(issues).toEqual([]);
    const element = appSets[0]!.appSet.spec.generators[0]!.list!.elements[0]!;
    expect(Object.keys(element)).toEqual(["cluster", "__proto__"]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
