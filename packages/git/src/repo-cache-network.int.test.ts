import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { credentialsByPrefix } from "./credentials.ts";
import { GitAuthError, GitUnreachableError } from "./errors.ts";
import { RepoCache } from "./repo-cache.ts";
import { FixtureRepo } from "./testing/fixture-repo.ts";
import { dumbHttpGitServer, echoingGitServer, type LocalServer, silentTcpServer } from "./testing/local-servers.ts";

const TOKEN = "s3cr3t-token";
const BASIC = Buffer.from(`bot:${TOKEN}`).toString("base64");

let root: string;
let logLines: string[];
let servers: LocalServer[];

function capturingLogger() {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  return pino({ level: "trace" }, sink);
}

function cacheWithToken(options: Partial<ConstructorParameters<typeof RepoCache>[0]> = {}): RepoCache {
  return new RepoCache({
    cacheDir: join(root, "cache"),
    logger: capturingLogger(),
    credentials: credentialsByPrefix([
      { urlPrefix: "http://127.0.0.1", credentials: { kind: "https-token", username: "bot", token: TOKEN } },
    ]),
    ...options,
  });
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(BASIC);
}

/** Every file under dir, concatenated: the on-disk cache must not hold the token anywhere. */
function allFileContents(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString("latin1"))
    .join("\n");
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "flotilla-git-net-"));
  logLines = [];
  servers = [];
});

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});

describe("RepoCache over HTTP", () => {
  it("authenticates with a configured token and stores it nowhere on disk", async () => {
    const origin = new FixtureRepo(join(root, "origin"));
    const commit = origin.commit({ "apps/a/config.yaml": "a: 1\n" });
    const bare = join(root, "served.git");
    origin.git("clone", "--quiet", "--bare", origin.path, bare);
    origin.git("-C", bare, "update-server-info");
    const server = await dumbHttpGitServer(bare, `Basic ${BASIC}`);
    servers.push(server);

    const cache = cacheWithToken();
    expect(await cache.resolveRevision(server.url, "main")).toBe(commit);
    expect(await cache.readFile(server.url, commit, "apps/a/config.yaml")).toBe("a: 1\n");
    expect(server.requests.every((r) => r.headers.authorization === `Basic ${BASIC}`)).toBe(true);
    expectNoSecret(allFileContents(join(root, "cache")));
    expectNoSecret(logLines.join(""));
    expect(logLines.join("")).toContain("git fetch done");
  });

  it("reports refused credentials as GitAuthError without revealing them", async () => {
    const server = await dumbHttpGitServer(join(root, "served.git"), "Basic something-else");
    servers.push(server);

    const err = await cacheWithToken()
      .resolveRevision(server.url, "main")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitAuthError);
    expect(server.requests.length).toBeGreaterThan(0);
    expectNoSecret(String(err));
    expectNoSecret(JSON.stringify(err));
    expectNoSecret(logLines.join(""));
    expect(logLines.join("")).toContain("git fetch failed");
  });

  it("scrubs a token that the server echoes back into git's error output", async () => {
    const server = await echoingGitServer();
    servers.push(server);

    const err = await cacheWithToken()
      .resolveRevision(server.url, "main")
      .catch((e: unknown) => e);
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(err).toBeInstanceOf(GitUnreachableError);
    expect(String(err)).toContain("remote error: echo Basic ***");
    expectNoSecret(String(err));
    expect(String(err)).not.toContain("bot:");
    expectNoSecret(logLines.join(""));
  });

  it("kills a fetch from a server that never answers and reports Git as unreachable", async () => {
    const server = await silentTcpServer();
    servers.push(server);

    const started = performance.now();
    const err = await cacheWithToken({ fetchTimeoutMs: 1_000 })
      .resolveRevision(server.url, "main")
      .catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(GitUnreachableError);
    expect(String(err)).toContain("timed out after 1000 ms");
    expect(elapsed).toBeLessThan(5_000);
    expect(readdirSync(join(root, "cache"))).toEqual([]);
  });
});
