import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// Built with the git binary directly, never through the code under test, and ignoring the developer's git config.
const GIT_ENV = {
  PATH: process.env.PATH ?? "",
  HOME: tmpdir(),
  LC_ALL: "C",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Flotilla test",
  GIT_AUTHOR_EMAIL: "test@flotilla.dev",
  GIT_COMMITTER_NAME: "Flotilla test",
  GIT_COMMITTER_EMAIL: "test@flotilla.dev",
};

/** A real Git repository on disk (a fleet or a source repository) that a test rewrites commit by commit. */
export class TestGitRepo {
  readonly dir: string;

  constructor(dir: string = mkdtempSync(join(tmpdir(), "flotilla-repo-"))) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.git("init", "--quiet", "--initial-branch=main");
  }

  /** Replaces the whole tree with `files` and commits; returns the commit id. */
  commit(files: Record<string, string>, message = "update"): string {
    this.git("rm", "-r", "--quiet", "--ignore-unmatch", ".");
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), text);
    }
    this.git("add", "-A");
    this.git("commit", "--quiet", "--allow-empty", "-m", message);
    return this.git("rev-parse", "HEAD").trim();
  }

  /** Deletes the repository: to its readers it is now unreachable. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, env: GIT_ENV, encoding: "utf8" });
  }
}
