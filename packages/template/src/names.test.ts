import { describe, expect, it } from "vitest";
import { normalizeName, sanitizeName, shortHash } from "./names.ts";

describe("sanitizeName (Argo CD's SanitizeName)", () => {
  it.each([
    ["guestbook", "guestbook"],
    ["directory_2", "directory-2"],
    ["My App", "my-app"],
    ["a__b", "a--b"],
    ["-.edge.-", "edge"],
    ["prod.eu-1", "prod.eu-1"],
    ["x".repeat(300), "x".repeat(253)],
  ])("%s → %s", (input, expected) => {
    expect(sanitizeName(input)).toBe(expected);
  });
});

describe("normalizeName (DNS-1123 label)", () => {
  it.each([
    ["Hello_World", "hello-world"],
    ["a..b__c", "a-b-c"],
    ["--x--", "x"],
    ["prod.eu", "prod-eu"],
    ["ünïcode", "n-code"],
    ["", ""],
  ])("%s → %s", (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it("cuts long names to 63 with a hash of the whole input", () => {
    const a = normalizeName(`${"a".repeat(70)}-one`);
    const b = normalizeName(`${"a".repeat(70)}-two`);
    expect(a).toHaveLength(63);
    expect(a).toMatch(/^a{54}-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(normalizeName("b".repeat(300), 253)).toHaveLength(253);
  });
});

describe("shortHash", () => {
  it("is a stable sha256 prefix", () => {
    expect(shortHash("abc")).toBe("ba7816bf");
    expect(shortHash("abc", 16)).toBe("ba7816bf8f01cfea");
    expect(shortHash("abc", 999)).toHaveLength(64);
  });
});
