// biome-ignore-all lint/a11y/useSemanticElements: a virtualised grid positions its cells absolutely; <table> cannot, the ARIA grid roles say the same
// biome-ignore-all lint/a11y/useFocusableInteractive: a roving tabindex: only the active cell is focusable, headers are not meant to be
// biome-ignore-all lint/a11y/useKeyWithMouseEvents: focus is handled too, as focusin (it bubbles from the cells; focus does not)
// biome-ignore-all lint/a11y/useKeyWithClickEvents: the grid handles Enter and the arrow keys for every cell at once
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { FleetMatrix } from "../api/types.ts";
import { Link } from "../shell/Link.tsx";
import { paths } from "../shell/routes.ts";
import { cellCode, cellCount } from "./cells.ts";
import { columnCounts, rowCount } from "./counts.ts";
import type { CellRef } from "./live-update.ts";
import { MatrixCell } from "./MatrixCell.tsx";
import { axisWindow, moveFocus, scrollToReveal, slotCount, slotIndices } from "./virtual-window.ts";

/** Pixel sizes of the grid; fixed, so that the window maths needs no measuring. */
const CELL_W = 34;
const CELL_H = 26;
const ROW_HEAD_W = 240;
const COL_HEAD_H = 130;

export interface MatrixGridProps {
  matrix: FleetMatrix;
  ready: boolean;
  /** A cell was hovered or focused: its details are shown beside the grid. */
  onInspect: (ref: CellRef | undefined) => void;
  /** Enter (or a click) on a cell. */
  onOpen: (ref: CellRef, count: number) => void;
}

/**
 * The fleet matrix, virtualised on both axes: only the rows and columns in view (plus a margin) are in the DOM,
 * so 1,000 clusters × 50 ApplicationSets scroll like 20 × 20. Row and column headers stay in place while the
 * cells scroll; arrow keys move a roving focus across cells, revealing the one focused.
 */
export function MatrixGrid(props: MatrixGridProps) {
  const { matrix } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, left: 0, width: 1200, height: 600 });
  const [active, setActive] = useState({ row: 0, col: 0 });
  const focusPending = useRef(false);
  const frame = useRef(0);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  const rows = matrix.rows.length;
  const cols = matrix.columns.length;

  const rowCounts = useMemo(() => matrix.rows.map((r) => rowCount(r, cols)), [matrix, cols]);
  const colCounts = useMemo(() => columnCounts(matrix.rows, cols), [matrix, cols]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    const measure = () =>
      setView({ top: el.scrollTop, left: el.scrollLeft, width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Filters change the grid's size: keep the roving focus inside it.
  useEffect(() => {
    setActive((a) => ({ row: Math.min(a.row, Math.max(0, rows - 1)), col: Math.min(a.col, Math.max(0, cols - 1)) }));
  }, [rows, cols]);

  const bodyW = view.width - ROW_HEAD_W;
  const bodyH = view.height - COL_HEAD_H;
  const rw = axisWindow({ count: rows, itemSize: CELL_H, scroll: view.top, viewport: bodyH });
  const cw = axisWindow({ count: cols, itemSize: CELL_W, scroll: view.left, viewport: bodyW });

  const refAt = (row: number, col: number): CellRef => ({
    appSet: matrix.rows[row]!.appSet,
    cluster: matrix.columns[col]!.name,
  });

  // Right after the render that drew the newly active cell (it may have just scrolled into the window).
  useLayoutEffect(() => {
    if (!focusPending.current || rows === 0 || cols === 0) return;
    const ref = refAt(active.row, active.col);
    const el = scroller.current?.querySelector<HTMLElement>(
      `[data-cell="${CSS.escape(`${ref.appSet}/${ref.cluster}`)}"]`,
    );
    if (el !== null && el !== undefined) {
      focusPending.current = false;
      el.focus({ preventScroll: true });
    }
  });

  /** The drawn cell an event happened in, by the grid position it carries. */
  const cellOf = (e: Event): { row: number; col: number } | undefined => {
    const el = (e.target as Element | null)?.closest?.("[data-row][data-col]");
    if (el === null || el === undefined) return undefined;
    const row = Number(el.getAttribute("data-row"));
    const col = Number(el.getAttribute("data-col"));
    return row < rows && col < cols ? { row, col } : undefined;
  };
  const onMouseOver = (e: MouseEvent) => {
    const at = cellOf(e);
    if (at !== undefined) props.onInspect(refAt(at.row, at.col));
  };
  const onFocusIn = (e: FocusEvent) => {
    const at = cellOf(e);
    if (at === undefined) return;
    if (at.row !== active.row || at.col !== active.col) setActive(at);
    props.onInspect(refAt(at.row, at.col));
  };
  const onClick = (e: MouseEvent) => {
    const at = cellOf(e);
    if (at === undefined) return;
    setActive(at);
    props.onOpen(refAt(at.row, at.col), cellCount(matrix.rows[at.row]!, at.col));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (rows === 0 || cols === 0) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      props.onOpen(refAt(active.row, active.col), cellCount(matrix.rows[active.row]!, active.col));
      return;
    }
    const next = moveFocus(active, e.key, { rows, cols, pageRows: Math.max(1, Math.floor(bodyH / CELL_H) - 1) });
    if (next === undefined) return;
    e.preventDefault();
    const el = scroller.current!;
    el.scrollTop = scrollToReveal({ index: next.row, itemSize: CELL_H, scroll: el.scrollTop, viewport: bodyH });
    el.scrollLeft = scrollToReveal({ index: next.col, itemSize: CELL_W, scroll: el.scrollLeft, viewport: bodyW });
    setView((v) => ({ ...v, top: el.scrollTop, left: el.scrollLeft }));
    focusPending.current = true;
    setActive(next);
    props.onInspect(refAt(next.row, next.col));
  };

  // Rows, cells and headers are keyed by slot, not by name: scrolling rewrites the few that change in place.
  const rowSlots = slotIndices(rw, slotCount({ itemSize: CELL_H, viewport: bodyH }));
  const colSlots = slotIndices(cw, slotCount({ itemSize: CELL_W, viewport: bodyW }));
  const colHeads = [];
  for (const [colSlot, c] of colSlots.entries()) {
    if (c === undefined) continue;
    const column = matrix.columns[c]!;
    const count = colCounts[c]!;
    colHeads.push(
      <div
        key={colSlot}
        role="columnheader"
        aria-colindex={c + 2}
        class={`colhead${column.reachable === false ? " unreachable" : ""}`}
        style={{ left: ROW_HEAD_W + c * CELL_W, width: CELL_W, height: COL_HEAD_H }}
        title={`${column.name}: ${count.applications} Applications, ${count.unwell} cells not Synced and Healthy${column.reachable === false ? "; unreachable" : ""}`}
      >
        <Link href={paths.cluster(column.name)} class="colname" tabIndex={-1}>
          {column.reachable === false ? "⚠ " : ""}
          {column.name}
        </Link>
        <span class="count">{count.applications}</span>
      </div>,
    );
  }

  const bodyRows = [];
  const rowHeads = [];
  for (const [rowSlot, r] of rowSlots.entries()) {
    if (r === undefined) continue;
    const row = matrix.rows[r]!;
    const count = rowCounts[r]!;
    const cells = [];
    for (const [colSlot, c] of colSlots.entries()) {
      if (c === undefined) continue;
      cells.push(
        <MatrixCell
          key={colSlot}
          appSet={row.appSet}
          cluster={matrix.columns[c]!.name}
          row={r}
          col={c}
          code={cellCode(row, c)}
          count={cellCount(row, c)}
          active={active.row === r && active.col === c}
          left={ROW_HEAD_W + c * CELL_W}
          top={r * CELL_H}
          width={CELL_W}
          height={CELL_H}
        />,
      );
    }
    rowHeads.push(
      <div
        role="rowheader"
        key={rowSlot}
        class="rowhead"
        style={{ top: r * CELL_H, width: ROW_HEAD_W, height: CELL_H }}
      >
        <Link href={paths.appSet(row.appSet)} tabIndex={-1} title={row.appSet}>
          {row.appSet}
        </Link>
        <span class="count" title={`${count.applications} Applications; ${count.unwell} cells not Synced and Healthy`}>
          {count.applications}
          {count.unwell > 0 && <span class="unwell"> · {count.unwell}✗</span>}
        </span>
      </div>,
    );
    bodyRows.push(
      <div role="row" aria-rowindex={r + 2} key={rowSlot}>
        {cells}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      class="matrix-scroll"
      data-testid="fleet-matrix"
      data-ready={props.ready ? "true" : "false"}
      role="grid"
      aria-label="Fleet matrix: ApplicationSets by clusters"
      aria-rowcount={rows + 1}
      aria-colcount={cols + 1}
      onScroll={(e) => {
        // One redraw per frame however many scroll events the frame had.
        const el = e.currentTarget;
        if (frame.current !== 0) return;
        frame.current = requestAnimationFrame(() => {
          frame.current = 0;
          setView((v) => ({ ...v, top: el.scrollTop, left: el.scrollLeft }));
        });
      }}
      onKeyDown={onKeyDown}
      onMouseOver={onMouseOver}
      onFocusIn={onFocusIn}
      onClick={onClick}
      onMouseLeave={() => props.onInspect(undefined)}
    >
      <div
        class="matrix-heads"
        role="row"
        aria-rowindex={1}
        style={{ width: ROW_HEAD_W + cw.total, height: COL_HEAD_H }}
      >
        <div class="corner" role="columnheader" aria-colindex={1} style={{ width: ROW_HEAD_W, height: COL_HEAD_H }}>
          <span>ApplicationSet ↓ · cluster →</span>
        </div>
        {colHeads}
      </div>
      <div class="matrix-body" style={{ width: ROW_HEAD_W + cw.total, height: rw.total }}>
        <div class="rowhead-rail" style={{ width: ROW_HEAD_W, height: rw.total }}>
          {rowHeads}
        </div>
        {bodyRows}
      </div>
      {rows === 0 && <p class="empty">No Application matches these filters.</p>}
    </div>
  );
}
