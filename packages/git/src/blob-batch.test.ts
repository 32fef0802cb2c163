import { describe, expect, it } from "vitest";
import { BatchParser, batchSlots } from "./blob-batch.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(64);

/** What git cat-file --batch prints for these requests. */
function output(): Buffer {
  return Buffer.concat([
    Buffer.from(`${A} blob 6\nhello\n\n`),
    Buffer.from(`${B} missing\n`),
    Buffer.from(`${C} blob 3\n\u00e9\n\n`),
    Buffer.from(`${A} blob 0\n\n`),
  ]);
}

const expected = [
  { object: A, content: Buffer.from("hello\n") },
  { object: B, missing: true },
  { object: C, content: Buffer.from("\u00e9\n") },
  { object: A, content: Buffer.alloc(0) },
];

describe("BatchParser", () => {
  it("reads answers whole however the output is cut: all at once, or a byte at a time", () => {
    const bytes = output();
    expect(new BatchParser().push(bytes)).toEqual(expected);
    const parser = new BatchParser();
    const answers = [...bytes].flatMap((byte) => parser.push(Buffer.from([byte])));
    expect(answers).toEqual(expected);
  });

  it("keeps contents with newlines and the header's look-alikes intact", () => {
    const content = `${A} blob 3\nnot a header\n`;
    const bytes = Buffer.from(`${A} blob ${Buffer.byteLength(content)}\n${content}\n`);
    expect(new BatchParser().push(bytes)).toEqual([{ object: A, content: Buffer.from(content) }]);
  });

  it("refuses output that is not cat-file's", () => {
    expect(() => new BatchParser().push(Buffer.from("fatal: not a git repository\n"))).toThrow(/unexpected header/);
    expect(() => new BatchParser().push(Buffer.from(`${A} blob -1\n`))).toThrow(/unexpected header/);
  });
});

describe("batchSlots", () => {
  it("lets at most max be taken until one is given back", () => {
    const slots = batchSlots(2);
    expect([slots.take(), slots.take(), slots.take()]).toEqual([true, true, false]);
    slots.give();
    expect(slots.take()).toBe(true);
  });
});
