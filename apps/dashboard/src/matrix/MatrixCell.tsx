// biome-ignore-all lint/a11y/useFocusableInteractive: a roving tabindex: only the active cell is focusable
// biome-ignore-all lint/a11y/useSemanticElements: a virtualised grid positions its cells absolutely; <table> cannot
import { Component } from "preact";
import { cellLabel, cellTone, decodeCell } from "./cells.ts";

export interface MatrixCellProps {
  appSet: string;
  cluster: string;
  row: number;
  col: number;
  code: string;
  count: number;
  active: boolean;
  left: number;
  top: number;
  width: number;
  height: number;
}

const KEYS: readonly (keyof MatrixCellProps)[] = [
  "appSet",
  "cluster",
  "row",
  "col",
  "code",
  "count",
  "active",
  "left",
  "top",
  "width",
  "height",
];

/**
 * One drawn cell. Its props are all plain values and its events are handled by the grid (delegation), so a
 * scroll redraws only the cells that entered the window; the ones that stayed are skipped here.
 */
export class MatrixCell extends Component<MatrixCellProps> {
  override shouldComponentUpdate(next: MatrixCellProps): boolean {
    return KEYS.some((k) => next[k] !== this.props[k]);
  }

  override render() {
    const p = this.props;
    const verdict = decodeCell(p.code);
    const label = cellLabel({ appSet: p.appSet, cluster: p.cluster, verdict, count: p.count });
    return (
      <div
        role="gridcell"
        aria-colindex={p.col + 2}
        data-cell={`${p.appSet}/${p.cluster}`}
        data-code={p.code}
        data-row={p.row}
        data-col={p.col}
        tabIndex={p.active ? 0 : -1}
        class={`cell tone-${cellTone(verdict)}`}
        style={{ left: p.left, top: p.top, width: p.width, height: p.height }}
        aria-label={label}
        title={label}
      >
        {verdict === undefined ? "" : p.code}
        {p.count > 1 && <sup>{p.count}</sup>}
      </div>
    );
  }
}
