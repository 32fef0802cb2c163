import { describe, expect, it } from "vitest";
import { normalizeRepoPath, validateCommit, validateRevision } from "./validate.ts";

describe("validateRevision", () => {
  it.each(["main", "HEAD", "v1.2.3", "release/2024-03", "refs/heads/main", "abc1234", "a".repeat(40), "feature+x"])(
    "accepts %j",
    (rev) => {
      expect(validateRevision(rev)).toBe(rev);
    },
  );

  it.each([
    ["", "non-empty"],
    ["--upload-pack=evil", 'starts with "-"'],
    ["-n", 'starts with "-"'],
    ["main\u0000", "control characters"],
    ["main branch", "whitespace"],
    ["main..dev", '".."'],
    ["main:secret.txt", "revision expression"],
    ["HEAD~1", "revision expression"],
    ["HEAD^{tree}", "revision expression"],
    ["main@{1}", "revision expression"],
    [":/fix", "revision expression"],
    ["/main", "not a valid ref name"],
    ["main.lock", "not a valid ref name"],
  ])("refuses %j", (rev, message) => {
    expect(() => validateRevision(rev)).toThrow(message);
  });
});

describe("validateCommit", () => {
  it("accepts full sha-1 and sha-256 ids", () => {
    expect(validateCommit("0".repeat(40))).toBe("0".repeat(40));
    expect(validateCommit("f".repeat(64))).toBe("f".repeat(64));
  });

  it.each(["HEAD", "main", "abc1234", "A".repeat(40), `-${"0".repeat(39)}`])("refuses %j", (commit) => {
    expect(() => validateCommit(commit)).toThrow("not a full lower-case commit id");
  });
});

describe("normalizeRepoPath", () => {
  it.each([
    ["apps/guestbook/config.yaml", "apps/guestbook/config.yaml"],
    ["./apps//guestbook/", "apps/guestbook"],
    ["-rf", "-rf"],
    ["dir with space/ü.yaml", "dir with space/ü.yaml"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeRepoPath(input)).toBe(expected);
  });

  it.each([
    ["", "non-empty"],
    ["/etc/passwd", "absolute"],
    ["../outside", '".."'],
    ["apps/../../outside", '".."'],
    ["apps/\u0000x", "control characters"],
    ["apps\\x", '"\\"'],
    ["./", "repository root"],
  ])("refuses %j", (input, message) => {
    expect(() => normalizeRepoPath(input)).toThrow(message);
  });
});
