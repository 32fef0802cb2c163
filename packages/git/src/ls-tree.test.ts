import { describe, expect, it } from "vitest";
import { parseLsTree, toRepoTree } from "./ls-tree.ts";

const blob = "a".repeat(40);
const tree = "b".repeat(40);
const sub = "c".repeat(40);

describe("parseLsTree", () => {
  it("reads plain and long (-l) entries, keeping tabs and newlines in paths", () => {
    const output = [
      `040000 tree ${tree}\tapps`,
      `100644 blob ${blob}\tapps/a.yaml`,
      `100644 blob ${blob}     123\tweird\tname\nx.yaml`,
      `040000 tree ${tree}       -\tapps/b`,
      `160000 commit ${sub}\tvendor/lib`,
      "",
    ].join("\0");
    expect(parseLsTree(output)).toEqual([
      { mode: "040000", type: "tree", object: tree, size: undefined, path: "apps" },
      { mode: "100644", type: "blob", object: blob, size: undefined, path: "apps/a.yaml" },
      { mode: "100644", type: "blob", object: blob, size: 123, path: "weird\tname\nx.yaml" },
      { mode: "040000", type: "tree", object: tree, size: undefined, path: "apps/b" },
      { mode: "160000", type: "commit", object: sub, size: undefined, path: "vendor/lib" },
    ]);
  });

  it("is empty for empty output and loud for garbage", () => {
    expect(parseLsTree("")).toEqual([]);
    expect(() => parseLsTree("nonsense\0")).toThrow("unexpected ls-tree output");
  });
});

describe("toRepoTree", () => {
  it("splits files from directories, sorted, and leaves submodules out", () => {
    const entries = parseLsTree(
      [
        `100644 blob ${blob}\tb.yaml`,
        `040000 tree ${tree}\tapps`,
        `100644 blob ${blob}\ta.yaml`,
        `160000 commit ${sub}\tlib`,
      ].join("\0"),
    );
    expect(toRepoTree(entries)).toEqual({ files: ["a.yaml", "b.yaml"], directories: ["apps"] });
  });
});
