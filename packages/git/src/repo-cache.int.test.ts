import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FileNotFoundError,
  FileTooLargeError,
  GitUnreachableError,
  InvalidGitArgumentError,
  UnknownRevisionError,
} from "./errors.ts";
import { RepoCache } from "./repo-cache.ts";
import { FixtureRepo } from "./testing/fixture-repo.ts";

const silent = pino({ level: "silent" });
let root: string;
let origin: FixtureRepo;
let first: string;

function newCache(options: Partial<ConstructorParameters<typeof RepoCache>[0]> = {}): RepoCache {
  return new RepoCache({ cacheDir: join(root, "cache"), logger: silent, allowLocalRepos: true, ...options });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "flotilla-git-"));
  origin = new FixtureRepo(join(root, "origin"));
  first = origin.commit(
    {
      "apps/guestbook/config.yaml": "replicas: 1\n",
      "apps/billing/config.yaml": "replicas: 2\n",
      "apps/billing/values/prod.yaml": "tier: prod\n",
      "README.md": "fleet\n",
    },
    "initial",
  );
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("RepoCache on a local repository", () => {
  it("refuses local paths and file:// URLs unless local repositories are allowed, naming the setting", async () => {
    const cache = newCache({ allowLocalRepos: false });
    for (const url of [origin.path, pathToFileURL(origin.path).href]) {
      const refused = cache.resolveRevision(url, "main");
      await expect(refused).rejects.toBeInstanceOf(InvalidGitArgumentError);
      await expect(cache.resolveRevision(url, "main")).rejects.toThrow(
        /is a local repository.*FLOTILLA_ALLOW_LOCAL_REPOS=true/,
      );
    }
    expect(existsSync(join(root, "cache")) ? readdirSync(join(root, "cache")) : []).toEqual([]);
    expect(await newCache().resolveRevision(origin.path, "main")).toBe(first);
  });

  it("resolves branches, tags, HEAD and commit ids", async () => {
    origin.git("tag", "v1.0.0");
    origin.git("tag", "-a", "v1.0.1", "-m", "annotated");
    origin.git("branch", "release");
    const cache = newCache();
    expect(await cache.resolveRevision(origin.path, "main")).toBe(first);
    expect(await cache.resolveRevision(origin.path, "HEAD")).toBe(first);
    expect(await cache.resolveRevision(origin.path, "release")).toBe(first);
    expect(await cache.resolveRevision(origin.path, "refs/heads/release")).toBe(first);
    expect(await cache.resolveRevision(origin.path, "v1.0.0")).toBe(first);
    expect(await cache.resolveRevision(origin.path, "v1.0.1")).toBe(first);
    expect(await cache.resolveRevision(origin.path, first.slice(0, 10))).toBe(first);
    expect(await cache.resolveRevision(origin.path, first)).toBe(first);
  });

  it("lists every file and directory at a commit and reads files without a checkout", async () => {
    const cache = newCache();
    const commit = await cache.resolveRevision(origin.path, "main");
    expect(await cache.listTree(origin.path, commit)).toEqual({
      files: ["README.md", "apps/billing/config.yaml", "apps/billing/values/prod.yaml", "apps/guestbook/config.yaml"],
      directories: ["apps", "apps/billing", "apps/billing/values", "apps/guestbook"],
    });
    expect(await cache.readFile(origin.path, commit, "apps/billing/values/prod.yaml")).toBe("tier: prod\n");
    expect(await cache.readFile(origin.path, commit, "./apps//guestbook/config.yaml")).toBe("replicas: 1\n");
    const mirrors = readdirSync(join(root, "cache"));
    expect(mirrors).toHaveLength(1);
    expect(existsSync(join(root, "cache", mirrors[0]!, "HEAD"))).toBe(true);
    expect(existsSync(join(root, "cache", mirrors[0]!, "apps"))).toBe(false);
  });

  it("serves file:// and plain-path spellings of one repository from one mirror", async () => {
    const cache = newCache();
    const viaPath = await cache.resolveRevision(origin.path, "main");
    const viaURL = await cache.resolveRevision(pathToFileURL(origin.path).href, "main");
    expect(viaURL).toBe(viaPath);
    expect(readdirSync(join(root, "cache"))).toHaveLength(1);
    expect(cache.stats().fetches).toBe(1);
  });

  it("sees a new commit after a forced fetch, and not before the minimum interval has passed", async () => {
    const cache = newCache({ minFetchIntervalMs: 60_000 });
    expect(await cache.resolveRevision(origin.path, "main")).toBe(first);
    const second = origin.commit({ "apps/new/config.yaml": "replicas: 3\n" }, "add new");
    expect(await cache.resolveRevision(origin.path, "main")).toBe(first);
    expect(await cache.resolveRevision(origin.path, "main", { refresh: true })).toBe(second);
    expect((await cache.listTree(origin.path, second)).directories).toContain("apps/new");
    expect((await cache.listTree(origin.path, first)).directories).not.toContain("apps/new");
    expect(cache.stats().fetches).toBe(2);
  });

  it("refresh since a push: a fetch that started after it is enough, one that started before it is not", async () => {
    const cache = newCache({ minFetchIntervalMs: 60_000 });
    await cache.resolveRevision(origin.path, "main");
    const pushed = origin.commit({ "pushed.yaml": "p: 1\n" }, "push");
    const announced = performance.now();
    // The fetch before the announcement does not have the push: this one fetches.
    await cache.refresh(origin.path, { since: announced });
    expect(cache.stats().fetches).toBe(2);
    expect(await cache.resolveRevision(origin.path, "main")).toBe(pushed);
    // That fetch started after the announcement: asking again for the same push fetches nothing.
    await cache.refresh(origin.path, { since: announced });
    expect(cache.stats().fetches).toBe(2);
    // A later push is fetched.
    const later = origin.commit({ "later.yaml": "l: 1\n" }, "later push");
    await cache.refresh(origin.path, { since: performance.now() });
    expect(cache.stats().fetches).toBe(3);
    expect(await cache.resolveRevision(origin.path, "main")).toBe(later);
  });

  it("reads a file at a new commit that did not change it without starting git; a changed file is read again", async () => {
    const cache = newCache();
    const before = await cache.resolveRevision(origin.path, "main");
    expect(await cache.readFile(origin.path, before, "apps/billing/values/prod.yaml")).toBe("tier: prod\n");
    expect(await cache.readFile(origin.path, before, "apps/guestbook/config.yaml")).toBe("replicas: 1\n");
    const after = origin.commit({ "apps/guestbook/config.yaml": "replicas: 2\n" }, "scale guestbook");
    expect(await cache.resolveRevision(origin.path, "main", { refresh: true })).toBe(after);
    await cache.listTree(origin.path, after);
    const started = cache.stats().processes;
    // Same blob as at the commit before: served from the cache by its id.
    expect(await cache.readFile(origin.path, after, "apps/billing/values/prod.yaml")).toBe("tier: prod\n");
    expect(cache.stats().processes).toBe(started);
    // Another blob: one process, and the old commit still reads its own content.
    expect(await cache.readFile(origin.path, after, "apps/guestbook/config.yaml")).toBe("replicas: 2\n");
    expect(cache.stats().processes).toBe(started + 1);
    expect(await cache.readFile(origin.path, before, "apps/guestbook/config.yaml")).toBe("replicas: 1\n");
    await expect(cache.readFile(origin.path, after, "apps/guestbook")).rejects.toThrow(/is a directory/);
    await expect(cache.readFile(origin.path, after, "apps/nothing.yaml")).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it("reads the files of a commit asked for together through one git process", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`bulk/app-${i}/config.yaml`, `index: ${i}\n`]),
    );
    const commit = origin.commit(files, "forty apps");
    const cache = newCache();
    expect(await cache.resolveRevision(origin.path, "main")).toBe(commit);
    await cache.listTree(origin.path, commit);
    const started = cache.stats().processes;
    const read = await Promise.all(Object.keys(files).map((path) => cache.readFile(origin.path, commit, path)));
    expect(read).toEqual(Object.values(files));
    expect(cache.stats().processes).toBe(started + 1);
  });

  it("asks the remote which branch HEAD is only when HEAD is resolved: a push on a named branch is one process (the fetch)", async () => {
    const cache = newCache({ minFetchIntervalMs: 60_000 });
    await cache.resolveRevision(origin.path, "HEAD");
    const pushed = origin.commit({ "named.yaml": "n: 1\n" });
    const started = cache.stats().processes;
    expect(await cache.resolveRevision(origin.path, "main", { refresh: true })).toBe(pushed);
    // The fetch; the branch is read from the mirror's refs.
    expect(cache.stats().processes).toBe(started + 1);
    expect(await cache.resolveRevision(origin.path, "HEAD")).toBe(pushed);
    // ls-remote (the mirror's HEAD already names main, set at the first HEAD: no symbolic-ref), rev-parse
    expect(cache.stats().processes).toBe(started + 3);
  });

  it("fetches again on its own once the minimum interval has passed", async () => {
    const cache = newCache({ minFetchIntervalMs: 0 });
    await cache.resolveRevision(origin.path, "main");
    const second = origin.commit({ "x.yaml": "x: 1\n" });
    expect(await cache.resolveRevision(origin.path, "main")).toBe(second);
  });

  it("follows deleted branches and a changed default branch", async () => {
    origin.git("branch", "old");
    const cache = newCache();
    await cache.resolveRevision(origin.path, "old");
    origin.git("branch", "-D", "old");
    origin.git("checkout", "--quiet", "-b", "trunk");
    const trunk = origin.commit({ "trunk.yaml": "t: 1\n" });
    await cache.refresh(origin.path);
    await expect(cache.resolveRevision(origin.path, "old")).rejects.toBeInstanceOf(UnknownRevisionError);
    expect(await cache.resolveRevision(origin.path, "HEAD")).toBe(trunk);
  });

  it("reads a commit pushed after the last fetch by fetching once more", async () => {
    const cache = newCache({ minFetchIntervalMs: 0 });
    await cache.resolveRevision(origin.path, "main");
    const second = origin.commit({ "late.yaml": "late: true\n" });
    expect(await cache.readFile(origin.path, second, "late.yaml")).toBe("late: true\n");
  });
});

describe("RepoCache errors", () => {
  it("reports an unknown branch, tag or commit as UnknownRevisionError", async () => {
    const cache = newCache();
    const err = await cache.resolveRevision(origin.path, "no-such-branch").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownRevisionError);
    expect(err).toMatchObject({ revision: "no-such-branch", repoURL: origin.path });
    expect(String(err)).toContain('unknown revision "no-such-branch"');
    await expect(cache.resolveRevision(origin.path, "0".repeat(40))).rejects.toBeInstanceOf(UnknownRevisionError);
    await expect(cache.listTree(origin.path, "0".repeat(40))).rejects.toBeInstanceOf(UnknownRevisionError);
  });

  it("reports a missing file, a directory and a file over the limit with their own errors", async () => {
    const big = origin.commit({ "big.bin": Buffer.alloc(2048, 1) });
    const cache = newCache({ maxFileBytes: 1024 });
    const missing = await cache.readFile(origin.path, big, "apps/nope.yaml").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FileNotFoundError);
    expect(missing).toMatchObject({ path: "apps/nope.yaml", commit: big });
    await expect(cache.readFile(origin.path, big, "apps/billing")).rejects.toThrow("is a directory");
    await expect(cache.readFile(origin.path, big, "README.md/x")).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(cache.readFile(origin.path, big, "apps/*/config.yaml")).rejects.toBeInstanceOf(FileNotFoundError);
    const tooLarge = await cache.readFile(origin.path, big, "big.bin").catch((e: unknown) => e);
    expect(tooLarge).toBeInstanceOf(FileTooLargeError);
    expect(tooLarge).toMatchObject({ size: 2048, limit: 1024 });
  });

  it("keeps the cache usable when the repository disappears, and says Git is unreachable", async () => {
    const cache = newCache({ minFetchIntervalMs: 0 });
    const commit = await cache.resolveRevision(origin.path, "main");
    rmSync(origin.path, { recursive: true, force: true });
    const err = await cache.resolveRevision(origin.path, "main").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitUnreachableError);
    expect(String(err)).toContain("does not appear to be a git repository");
    expect(await cache.readFile(origin.path, commit, "README.md")).toBe("fleet\n");
    expect((await cache.listTree(origin.path, commit)).files).toContain("README.md");
    expect(await cache.resolveRevision(origin.path, commit)).toBe(commit);
  });

  it("leaves no half-made mirror behind when the first clone fails", async () => {
    const cache = newCache();
    const gone = join(root, "never-existed");
    await expect(cache.resolveRevision(gone, "main")).rejects.toBeInstanceOf(GitUnreachableError);
    expect(readdirSync(join(root, "cache"))).toEqual([]);
  });

  it("repeats a failed fetch's error within the interval instead of fetching again", async () => {
    const cache = newCache({ minFetchIntervalMs: 60_000 });
    const gone = join(root, "never-existed");
    const errors = await Promise.all(
      Array.from({ length: 5 }, () => cache.resolveRevision(gone, "main").catch((e: unknown) => e)),
    );
    expect(errors.every((e) => e instanceof GitUnreachableError)).toBe(true);
    expect(cache.stats()).toMatchObject({ fetches: 1, fetchFailures: 1 });
  });
});

describe("RepoCache under concurrency", () => {
  it("serves 20 concurrent resolves and reads with a single fetch", async () => {
    const cache = newCache();
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const commit = await cache.resolveRevision(origin.path, i % 2 === 0 ? "main" : "HEAD");
        const [tree, content] = await Promise.all([
          cache.listTree(origin.path, commit),
          cache.readFile(origin.path, commit, "apps/guestbook/config.yaml"),
        ]);
        return `${commit} ${tree.files.length} ${content}`;
      }),
    );
    expect(new Set(results)).toEqual(new Set([`${first} 4 replicas: 1\n`]));
    expect(cache.stats().fetches).toBe(1);
  });

  it("coalesces concurrent forced refreshes into one fetch that starts after they were asked for", async () => {
    const cache = newCache();
    await cache.resolveRevision(origin.path, "main");
    const second = origin.commit({ "pushed.yaml": "p: 1\n" });
    await Promise.all(Array.from({ length: 10 }, () => cache.refresh(origin.path)));
    expect(cache.stats().fetches).toBe(2);
    expect(await cache.resolveRevision(origin.path, "main")).toBe(second);
  });
});

describe("RepoCache against hostile input", () => {
  it.each([
    ["--upload-pack=touch PWNED", "repoURL"],
    ["-oProxyCommand=touch PWNED", "repoURL"],
    ["ext::sh -c touch% PWNED", "repoURL"],
  ])("refuses the repository URL %j before running git", async (url, argument) => {
    const cache = newCache();
    const err = await cache.resolveRevision(url.replace("PWNED", join(root, "pwned")), "main").catch((e) => e);
    expect(err).toBeInstanceOf(InvalidGitArgumentError);
    expect(err).toMatchObject({ argument });
    expect(existsSync(join(root, "pwned"))).toBe(false);
    expect(cache.stats().fetches).toBe(0);
  });

  it("refuses revisions that git would read as options or expressions", async () => {
    const cache = newCache();
    for (const revision of [`--output=${join(root, "pwned")}`, "main:README.md", "main\u0000", "HEAD~1"]) {
      await expect(cache.resolveRevision(origin.path, revision)).rejects.toBeInstanceOf(InvalidGitArgumentError);
    }
    expect(existsSync(join(root, "pwned"))).toBe(false);
  });

  it("refuses paths outside the repository and non-commit ids for reads", async () => {
    const cache = newCache();
    const commit = await cache.resolveRevision(origin.path, "main");
    for (const path of ["../origin/README.md", "/etc/passwd", "apps/\u0000x", "apps/../../x"]) {
      await expect(cache.readFile(origin.path, commit, path)).rejects.toBeInstanceOf(InvalidGitArgumentError);
    }
    await expect(cache.listTree(origin.path, "main")).rejects.toBeInstanceOf(InvalidGitArgumentError);
    await expect(cache.readFile(origin.path, "--output=x", "README.md")).rejects.toBeInstanceOf(
      InvalidGitArgumentError,
    );
  });
});
