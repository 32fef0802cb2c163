import { LEGEND } from "./cells.ts";

/** What each colour means, with the letters drawn in the cells (sync letter, then health letter). */
export function Legend() {
  return (
    <ul class="legend" aria-label="Legend">
      {LEGEND.map((l) => (
        <li key={l.tone}>
          <span class={`swatch cell tone-${l.tone}`} aria-hidden="true">
            {l.letters}
          </span>
          {l.meaning}
        </li>
      ))}
      <li class="legend-note">
        Sync: <b>S</b>ynced <b>O</b>utOfSync <b>E</b>rror <b>U</b>nknown · Health: <b>H</b>ealthy <b>P</b>rogressing{" "}
        <b>D</b>egraded <b>M</b>issing <b>U</b>nknown · a number: Applications in the cell (the worst is shown)
      </li>
    </ul>
  );
}
