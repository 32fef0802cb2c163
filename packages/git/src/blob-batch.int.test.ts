import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BlobBatcher } from "./blob-batch.ts";
import { createGitRunner } from "./git-process.ts";

// Against a real repository and a real `git cat-file --batch`.
describe("BlobBatcher (real git)", () => {
  const dir = mkdtempSync(join(tmpdir(), "flotilla-batch-"));
  execFileSync("git", ["init", "--bare", "--quiet", dir]);
  const write = (content: string) =>
    execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: dir, input: content }).toString().trim();
  const git = createGitRunner({ maxConcurrentProcesses: 4, isolateConfig: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads many blobs, large and small, through one process; an unknown object is undefined", async () => {
    let processes = 0;
    const batcher = new BlobBatcher((objects) => {
      processes++;
      return git.runWithInput(
        { cwd: dir, args: ["cat-file", "--batch"], timeoutMs: 10_000 },
        `${objects.join("\n")}\n`,
      );
    });
    const contents = Array.from({ length: 50 }, (_, i) => `kind: ConfigMap\nindex: ${i}\n${"é".repeat(i * 2000)}\n`);
    const ids = contents.map(write);
    const read = await Promise.all([...ids, "0".repeat(40)].map((id) => batcher.read(id)));
    expect(read.map((b) => b?.toString("utf8"))).toEqual([...contents, undefined]);
    expect(processes).toBe(1);
  });

  it("a git that fails or hangs is a failed read, not a stuck one", async () => {
    await expect(
      git.runWithInput({ cwd: join(dir, "nowhere"), args: ["cat-file", "--batch"], timeoutMs: 10_000 }, "x\n"),
    ).rejects.toThrow();
    const hangs = ["-c", "alias.hang=!sleep 3", "hang"];
    await expect(git.runWithInput({ cwd: dir, args: hangs, timeoutMs: 200 }, "")).rejects.toMatchObject({
      timedOut: true,
    });
  });
});
