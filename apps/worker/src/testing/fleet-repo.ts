import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// Test-only (left out of the build). The idea is apps/generator's TestFleetRepo; copied rather than imported
// so the worker does not depend on the generator.

/** A real Git repository on disk that a test rewrites commit by commit. */
export class TestRepo {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "flotilla-worker-repo-"));
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

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private git(...args: string[]): string {
    return execFileSync("git", args, {
      cwd: this.dir,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "test",
        GIT_AUTHOR_EMAIL: "test@flotilla.dev",
        GIT_COMMITTER_NAME: "test",
        GIT_COMMITTER_EMAIL: "test@flotilla.dev",
      },
    });
  }
}
