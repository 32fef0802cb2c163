import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RepoCache } from "@flotilla/git";
import { pino } from "pino";

const TESTDATA = fileURLToPath(new URL("../../testdata", import.meta.url));

// Built with the git binary directly, never through the code under test, and ignoring the developer's config.
const GIT_ENV = {
  PATH: process.env["PATH"] ?? "",
  HOME: tmpdir(),
  LC_ALL: "C",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Fixture",
  GIT_AUTHOR_EMAIL: "fixture@flotilla.test",
  GIT_COMMITTER_NAME: "Fixture",
  GIT_COMMITTER_EMAIL: "fixture@flotilla.test",
};

export interface GitFixture {
  /** A local path, which RepoCache accepts as a repository URL. */
  repoURL: string;
  commit: string;
  cache: RepoCache;
  /** Scratch space for render temp directories. */
  tempDir: string;
  cleanup(): void;
}

export interface FixtureExtras {
  /** Extra files, by repository path. */
  files?: Record<string, string>;
  /** Symbolic links, by repository path → target (committed as links). */
  symlinks?: Record<string, string>;
}

/** A real repository on disk holding packages/render/testdata plus extras, read through a real RepoCache. */
export function createGitFixture(extras: FixtureExtras = {}): GitFixture {
  const root = mkdtempSync(join(tmpdir(), "flotilla-render-it-"));
  const repo = join(root, "origin");
  cpSync(TESTDATA, repo, { recursive: true });
  for (const [path, text] of Object.entries(extras.files ?? {})) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  for (const [path, target] of Object.entries(extras.symlinks ?? {})) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    symlinkSync(target, join(repo, path));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: GIT_ENV, encoding: "utf8" }).trim();
  git("init", "--quiet", "--initial-branch=main");
  git("add", "--all");
  git("commit", "--quiet", "-m", "fixture");
  const commit = git("rev-parse", "HEAD");
  const tempDir = join(root, "render");
  mkdirSync(tempDir);
  const cache = new RepoCache({
    cacheDir: join(root, "cache"),
    logger: pino({ level: "silent" }),
    allowLocalRepos: true,
  });
  return { repoURL: repo, commit, cache, tempDir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
