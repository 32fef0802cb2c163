import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BlobBatch } from "./blob-batch.ts";
import { gitEnvironment } from "./git-process.ts";

// Against a real repository and a real `git cat-file --batch`.
describe("BlobBatch (real git)", () => {
  const dir = mkdtempSync(join(tmpdir(), "flotilla-batch-"));
  execFileSync("git", ["init", "--bare", "--quiet", dir]);
  const write = (content: string) =>
    execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: dir, input: content }).toString().trim();
  const env = gitEnvironment(true);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("answers many reads, in order, from one process; an unknown object is undefined; an object written later is seen", async () => {
    let spawned = 0;
    const batch = new BlobBatch({ dir, env, timeoutMs: 10_000, onSpawn: () => spawned++ });
    const contents = Array.from({ length: 50 }, (_, i) => `kind: ConfigMap\nindex: ${i}\n${"x".repeat(i * 1000)}\n`);
    const ids = contents.map(write);
    const read = await Promise.all(ids.map((id) => batch.read(id)));
    expect(read.map((b) => b?.toString("utf8"))).toEqual(contents);
    expect(await batch.read("0".repeat(40))).toBeUndefined();
    const later = write("written after the process started\n");
    expect((await batch.read(later))?.toString()).toBe("written after the process started\n");
    expect(spawned).toBe(1);
    batch.close();
  });

  it("a closed or killed process fails its reads, and the next read starts a new one", async () => {
    let spawned = 0;
    const batch = new BlobBatch({ dir, env, timeoutMs: 10_000, onSpawn: () => spawned++ });
    const id = write("again\n");
    expect((await batch.read(id))?.toString()).toBe("again\n");
    const inFlight = batch.read(id);
    batch.close();
    await expect(inFlight).rejects.toThrow(/closed/);
    expect((await batch.read(id))?.toString()).toBe("again\n");
    expect(spawned).toBe(2);
    await expect(batch.read("not-an-id\nHEAD")).rejects.toThrow(/not an object id/);
    batch.close();
  });

  it("past the slots it may take, it starts nothing and answers undefined (the caller reads the one-shot way)", async () => {
    const batch = new BlobBatch({ dir, env, timeoutMs: 10_000, slots: { take: () => false, give: () => {} } });
    expect(await batch.read(write("no slot\n"))).toBeUndefined();
  });
});
