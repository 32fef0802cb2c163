import type { AppSummary, FleetMatrix } from "../api/types.ts";
import { encodeCell, withCell, worstOf } from "./cells.ts";
import { type MatrixFilters, passesStatus } from "./filters.ts";

/** A cell of the matrix by its names (a live event names the Application's ApplicationSet and cluster). */
export interface CellRef {
  appSet: string;
  cluster: string;
}

export const cellKey = (ref: CellRef) => `${ref.appSet}/${ref.cluster}`;

/** Where a cell is drawn, or undefined when its row or column is not in the matrix (a full reload adds it). */
export function cellPosition(matrix: FleetMatrix, ref: CellRef): { row: number; col: number } | undefined {
  const row = matrix.rows.findIndex((r) => r.appSet === ref.appSet);
  const col = matrix.columns.findIndex((c) => c.name === ref.cluster);
  return row === -1 || col === -1 ? undefined : { row, col };
}

/**
 * The matrix with one cell redrawn from its Applications as read now (`GET /applications?appset=&cluster=`),
 * the status filters applied as the matrix route applies them. The same matrix when the cell is not in it.
 */
export function withCellApplications(
  matrix: FleetMatrix,
  input: { ref: CellRef; applications: readonly AppSummary[]; filters: Pick<MatrixFilters, "sync" | "health"> },
): FleetMatrix {
  const at = cellPosition(matrix, input.ref);
  if (at === undefined) return matrix;
  const kept = input.applications.filter(
    (a) => a.appSet === input.ref.appSet && a.cluster === input.ref.cluster && passesStatus(input.filters, a),
  );
  const row = matrix.rows[at.row]!;
  const multi = { ...row.multi };
  const key = String(at.col);
  if (kept.length > 1) multi[key] = kept.length;
  else delete multi[key];
  const cells = withCell(row.cells, at.col, encodeCell(worstOf(kept)));
  if (cells === row.cells && multi[key] === row.multi[key]) return matrix;
  const rows = matrix.rows.slice();
  rows[at.row] = { ...row, cells, multi };
  return { ...matrix, rows };
}

/** What to do about a batch of changed cells: redraw each from a small read, or re-read the whole matrix. */
export function planRefresh(
  matrix: FleetMatrix,
  dirty: readonly CellRef[],
  options: { maxCellReads: number },
): { kind: "cells"; cells: CellRef[] } | { kind: "reload" } {
  if (dirty.length > options.maxCellReads) return { kind: "reload" };
  // A cell outside the drawn rows and columns means a new ApplicationSet or cluster: only a reload draws it.
  if (dirty.some((ref) => cellPosition(matrix, ref) === undefined)) return { kind: "reload" };
  return { kind: "cells", cells: [...dirty] };
}
