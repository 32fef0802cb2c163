import { describe, expect, it } from "vitest";
import { axisWindow, moveFocus, scrollToReveal, slotCount, slotIndices } from "./virtual-window.ts";

describe("axisWindow", () => {
  it("draws only what is in view plus the overscan", () => {
    expect(axisWindow({ count: 1000, itemSize: 34, scroll: 3400, viewport: 680, overscan: 2 })).toEqual({
      start: 98,
      end: 122,
      offset: 98 * 34,
      total: 34_000,
    });
  });
  it("1,000 clusters × 50 ApplicationSets in a 1280×800 view draw about 1,000 cells, not 50,000", () => {
    const cols = axisWindow({ count: 1000, itemSize: 34, scroll: 0, viewport: 1040 });
    const rows = axisWindow({ count: 50, itemSize: 26, scroll: 0, viewport: 600 });
    expect((cols.end - cols.start) * (rows.end - rows.start)).toBeLessThan(1100);
  });
  it("clamps a scroll past the end (the viewport grew) to the last full window", () => {
    expect(axisWindow({ count: 10, itemSize: 10, scroll: 10_000, viewport: 50, overscan: 0 })).toMatchObject({
      start: 5,
      end: 10,
    });
  });
  it("a viewport larger than the content draws everything", () => {
    expect(axisWindow({ count: 3, itemSize: 10, scroll: 0, viewport: 500 })).toMatchObject({ start: 0, end: 3 });
  });
  it.each([
    { count: 0, itemSize: 10, scroll: 0, viewport: 100 },
    { count: Number.NaN, itemSize: 10, scroll: 0, viewport: 100 },
    { count: 10, itemSize: 0, scroll: -50, viewport: Number.POSITIVE_INFINITY },
    { count: -5, itemSize: -1, scroll: Number.NaN, viewport: -1 },
  ])("stays sane for %o", (input) => {
    const w = axisWindow(input);
    expect(w.start).toBeGreaterThanOrEqual(0);
    expect(w.end).toBeGreaterThanOrEqual(w.start);
    expect(Number.isFinite(w.total)).toBe(true);
  });
});

describe("scrollToReveal", () => {
  it("moves the least to bring an item into view", () => {
    expect(scrollToReveal({ index: 5, itemSize: 10, scroll: 100, viewport: 50 })).toBe(50);
    expect(scrollToReveal({ index: 20, itemSize: 10, scroll: 100, viewport: 50 })).toBe(160);
    expect(scrollToReveal({ index: 12, itemSize: 10, scroll: 100, viewport: 50 })).toBe(100);
  });
});

describe("moveFocus", () => {
  const size = { rows: 3, cols: 4, pageRows: 2 };
  it.each([
    ["ArrowRight", { row: 1, col: 2 }],
    ["ArrowLeft", { row: 1, col: 0 }],
    ["ArrowDown", { row: 2, col: 1 }],
    ["ArrowUp", { row: 0, col: 1 }],
    ["Home", { row: 1, col: 0 }],
    ["End", { row: 1, col: 3 }],
    ["PageDown", { row: 2, col: 1 }],
    ["PageUp", { row: 0, col: 1 }],
  ])("%s from (1,1)", (key, to) => expect(moveFocus({ row: 1, col: 1 }, key, size)).toEqual(to));
  it("stops at the edges", () => {
    expect(moveFocus({ row: 0, col: 0 }, "ArrowUp", size)).toEqual({ row: 0, col: 0 });
    expect(moveFocus({ row: 2, col: 3 }, "ArrowRight", size)).toEqual({ row: 2, col: 3 });
  });
  it("ignores other keys", () => expect(moveFocus({ row: 0, col: 0 }, "a", size)).toBeUndefined());
});

describe("slots", () => {
  it("gives every index of a window its own slot, in slot order", () => {
    expect(slotIndices({ start: 5, end: 9 }, 4)).toEqual([8, 5, 6, 7]);
    expect(slotIndices({ start: 0, end: 2 }, 4)).toEqual([0, 1, undefined, undefined]);
  });
  it("a scroll by one item moves one index to another slot; the rest keep theirs", () => {
    const before = slotIndices({ start: 10, end: 20 }, 12);
    const after = slotIndices({ start: 11, end: 21 }, 12);
    const kept = before.filter((i, s) => i !== undefined && after[s] === i);
    expect(kept).toHaveLength(9);
  });
  it("has room for the widest window of a viewport", () => {
    const slots = slotCount({ itemSize: 34, viewport: 1000, overscan: 4 });
    for (let scroll = 0; scroll < 5000; scroll += 7) {
      const w = axisWindow({ count: 1000, itemSize: 34, scroll, viewport: 1000, overscan: 4 });
      expect(w.end - w.start).toBeLessThanOrEqual(slots);
      expect(slotIndices(w, slots).filter((i) => i !== undefined)).toHaveLength(w.end - w.start);
    }
  });
});
