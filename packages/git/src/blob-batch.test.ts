import { describe, expect, it } from "vitest";
import { BlobBatcher, parseBatch } from "./blob-batch.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(64);

describe("parseBatch", () => {
  it("reads every answer, contents counted in bytes, with a missing object in between", () => {
    const output = Buffer.concat([
      Buffer.from(`${A} blob 6\nhello\n\n`),
      Buffer.from(`${B} missing\n`),
      Buffer.from(`${C} blob 3\n\u00e9\n\n`),
      Buffer.from(`${A} blob 0\n\n`),
    ]);
    expect(parseBatch(output)).toEqual([
      { object: A, content: Buffer.from("hello\n") },
      { object: B, missing: true },
      { object: C, content: Buffer.from("\u00e9\n") },
      { object: A, content: Buffer.alloc(0) },
    ]);
  });

  it("keeps contents with newlines and the header's look-alikes intact", () => {
    const content = `${A} blob 3\nnot a header\n`;
    const output = Buffer.from(`${A} blob ${Buffer.byteLength(content)}\n${content}\n`);
    expect(parseBatch(output)).toEqual([{ object: A, content: Buffer.from(content) }]);
  });

  it("refuses output that is not cat-file's, or is cut short", () => {
    expect(() => parseBatch(Buffer.from("fatal: not a git repository\n"))).toThrow(/unexpected header/);
    expect(() => parseBatch(Buffer.from(`${A} blob -1\n`))).toThrow(/unexpected header/);
    expect(() => parseBatch(Buffer.from(`${A} blob 10\nshort\n`))).toThrow(/cut short/);
    expect(() => parseBatch(Buffer.from(`${A} blob 1`))).toThrow(/inside a header/);
  });
});

/** What git would print for these ids, from a table of contents. */
function fakeGit(contents: Record<string, string>) {
  const calls: string[][] = [];
  const run = async (objects: readonly string[]) => {
    calls.push([...objects]);
    return Buffer.concat(
      objects.map((o) => {
        const c = contents[o];
        return Buffer.from(c === undefined ? `${o} missing\n` : `${o} blob ${Buffer.byteLength(c)}\n${c}\n`);
      }),
    );
  };
  return { run, calls };
}

describe("BlobBatcher", () => {
  it("asks once for everything asked in the same turn, each id once, and answers each caller", async () => {
    const git = fakeGit({ [A]: "one\n", [C]: "three\n" });
    const batcher = new BlobBatcher(git.run);
    const read = await Promise.all([A, B, C, A].map((o) => batcher.read(o)));
    expect(read.map((b) => b?.toString())).toEqual(["one\n", undefined, "three\n", "one\n"]);
    expect(git.calls).toEqual([[A, B, C]]);
    // A later turn is a later process.
    expect((await batcher.read(C))?.toString()).toBe("three\n");
    expect(git.calls).toHaveLength(2);
  });

  it("splits a large turn into processes of at most maxPerProcess ids", async () => {
    const ids = Array.from({ length: 5 }, (_, i) => String(i).repeat(40));
    const git = fakeGit(Object.fromEntries(ids.map((id) => [id, `${id}\n`])));
    const batcher = new BlobBatcher(git.run, 2);
    expect((await Promise.all(ids.map((o) => batcher.read(o)))).map((b) => b?.toString())).toEqual(
      ids.map((id) => `${id}\n`),
    );
    expect(git.calls.map((c) => c.length)).toEqual([2, 2, 1]);
  });

  it("fails every read of a failed process, or of an answer that is not git's, and refuses what is not an id", async () => {
    const failing = new BlobBatcher(async () => {
      throw new Error("git died");
    });
    await expect(Promise.all([failing.read(A), failing.read(B)])).rejects.toThrow(/git died/);
    const garbled = new BlobBatcher(async () => Buffer.from("fatal: bad\n"));
    await expect(garbled.read(A)).rejects.toThrow(/unexpected header/);
    const silent = new BlobBatcher(async () => Buffer.alloc(0));
    await expect(silent.read(A)).rejects.toThrow(/no answer/);
    await expect(new BlobBatcher(fakeGit({}).run).read("HEAD\nrefs/x")).rejects.toThrow(/not an object id/);
  });
});
