import { summaryMessage } from "@flotilla/api-contract/summary-message";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client.ts";
import type { AppPage, AppSummary } from "../api/types.ts";
import { StatusBadge } from "../pages/StatusBadge.tsx";
import { Link } from "../shell/Link.tsx";
import { paths } from "../shell/routes.ts";
import type { MatrixFilters } from "./filters.ts";
import type { CellRef } from "./live-update.ts";

/** A cell's Applications, read when it is hovered or focused (after a short pause, so sweeping the mouse is cheap). */
export function readCell(ref: CellRef, filters: Pick<MatrixFilters, "sync" | "health">, signal?: AbortSignal) {
  return api<AppPage>("/applications", {
    query: {
      appset: ref.appSet,
      cluster: [ref.cluster],
      limit: 1000,
      sync: filters.sync.length === 1 ? filters.sync[0] : undefined,
      health: filters.health.length === 1 ? filters.health[0] : undefined,
    },
    ...(signal !== undefined && { signal }),
  });
}

export function CellDetails(props: { cell: CellRef | undefined; filters: MatrixFilters; version: number }) {
  const [state, setState] = useState<{ key: string; apps?: AppSummary[]; error?: string }>();
  const { cell } = props;
  const key = cell === undefined ? "" : `${cell.appSet}/${cell.cluster}`;
  useEffect(() => {
    if (cell === undefined) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      readCell(cell, props.filters, abort.signal).then(
        (page) => setState({ key, apps: page.items }),
        (err: Error) => {
          if (!abort.signal.aborted) setState({ key, error: err.message });
        },
      );
    }, 120);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [key, props.version]);

  if (cell === undefined) {
    return (
      <aside class="cell-details" aria-live="polite">
        <p class="muted">Hover or focus a cell to see its Applications; Enter opens it.</p>
      </aside>
    );
  }
  const shown = state?.key === key ? state : undefined;
  return (
    <aside class="cell-details" aria-live="polite" data-testid="cell-details">
      <h2>
        <Link href={paths.appSet(cell.appSet)}>{cell.appSet}</Link> on{" "}
        <Link href={paths.cluster(cell.cluster)}>{cell.cluster}</Link>
      </h2>
      {shown === undefined && <p class="muted">Loading…</p>}
      {shown?.error !== undefined && <p class="error">{shown.error}</p>}
      {shown?.apps !== undefined && shown.apps.length === 0 && <p class="muted">No Application here.</p>}
      {shown?.apps !== undefined && shown.apps.length > 0 && (
        <ul class="app-list">
          {shown.apps
            .filter((a) => a.appSet === cell.appSet)
            .map((a) => (
              <li key={a.application}>
                <Link href={paths.application({ cluster: a.cluster, application: a.application, appSet: a.appSet })}>
                  {a.application}
                </Link>{" "}
                <StatusBadge sync={a.sync} health={a.health} />
                {summaryMessage(a) !== "" && <div class="muted small">{summaryMessage(a)}</div>}
              </li>
            ))}
        </ul>
      )}
    </aside>
  );
}
