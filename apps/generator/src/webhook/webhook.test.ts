import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parsePushEvent } from "./push-event.ts";
import { refMatches, repoKey } from "./repo-url.ts";
import { verifyWebhook, WebhookRejectedError } from "./verify.ts";

const secret = "s3cret";
const body = Buffer.from(
  JSON.stringify({
    ref: "refs/heads/main",
    after: "a".repeat(40),
    repository: { clone_url: "https://git.example/org/fleet.git", ssh_url: "git@git.example:org/fleet.git" },
  }),
);
const sign = (b: Uint8Array, s = secret) => createHmac("sha256", s).update(b).digest("hex");

function rejection(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof WebhookRejectedError) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("verifyWebhook", () => {
  it("accepts a GitHub push signed with the secret", () => {
    const headers = { "x-github-event": "push", "x-hub-signature-256": `sha256=${sign(body)}` };
    expect(verifyWebhook(headers, body, secret)).toBe("github");
  });

  it("accepts a Gitea push (which also carries GitHub headers)", () => {
    const headers = { "x-gitea-event": "push", "x-github-event": "push", "x-gitea-signature": sign(body) };
    expect(verifyWebhook(headers, body, secret)).toBe("gitea");
  });

  it("accepts a GitLab push with the token", () => {
    expect(verifyWebhook({ "x-gitlab-event": "Push Hook", "x-gitlab-token": secret }, body, secret)).toBe("gitlab");
  });

  const refused: { name: string; headers: Record<string, string>; body?: Buffer; status: number; message: string }[] = [
    {
      name: "GitHub signature made with another secret",
      headers: { "x-github-event": "push", "x-hub-signature-256": `sha256=${sign(body, "other")}` },
      status: 401,
      message: "signature does not match",
    },
    {
      name: "GitHub signature of another body (tampered payload)",
      headers: { "x-github-event": "push", "x-hub-signature-256": `sha256=${sign(body)}` },
      body: Buffer.concat([body, Buffer.from(" ")]),
      status: 401,
      message: "signature does not match",
    },
    {
      name: "GitHub signature without its sha256= prefix",
      headers: { "x-github-event": "push", "x-hub-signature-256": sign(body) },
      status: 401,
      message: "signature does not match",
    },
    {
      name: "GitHub without a signature",
      headers: { "x-github-event": "push" },
      status: 401,
      message: "missing X-Hub-Signature-256 header",
    },
    {
      name: "Gitea with a GitHub-style signature only",
      headers: { "x-gitea-event": "push", "x-hub-signature-256": `sha256=${sign(body)}` },
      status: 401,
      message: "missing X-Gitea-Signature header",
    },
    {
      name: "GitLab with a wrong token",
      headers: { "x-gitlab-event": "Push Hook", "x-gitlab-token": "s3cre" },
      status: 401,
      message: "token does not match",
    },
    {
      name: "no forge headers at all",
      headers: { "content-type": "application/json" },
      status: 400,
      message: "unknown webhook sender: expected a GitHub, GitLab or Gitea event header",
    },
  ];
  it.each(refused)("refuses $name", ({ headers, body: b, status, message }) => {
    expect(rejection(() => verifyWebhook(headers, b ?? body, secret))).toEqual({ status, message });
  });

  it("refuses everything when no secret is configured", () => {
    const headers = { "x-github-event": "push", "x-hub-signature-256": `sha256=${sign(body, "")}` };
    expect(rejection(() => verifyWebhook(headers, body, ""))).toEqual({
      status: 401,
      message: "webhook secret is not configured",
    });
  });
});

describe("parsePushEvent", () => {
  it("reads a GitHub push", () => {
    expect(parsePushEvent("github", { "x-github-event": "push" }, body)).toEqual({
      provider: "github",
      repoURLs: ["https://git.example/org/fleet.git", "git@git.example:org/fleet.git"],
      ref: "refs/heads/main",
      commit: "a".repeat(40),
    });
  });

  it("reads a GitLab push", () => {
    const gl = Buffer.from(
      JSON.stringify({
        object_kind: "push",
        ref: "refs/heads/main",
        checkout_sha: "b".repeat(40),
        project: { git_http_url: "https://gitlab.example/org/fleet.git" },
      }),
    );
    expect(parsePushEvent("gitlab", { "x-gitlab-event": "Push Hook" }, gl)).toEqual({
      provider: "gitlab",
      repoURLs: ["https://gitlab.example/org/fleet.git"],
      ref: "refs/heads/main",
      commit: "b".repeat(40),
    });
  });

  it("ignores events that are not pushes", () => {
    expect(parsePushEvent("github", { "x-github-event": "ping" }, Buffer.from("{}"))).toBeUndefined();
  });

  const hostile: { name: string; body: string; message: string }[] = [
    { name: "not JSON", body: "{ref:", message: "body is not valid JSON" },
    {
      name: "no repository",
      body: '{"ref":"refs/heads/main"}',
      message: "not a github push payload: repository: Invalid input: expected object, received undefined",
    },
    {
      name: "ref of the wrong type",
      body: '{"ref":1,"repository":{}}',
      message: "not a github push payload: ref: Invalid input: expected string, received number",
    },
    {
      name: "a huge ref",
      body: JSON.stringify({ ref: "x".repeat(5000), repository: {} }),
      message: "not a github push payload: ref: Too big: expected string to have <=1024 characters",
    },
  ];
  it.each(hostile)("refuses a push body that is $name", ({ body: b, message }) => {
    expect(rejection(() => parsePushEvent("github", { "x-github-event": "push" }, Buffer.from(b)))).toEqual({
      status: 400,
      message,
    });
  });

  it("keeps __proto__ in a payload inert", () => {
    const b = Buffer.from(
      '{"ref":"refs/heads/main","repository":{"clone_url":"https://x/y.git"},"__proto__":{"polluted":1}}',
    );
    parsePushEvent("github", { "x-github-event": "push" }, b);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("repoKey and refMatches", () => {
  it.each([
    ["https://Git.Example/org/fleet.git", "git.example/org/fleet"],
    ["https://git.example/org/fleet/", "git.example/org/fleet"],
    ["git@git.example:org/fleet.git", "git.example/org/fleet"],
    ["ssh://git@git.example:2222/org/fleet.git", "git.example/org/fleet"],
    ["https://user:token@git.example/org/fleet", "git.example/org/fleet"],
  ])("%s → %s", (url, key) => {
    expect(repoKey(url)).toBe(key);
  });

  it.each([
    ["refs/heads/main", "main", true],
    ["refs/heads/main", "refs/heads/main", true],
    ["refs/tags/v1", "v1", true],
    ["refs/heads/mainline", "main", false],
    ["refs/heads/feature", "main", false],
    ["refs/heads/anything", "HEAD", true],
  ])("push to %s concerns %s: %s", (ref, rev, expected) => {
    expect(refMatches(ref, rev)).toBe(expected);
  });
});
