import type { MatrixRow } from "../api/types.ts";
import { cellCode, cellCount, cellTone, decodeCell } from "./cells.ts";

/** Applications in a line of cells, and how many of them are not Synced and Healthy (by their cell's worst). */
export interface LineCount {
  applications: number;
  unwell: number;
}

function add(count: LineCount, row: MatrixRow, index: number): void {
  const n = cellCount(row, index);
  if (n === 0) return;
  count.applications += n;
  // A cell shows its worst Application: a cell that is not green has at least one unwell Application.
  if (cellTone(decodeCell(cellCode(row, index))) !== "healthy") count.unwell += 1;
}

export function rowCount(row: MatrixRow, columns: number): LineCount {
  const count = { applications: 0, unwell: 0 };
  for (let c = 0; c < columns; c++) add(count, row, c);
  return count;
}

/** Per-column counts in one pass over every cell (50,000 at fleet scale: computed once per matrix, not per frame). */
export function columnCounts(rows: readonly MatrixRow[], columns: number): LineCount[] {
  const counts = Array.from({ length: columns }, () => ({ applications: 0, unwell: 0 }));
  for (const row of rows) {
    for (let c = 0; c < columns; c++) add(counts[c]!, row, c);
  }
  return counts;
}
