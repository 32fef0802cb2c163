import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readBranch } from "./refs.ts";

// Against a real repository: whatever readBranch answers must be what git itself resolves the name to.
describe("readBranch (real git)", () => {
  const dir = mkdtempSync(join(tmpdir(), "flotilla-refs-"));
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    })
      .toString()
      .trim();
  const revParse = (name: string): string | undefined => {
    try {
      return git("rev-parse", "--verify", "--quiet", "--end-of-options", `${name}^{commit}`);
    } catch {
      return undefined;
    }
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  git("init", "--quiet", "--bare", dir);
  const commit = (message: string, parent?: string) => {
    const tree = git("mktree");
    const args = ["commit-tree", tree, "-m", message, ...(parent ? ["-p", parent] : [])];
    return execFileSync("git", args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@t",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@t",
      },
    })
      .toString()
      .trim();
  };
  const one = commit("one");
  const two = commit("two", one);
  const three = commit("three", two);

  const names = ["main", "refs/heads/main", "packed", "shadowed", "release/1.x", "sym", "gone", "deadbeef", "HEAD"];

  it("answers plain branches, loose or packed, exactly as git does, and leaves the rest to git", async () => {
    git("update-ref", "refs/heads/main", one);
    git("update-ref", "refs/heads/packed", two);
    git("update-ref", "refs/heads/release/1.x", three);
    git("pack-refs", "--all");
    // A loose ref newer than its packed copy wins, as in git.
    git("update-ref", "refs/heads/main", three);
    // A tag of the same name comes before the branch in git's lookup order.
    git("update-ref", "refs/heads/shadowed", one);
    git("tag", "shadowed", two);
    git("symbolic-ref", "refs/heads/sym", "refs/heads/main");
    git("update-ref", "refs/heads/deadbeef", one);

    const answered: Record<string, string | undefined> = {};
    for (const name of names) {
      const mine = await readBranch(dir, name);
      answered[name] = mine;
      if (mine !== undefined) expect(mine, name).toBe(revParse(name));
    }
    expect(answered).toEqual({
      main: three,
      "refs/heads/main": three,
      packed: two,
      shadowed: undefined,
      "release/1.x": three,
      sym: undefined,
      gone: undefined,
      deadbeef: undefined,
      HEAD: undefined,
    });
  });

  it("leaves a packed-refs file of another format to git", async () => {
    writeFileSync(join(dir, "packed-refs"), "not a ref line\n");
    expect(await readBranch(dir, "packed")).toBeUndefined();
    expect(await readBranch(join(dir, "nowhere"), "main")).toBeUndefined();
  });
});
