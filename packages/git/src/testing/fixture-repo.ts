import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

// Fixture repositories are built with the git binary directly, not through the code under test, and with an
// environment that ignores the developer's own git config.
const GIT_ENV = {
  PATH: process.env["PATH"] ?? "",
  HOME: process.env["HOME"] ?? "",
  LC_ALL: "C",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Fixture",
  GIT_AUTHOR_EMAIL: "fixture@flotilla.test",
  GIT_COMMITTER_NAME: "Fixture",
  GIT_COMMITTER_EMAIL: "fixture@flotilla.test",
};

/** A non-bare repository on disk that tests commit to, branch and tag. */
export class FixtureRepo {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    mkdirSync(path, { recursive: true });
    this.git("init", "--quiet", "--initial-branch=main");
  }

  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.path, env: GIT_ENV, encoding: "utf8" }).trim();
  }

  /** Writes (string) or deletes (null) files, commits them all and returns the new commit id. */
  commit(files: Record<string, string | Buffer | null>, message = "change"): string {
    for (const [file, content] of Object.entries(files)) {
      const target = join(this.path, file);
      if (content === null) {
        rmSync(target, { recursive: true, force: true });
      } else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
    }
    this.git("add", "--all");
    this.git("commit", "--quiet", "--allow-empty", "-m", message);
    return this.git("rev-parse", "HEAD");
  }
}
