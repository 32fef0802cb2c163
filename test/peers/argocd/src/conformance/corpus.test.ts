import { describe, expect, it } from "vitest";
import { bindCase, corpusRepoUrl, corpusServerUrl, loadCorpus, parseCase } from "./corpus.ts";

describe("the conformance corpus", () => {
  const corpus = loadCorpus({ repoUrl: "http://127.0.0.1:1/fleet.git", servers: new Map([["bravo", "https://b:1"]]) });

  it("covers the generators and template features the conformance check promises", () => {
    const text = corpus.map((c) => c.text).join("\n");
    for (const feature of [
      "- list:",
      "- clusters:",
      "directories:",
      "exclude: true",
      "files:",
      "- matrix:",
      "- merge:",
    ]) {
      expect(text).toContain(feature);
    }
    expect(text).toContain("templatePatch:");
    expect(text).toContain("matchExpressions:");
    expect(text).toContain("values:");
    expect(corpus.every((c) => c.expected.length > 0)).toBe(true);
  });

  it("binds every placeholder it was given, in the ApplicationSet and in the expectations", () => {
    const list = corpus.find((c) => c.name === "list");
    expect(list?.text).not.toContain(corpusRepoUrl);
    expect(list?.text).toContain("https://b:1");
    expect(list?.expected[0]?.repoURL).toBe("http://127.0.0.1:1/fleet.git");
  });
});

describe("bindCase", () => {
  it("replaces the repository and each cluster's server URL", () => {
    const text = `${corpusRepoUrl} ${corpusServerUrl("alpha")} ${corpusServerUrl("alphax")}`;
    expect(bindCase(text, { repoUrl: "R", servers: new Map([["alpha", "A"]]) })).toBe(
      `R A ${corpusServerUrl("alphax")}`,
    );
  });
});

describe("parseCase", () => {
  it("names the file, line and column of a YAML error", () => {
    expect(() => parseCase("cases/bad.yaml", "kind: ApplicationSet\nspec: [unclosed\n")).toThrow(
      /^cases\/bad\.yaml:\d+:\d+: /,
    );
  });

  it("refuses a case whose first document is not an ApplicationSet", () => {
    expect(() => parseCase("cases/x.yaml", "kind: Application\n---\nexpected: []\n")).toThrow(
      "cases/x.yaml: the first document must be the ApplicationSet",
    );
  });

  it("refuses a case without its expected Applications", () => {
    expect(() => parseCase("cases/x.yaml", "kind: ApplicationSet\nmetadata: {name: a}\n")).toThrow(
      "cases/x.yaml: the second document must hold expected: [Applications]",
    );
  });
});
