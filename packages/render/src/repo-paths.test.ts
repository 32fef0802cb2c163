import { describe, expect, it } from "vitest";
import { normalizeSourcePath, resolveInRepo } from "./repo-paths.ts";

describe("normalizeSourcePath", () => {
  it.each([
    [undefined, ""],
    ["", ""],
    [".", ""],
    ["./apps//web/", "apps/web"],
  ])("%j → %j", (input, out) => {
    expect(normalizeSourcePath(input)).toBe(out);
  });

  it.each([
    ["/etc", 'source.path "/etc" is absolute; it must be relative to the repository root'],
    ["apps/../..", 'source.path "apps/../.." contains ".."'],
    ["a\\b", 'source.path "a\\\\b" contains "\\"; use "/"'],
    ["a\0b", 'source.path "a\\u0000b" contains control characters'],
  ])("refuses %j", (input, message) => {
    expect(() => normalizeSourcePath(input)).toThrow(message);
  });
});

describe("resolveInRepo", () => {
  it("resolves inside the repository", () => {
    expect(resolveInRepo("overlays/prod", "../../base", "k")).toBe("base");
    expect(resolveInRepo("a", "./b/c.yaml", "k")).toBe("a/b/c.yaml");
    expect(resolveInRepo("a", "..", "k")).toBe("");
  });

  it("refuses escapes with the file that wrote them", () => {
    expect(() => resolveInRepo("a", "../../etc", "a/kustomization.yaml")).toThrow(
      'a/kustomization.yaml: reference "../../etc" leaves the repository',
    );
    expect(() => resolveInRepo("a", "/etc/passwd", "f")).toThrow(
      'f: reference "/etc/passwd" is absolute; only paths inside the repository are allowed',
    );
  });
});
