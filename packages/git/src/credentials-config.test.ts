import { ValidationError } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { credentialsByPrefix } from "./credentials.ts";
import { loadCredentialsRules } from "./credentials-config.ts";
import { parseRepoURL } from "./repo-url.ts";

const files: Record<string, string> = {
  "/s/token": "ghp_t0ken-from-file\n",
  "/s/empty": "\n",
};
const sources = {
  readFile: (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    return text;
  },
  env: { GITEA_PASSWORD: "pa55-from-env" },
};

const GOOD = `- urlPrefix: https://github.com/my-org/
  kind: https-token
  username: x-access-token
  tokenFile: /s/token
- urlPrefix: https://gitea.example/
  kind: https-basic
  username: bot
  passwordEnv: GITEA_PASSWORD
- urlPrefix: ssh://git@git.example/
  kind: ssh-key
  privateKeyFile: /s/id_ed25519
  knownHostsFile: /s/known_hosts
`;

describe("loadCredentialsRules", () => {
  it("reads token, basic and SSH rules, secrets from files and the environment", () => {
    const rules = loadCredentialsRules(GOOD, "creds.yaml", sources);
    expect(rules).toEqual([
      {
        urlPrefix: "https://github.com/my-org/",
        credentials: { kind: "https-token", username: "x-access-token", token: "ghp_t0ken-from-file" },
      },
      {
        urlPrefix: "https://gitea.example/",
        credentials: { kind: "https-token", username: "bot", token: "pa55-from-env" },
      },
      {
        urlPrefix: "ssh://git@git.example/",
        credentials: {
          kind: "ssh-key",
          privateKeyPath: "/s/id_ed25519",
          strictHostKeyChecking: "yes",
          knownHostsPath: "/s/known_hosts",
        },
      },
    ]);
    const resolve = credentialsByPrefix(rules);
    expect(resolve(parseRepoURL("https://github.com/my-org/fleet.git"))?.kind).toBe("https-token");
    expect(resolve(parseRepoURL("https://github.com/other/fleet.git"))).toBeUndefined();
    expect(resolve(parseRepoURL("ssh://git@git.example/fleet.git"))?.kind).toBe("ssh-key");
  });

  it("an empty file means anonymous access everywhere", () => {
    expect(loadCredentialsRules("", "creds.yaml", sources)).toEqual([]);
  });

  it.each([
    ["a missing kind", "- urlPrefix: https://a/\n  tokenFile: /s/token\n", /creds\.yaml:1:3: .*kind: expected one of/],
    [
      "a token inline",
      "- urlPrefix: https://a/\n  kind: https-token\n  token: ghp_inline\n  tokenFile: /s/token\n",
      /3:3: .*token: unknown field/,
    ],
    [
      "an unreadable file",
      "- urlPrefix: https://a/\n  kind: https-token\n  tokenFile: /s/nope\n",
      /cannot read \/s\/nope \(ENOENT\)/,
    ],
    [
      "an empty secret file",
      "- urlPrefix: https://a/\n  kind: https-token\n  tokenFile: /s/empty\n",
      /\/s\/empty is empty/,
    ],
    [
      "an unset variable",
      "- urlPrefix: https://a/\n  kind: https-basic\n  username: u\n  passwordEnv: NOPE\n",
      /NOPE is not set/,
    ],
    [
      "both file and env",
      "- urlPrefix: https://a/\n  kind: https-token\n  tokenFile: /s/token\n  tokenEnv: X\n",
      /exactly one of tokenFile or tokenEnv/,
    ],
    ["no key file", "- urlPrefix: ssh://git@a/\n  kind: ssh-key\n", /privateKeyFile: required/],
    [
      "a prefix without scheme",
      "- urlPrefix: github.com/\n  kind: https-token\n  tokenFile: /s/token\n",
      /urlPrefix: must start with/,
    ],
    ["a map instead of a list", "urlPrefix: https://a/\n", /expected a list of rules/],
  ])("refuses %s, naming file:line:col and the field", (_, text, message) => {
    let caught: unknown;
    try {
      loadCredentialsRules(text, "creds.yaml", sources);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain("ghp_");
    expect((caught as Error).message).not.toContain("pa55");
  });
});
