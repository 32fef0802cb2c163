/** One axis of a virtualised grid: items of a fixed size, of which only those in view (plus a margin) are drawn. */
export interface AxisWindow {
  /** First drawn index. */
  start: number;
  /** One past the last drawn index. */
  end: number;
  /** Pixel offset of `start`. */
  offset: number;
  /** Pixel length of all items, for the scroll area. */
  total: number;
}

export interface AxisInput {
  count: number;
  itemSize: number;
  /** Scroll position along the axis, in pixels. */
  scroll: number;
  /** Visible length of the viewport, in pixels. */
  viewport: number;
  /** Items drawn beyond each edge so fast scrolling shows no blank strip. @defaultValue 4 */
  overscan?: number;
}

const finite = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);

export function axisWindow(input: AxisInput): AxisWindow {
  const count = Math.max(0, Math.floor(finite(input.count)));
  const size = finite(input.itemSize) || 1;
  const overscan = Math.max(0, Math.floor(input.overscan ?? 4));
  const total = count * size;
  const scroll = Math.min(finite(input.scroll), Math.max(0, total - finite(input.viewport)));
  const first = Math.floor(scroll / size);
  const visible = Math.ceil((scroll + finite(input.viewport)) / size);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.max(start, Math.min(count, visible + overscan));
  return { start, end, offset: start * size, total };
}

/**
 * The scroll position that brings item `index` fully into view, moving as little as possible (keyboard
 * navigation reveals the focused cell); the current one when it is already in view.
 */
export function scrollToReveal(input: { index: number; itemSize: number; scroll: number; viewport: number }): number {
  const top = input.index * input.itemSize;
  const bottom = top + input.itemSize;
  if (top < input.scroll) return top;
  if (bottom > input.scroll + input.viewport) return Math.max(0, bottom - input.viewport);
  return input.scroll;
}

/** The cell a key press moves to, kept inside the grid; undefined for keys that do not move. */
export function moveFocus(
  at: { row: number; col: number },
  key: string,
  size: { rows: number; cols: number; pageRows: number },
): { row: number; col: number } | undefined {
  const clamp = (n: number, max: number) => Math.max(0, Math.min(max - 1, n));
  switch (key) {
    case "ArrowUp":
      return { row: clamp(at.row - 1, size.rows), col: at.col };
    case "ArrowDown":
      return { row: clamp(at.row + 1, size.rows), col: at.col };
    case "ArrowLeft":
      return { row: at.row, col: clamp(at.col - 1, size.cols) };
    case "ArrowRight":
      return { row: at.row, col: clamp(at.col + 1, size.cols) };
    case "PageUp":
      return { row: clamp(at.row - size.pageRows, size.rows), col: at.col };
    case "PageDown":
      return { row: clamp(at.row + size.pageRows, size.rows), col: at.col };
    case "Home":
      return { row: at.row, col: 0 };
    case "End":
      return { row: at.row, col: Math.max(0, size.cols - 1) };
    default:
      return undefined;
  }
}

/** How many DOM slots an axis needs so that every index of any window has a slot of its own. */
export function slotCount(input: { itemSize: number; viewport: number; overscan?: number }): number {
  const size = finite(input.itemSize) || 1;
  return Math.ceil(finite(input.viewport) / size) + 2 * Math.max(0, Math.floor(input.overscan ?? 4)) + 2;
}

/**
 * The window's indices laid out by slot (`index % slots`), in slot order: drawn so, an element keyed by its slot
 * keeps its place in the DOM while scrolling — an item entering the window takes the slot of the one that left,
 * and nothing is moved (moving hundreds of cells per frame is what makes a naive virtual grid stutter).
 */
export function slotIndices(window: { start: number; end: number }, slots: number): (number | undefined)[] {
  const bySlot: (number | undefined)[] = Array.from({ length: slots }, () => undefined);
  for (let i = window.start; i < window.end && i - window.start < slots; i++) bySlot[i % slots] = i;
  return bySlot;
}
