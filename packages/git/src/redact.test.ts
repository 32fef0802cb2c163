import { describe, expect, it } from "vitest";
import { redactURL, scrubSecrets } from "./redact.ts";

describe("redactURL", () => {
  it.each([
    ["https://user:tok3n@git.example/fleet.git", "https://***@git.example/fleet.git"],
    ["https://tok3n@git.example/fleet.git", "https://***@git.example/fleet.git"],
    ["ssh://git@git.example:2222/fleet.git", "ssh://***@git.example:2222/fleet.git"],
    ["https://git.example/fleet.git", "https://git.example/fleet.git"],
    ["/srv/git/fleet", "/srv/git/fleet"],
    ["fatal: unable to access 'https://a:b@h/x/': 403", "fatal: unable to access 'https://***@h/x/': 403"],
  ])("%s → %s", (input, expected) => {
    expect(redactURL(input)).toBe(expected);
  });
});

describe("scrubSecrets", () => {
  it("removes each secret wherever it appears", () => {
    const text = "remote said s3cr3t-token twice: s3cr3t-token";
    expect(scrubSecrets(text, ["s3cr3t-token"])).toBe("remote said *** twice: ***");
  });

  it("removes authorization header values", () => {
    expect(scrubSecrets("> Authorization: Basic dXNlcjpzM2NyM3Q=")).toBe("> Authorization: Basic ***");
  });

  it("ignores secrets too short to be meaningful instead of masking every letter", () => {
    expect(scrubSecrets("abc", ["a"])).toBe("abc");
  });
});
