import { describe, expect, it } from "vitest";
import { credentialsByPrefix, gitAuthFor } from "./credentials.ts";
import { parseRepoURL } from "./repo-url.ts";

const token = { kind: "https-token", username: "bot", token: "s3cr3t-token" } as const;
const orgToken = { kind: "https-token", username: "org-bot", token: "0rg-t0ken" } as const;

describe("credentialsByPrefix", () => {
  const resolve = credentialsByPrefix([
    { urlPrefix: "https://git.example/", credentials: token },
    { urlPrefix: "https://git.example/org/", credentials: orgToken },
  ]);

  it("picks the longest matching prefix", () => {
    expect(resolve(parseRepoURL("https://git.example/org/fleet.git"))).toBe(orgToken);
    expect(resolve(parseRepoURL("https://git.example/other/fleet.git"))).toBe(token);
  });

  it("matches case-insensitively on the host and leaves other hosts anonymous", () => {
    expect(resolve(parseRepoURL("https://GIT.example/org/fleet.git"))).toBe(orgToken);
    expect(resolve(parseRepoURL("https://elsewhere.example/org/fleet.git"))).toBeUndefined();
  });
});

describe("gitAuthFor", () => {
  it("sends a token as a basic-auth header scoped to the origin, through the environment", () => {
    const auth = gitAuthFor(parseRepoURL("https://git.example/org/fleet.git"), token);
    const basic = Buffer.from("bot:s3cr3t-token").toString("base64");
    expect(auth.env).toEqual({
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.https://git.example/.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    });
    expect(auth.secrets).toEqual(["s3cr3t-token", basic]);
  });

  it("never hands a token to a non-HTTP transport, but still scrubs it", () => {
    const auth = gitAuthFor(parseRepoURL("git@git.example:org/fleet.git"), token);
    expect(auth).toEqual({ env: {}, secrets: ["s3cr3t-token"] });
  });

  it("builds an ssh command that uses only the configured key and refuses unknown hosts by default", () => {
    const auth = gitAuthFor(parseRepoURL("git@git.example:org/fleet.git"), {
      kind: "ssh-key",
      privateKeyPath: "/keys/it's key",
      knownHostsPath: "/keys/known_hosts",
    });
    expect(auth.env["GIT_SSH_COMMAND"]).toBe(
      "ssh -i '/keys/it'\\''s key' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o 'UserKnownHostsFile=/keys/known_hosts'",
    );
  });

  it("is empty for anonymous access", () => {
    expect(gitAuthFor(parseRepoURL("/srv/git/fleet"), undefined)).toEqual({ env: {}, secrets: [] });
  });
});
