import { describe, expect, it } from "vitest";
import { RenderError } from "./errors/render-error.ts";
import { parseManifests } from "./manifests.ts";

function errorOf(fn: () => unknown): RenderError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RenderError) return err;
    throw err;
  }
  throw new Error("expected a RenderError");
}

describe("parseManifests", () => {
  it("reads multi-document YAML, skipping empty documents", () => {
    const text =
      "---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n";
    expect(parseManifests(text, "f.yaml").map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "ConfigMap/a",
      "Secret/b",
    ]);
  });

  it("reads JSON and flattens v1 Lists", () => {
    const json = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } },
      ],
    });
    expect(parseManifests(json, "l.json").map((o) => o.metadata.name)).toEqual(["a", "b"]);
  });

  it.each([
    ["apiVersion: v1\nmetadata: {name: a}\n", 'f.yaml (document 0, line 1): missing "kind"'],
    ["kind: ConfigMap\nmetadata: {name: a}\n", 'f.yaml (document 0, line 1): missing "apiVersion"'],
    ["apiVersion: v1\nkind: ConfigMap\n", 'f.yaml (document 0, line 1): missing "metadata.name"'],
    [
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n",
      'f.yaml (document 0, line 3): missing "metadata.name"',
    ],
    [
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 3\n",
      'f.yaml (document 0, line 4): "metadata.name" must be a non-empty string',
    ],
    [
      "apiVersion: v1\nkind: [x]\nmetadata: {name: a}\n",
      'f.yaml (document 0, line 2): "kind" must be a non-empty string',
    ],
    [
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n- just\n- a list\n",
      "f.yaml (document 1, line 6): expected a Kubernetes object, found a list",
    ],
    ["hello\n", "f.yaml (document 0, line 1): expected a Kubernetes object, found a string"],
    [
      "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {}\n",
      'f.yaml (document 0, line 6): items.0: missing "metadata.name"',
    ],
    [
      "a: [1, 2\n",
      "f.yaml (line 2): invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
    ["a: 1\na: 2\n", "f.yaml (line 2): invalid YAML: Map keys must be unique"],
  ])("refuses %j", (text, message) => {
    const err = errorOf(() => parseManifests(text, "f.yaml"));
    expect(err.message).toBe(message);
    expect(err.failure).toBe("InvalidManifest");
    expect(err.file).toBe("f.yaml");
  });

  it("refuses a YAML alias bomb without expanding it", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
    ].join("\n");
    const err = errorOf(() => parseManifests(bomb, "bomb.yaml"));
    expect(err.message).toMatch(/^bomb.yaml \(line 1\): invalid YAML: Excessive alias count/);
  });

  it("refuses absurd nesting", () => {
    const err = errorOf(() => parseManifests(`${"[".repeat(200)}${"]".repeat(200)}`, "deep.yaml"));
    expect(err.message).toBe("deep.yaml (line 1): nesting is deeper than 64 levels");
  });
});
