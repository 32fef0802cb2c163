import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { TestGitRepo } from "@flotilla/testbed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHttpServer, serveGitOverHttp } from "./git-http.ts";

// Asynchronous: the server answers from this same process.
const git = promisify(execFile);
const env = {
  PATH: process.env["PATH"] ?? "",
  HOME: tmpdir(),
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

describe("serveGitOverHttp", () => {
  let repo: TestGitRepo;
  let server: GitHttpServer;
  let head: string;

  beforeAll(async () => {
    repo = new TestGitRepo();
    head = repo.commit({ "apps/web/cm.yaml": "kind: ConfigMap\n" });
    server = await serveGitOverHttp(repo.dir);
  });

  afterAll(async () => {
    await server?.close();
    repo?.remove();
  });

  it("serves refs and a clone over smart HTTP", async () => {
    const { stdout } = await git("git", ["ls-remote", server.url], { env });
    expect(stdout).toContain(`${head}\trefs/heads/main`);
    const dir = join(mkdtempSync(join(tmpdir(), "flotilla-clone-")), "fleet");
    await git("git", ["clone", "--quiet", server.url, dir], { env });
    expect(readFileSync(join(dir, "apps/web/cm.yaml"), "utf8")).toBe("kind: ConfigMap\n");
  });

  it("sees a new commit at once (no caching between the repository and its readers)", async () => {
    const next = repo.commit({ "apps/web/cm.yaml": "kind: ConfigMap\ndata: {}\n" });
    const { stdout } = await git("git", ["ls-remote", server.url, "refs/heads/main"], { env });
    expect(stdout.trim()).toBe(`${next}\trefs/heads/main`);
  });

  it("refuses pushes", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "flotilla-clone-")), "fleet");
    await git("git", ["clone", "--quiet", server.url, dir], { env });
    await expect(git("git", ["-C", dir, "push", "origin", "HEAD:refs/heads/evil"], { env })).rejects.toThrow(/403/);
  });

  it.each([
    ["another path", "/other.git/info/refs?service=git-upload-pack", 404],
    ["a path leaving the repository", "/fleet.git/../../etc/passwd", 404],
    ["an encoded path leaving it", "/fleet.git/%2e%2e/%2e%2e/config", 404],
    ["receive-pack advertisement", "/fleet.git/info/refs?service=git-receive-pack", 403],
  ])("answers %s with an error, never a file", async (_what, path, status) => {
    const res = await fetch(new URL(path, server.url.replace(/\/fleet\.git$/, "/")));
    expect(res.status).toBe(status);
  });
});
