import type { HealthStatus, SyncStatus } from "../api/types.ts";
import { cellTone, encodeCell } from "../matrix/cells.ts";

/** A verdict as words and the matrix's tone: the same colours and letters everywhere. */
export function StatusBadge(props: { sync?: SyncStatus; health?: HealthStatus }) {
  const verdict =
    props.sync !== undefined && props.health !== undefined ? { sync: props.sync, health: props.health } : undefined;
  const tone = verdict === undefined ? "unknown" : cellTone(verdict);
  return (
    <span class={`badge tone-${tone}`} title={verdict === undefined ? "" : encodeCell(verdict)}>
      {[props.sync, props.health].filter((s) => s !== undefined).join(" · ")}
    </span>
  );
}

export function HealthBadge(props: { health: HealthStatus }) {
  const tone = cellTone({ sync: "Synced", health: props.health });
  return <span class={`badge tone-${tone}`}>{props.health}</span>;
}
