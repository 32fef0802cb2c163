import { describe, expect, it } from "vitest";
import { isInvalidGitArgumentError } from "./errors.ts";
import { parseRepoURL } from "./repo-url.ts";

describe("parseRepoURL", () => {
  it.each([
    [
      "https://Git.Example/org/fleet.git",
      "https://git.example/org/fleet.git",
      "https://git.example/org/fleet",
      "https",
    ],
    ["https://git.example:443/org/fleet/", "https://git.example/org/fleet/", "https://git.example/org/fleet", "https"],
    ["http://127.0.0.1:8080/fleet.git", "http://127.0.0.1:8080/fleet.git", "http://127.0.0.1:8080/fleet", "http"],
    [
      "ssh://git@Git.Example:2222/org/fleet.git",
      "ssh://git@Git.Example:2222/org/fleet.git",
      "ssh://git@git.example:2222/org/fleet",
      "ssh",
    ],
    ["git@Git.Example:org/fleet.git", "git@Git.Example:org/fleet.git", "git@git.example:org/fleet", "ssh"],
    ["file:///srv/git/fleet.git", "/srv/git/fleet.git", "file:///srv/git/fleet", "file"],
    ["/srv/git/fleet.git", "/srv/git/fleet.git", "file:///srv/git/fleet", "file"],
    ["./fleet", "/work/fleet", "file:///work/fleet", "file"],
  ])("%s", (input, fetchURL, canonical, transport) => {
    const loc = parseRepoURL(input, "/work");
    expect(loc).toMatchObject({ fetchURL, canonical, transport });
    expect(loc.key).toMatch(/^[0-9a-f]{32}$/);
  });

  it("gives one key to every spelling of the same repository", () => {
    const keys = new Set(
      ["https://git.example/org/fleet", "https://GIT.example/org/fleet.git", "https://git.example/org/fleet/"].map(
        (u) => parseRepoURL(u).key,
      ),
    );
    expect(keys.size).toBe(1);
    expect(parseRepoURL("file:///srv/fleet").key).toBe(parseRepoURL("/srv/fleet").key);
  });

  it.each([
    ["", "must not be empty"],
    ["--upload-pack=touch /tmp/pwned", 'starts with "-"'],
    ["-oProxyCommand=evil", 'starts with "-"'],
    ["ext::sh -c touch% /tmp/pwned", "remote-helper syntax"],
    ["fd::17", "remote-helper syntax"],
    ["https://git.example/fleet\u0000.git", "control characters"],
    ["https://git.example/fleet\n.git", "control characters"],
    ["ftp://git.example/fleet.git", 'unsupported scheme "ftp"'],
    ["ssh://-oProxyCommand=evil/fleet", 'starting with "-"'],
    ["git@host:-oProxyCommand=evil", 'starting with "-"'],
    ["https://git.example/fleet.git?x=1", "query or fragment"],
  ])("refuses %j", (input, message) => {
    expect(() => parseRepoURL(input)).toThrow(message);
  });

  it("refuses embedded passwords without repeating them", () => {
    let caught: unknown;
    try {
      parseRepoURL("https://bot:s3cr3t-token@git.example/fleet.git");
    } catch (err) {
      caught = err;
    }
    expect(isInvalidGitArgumentError(caught)).toBe(true);
    expect(String(caught)).not.toContain("s3cr3t-token");
    expect(String(caught)).toContain("https://***@git.example/fleet.git");
  });

  it("never puts URL text into the key", () => {
    expect(parseRepoURL("https://git.example/org/fleet").key).not.toContain("git.example");
  });
});
