import { describe, expect, it } from "vitest";
import { classifyGitFailure, summarizeStderr } from "./classify.ts";

// Real stderr captured from git 2.39 (C locale) and from the common hosting services.
const TABLE: ReadonlyArray<readonly [string, string]> = [
  ["auth", "remote: Invalid username or password.\nfatal: Authentication failed for 'https://github.com/o/r.git/'"],
  ["auth", "fatal: could not read Username for 'https://git.example': terminal prompts disabled"],
  [
    "auth",
    "git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.",
  ],
  ["auth", "remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'https://gitlab.com/o/r.git/'"],
  ["auth", "fatal: unable to access 'https://git.example/r.git/': The requested URL returned error: 403"],
  ["auth", "remote: Permission to o/r.git denied to bot.\nfatal: unable to access 'https://github.com/o/r.git/'"],
  ["auth", "Host key verification failed.\nfatal: Could not read from remote repository."],
  ["auth", "Warning: Identity file /keys/id_ed25519 not accessible: No such file or directory."],
  ["unreachable", "fatal: unable to access 'https://nope.invalid/r.git/': Could not resolve host: nope.invalid"],
  ["unreachable", "ssh: Could not resolve hostname nope.invalid: Name or service not known\nfatal: Could not read"],
  ["unreachable", "fatal: unable to access 'http://127.0.0.1:1/r.git/': Failed to connect to 127.0.0.1 port 1"],
  ["unreachable", "ssh: connect to host git.example port 22: Connection refused"],
  ["unreachable", "fatal: unable to access 'https://h/r.git/': Operation timed out after 30000 milliseconds"],
  [
    "unreachable",
    "fatal: '/srv/git/gone' does not appear to be a git repository\nfatal: Could not read from remote repository.",
  ],
  ["unreachable", "remote: Repository not found.\nfatal: repository 'https://github.com/o/gone.git/' not found"],
  ["unreachable", "fatal: unable to access 'https://h/r.git/': The requested URL returned error: 502"],
  ["unreachable", "fatal: the remote end hung up unexpectedly\nfatal: early EOF"],
  ["unreachable", "fatal: unable to access 'https://h/r.git/': SSL certificate problem: self-signed certificate"],
  ["unknown-revision", "fatal: couldn't find remote ref refs/heads/nope"],
  ["unknown-revision", "fatal: ambiguous argument 'nope': unknown revision or path not in the working tree."],
  ["unknown-revision", "fatal: Needed a single revision"],
  ["unknown-revision", "fatal: Not a valid object name nope"],
  ["unknown-revision", "fatal: not a tree object"],
  ["unknown-revision", "error: short object ID abcd is ambiguous"],
  ["other", "fatal: cannot lock ref 'refs/heads/main': Unable to create '/m/refs/heads/main.lock': File exists."],
  ["other", ""],
];

describe("classifyGitFailure", () => {
  it.each(TABLE)("%s ← %j", (kind, stderr) => {
    expect(classifyGitFailure(stderr)).toBe(kind);
  });
});

describe("summarizeStderr", () => {
  it("prefers the fatal line that names the cause over the generic one", () => {
    const stderr =
      "fatal: '/srv/git/gone' does not appear to be a git repository\nfatal: Could not read from remote repository.\n";
    expect(summarizeStderr(stderr)).toBe("'/srv/git/gone' does not appear to be a git repository");
  });

  it("falls back to the first line, then to a placeholder", () => {
    expect(summarizeStderr("Host key verification failed.\nfatal: Could not read from remote repository.")).toBe(
      "Host key verification failed.",
    );
    expect(summarizeStderr("hint: x\n")).toBe("git failed without output");
  });
});
