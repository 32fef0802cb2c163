import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../api/client.ts";
import type { FleetMatrix } from "../api/types.ts";
import { fleetEvents } from "../live/event-stream.ts";
import { navigate } from "../shell/navigation.ts";
import { paths } from "../shell/routes.ts";
import { CellDetails, readCell } from "./CellDetails.tsx";
import { filtersFromQuery, type MatrixFilters, queryFromFilters } from "./filters.ts";
import { Legend } from "./Legend.tsx";
import { type CellRef, cellKey, planRefresh, withCellApplications } from "./live-update.ts";
import { MatrixFilterBar } from "./MatrixFilters.tsx";
import { MatrixGrid } from "./MatrixGrid.tsx";

/** Cells redrawn one by one at most per batch of events; more than this re-reads the matrix (one request). */
const MAX_CELL_READS = 20;
/** Events are gathered this long before the cells they touch are read again. */
const BATCH_MS = 300;
/** Quiet time after the last live redraw before the matrix is re-read for its totals. */
const TOTALS_MS = 5_000;

function readMatrix(filters: MatrixFilters, signal: AbortSignal): Promise<FleetMatrix> {
  const list = (v: readonly string[]) => (v.length === 0 ? undefined : v.join(","));
  return api<FleetMatrix>("/matrix", {
    query: {
      selector: filters.selector === "" ? undefined : filters.selector,
      appSet: list(filters.appSets),
      cluster: list(filters.clusters),
      sync: list(filters.sync),
      health: list(filters.health),
    },
    signal,
  });
}

export function MatrixPage(props: { search: string }) {
  const filters = useMemo(() => filtersFromQuery(props.search), [props.search]);
  const filterKey = queryFromFilters(filters);
  const [matrix, setMatrix] = useState<FleetMatrix>();
  const [loadedKey, setLoadedKey] = useState<string>();
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);
  const [version, setVersion] = useState(0);
  const [inspected, setInspected] = useState<CellRef>();
  const fetchedKey = useRef<string>();
  const matrixRef = useRef(matrix);
  matrixRef.current = matrix;

  useEffect(() => {
    const abort = new AbortController();
    // New filters draw anew (data-ready "false" until they are drawn); a live re-read keeps the cells on screen.
    if (fetchedKey.current !== filterKey) setLoadedKey(undefined);
    fetchedKey.current = filterKey;
    readMatrix(filters, abort.signal).then(
      (m) => {
        setMatrix(m);
        setError(undefined);
        setLoadedKey(filterKey);
        setVersion((v) => v + 1);
      },
      (err: Error) => {
        if (abort.signal.aborted) return;
        // data-ready stays "false": nothing of these filters is drawn; the alert says why.
        setError(err.message);
      },
    );
    return () => abort.abort();
  }, [filterKey, reloads]);

  // Live: each status change marks its cell; a batch redraws those cells from a small read each.
  useEffect(() => {
    const dirty = new Map<string, CellRef>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let totalsTimer: ReturnType<typeof setTimeout> | undefined;
    let reloadAll = false;
    let stopped = false;
    const flush = async () => {
      timer = undefined;
      const current = matrixRef.current;
      const cells = [...dirty.values()];
      dirty.clear();
      if (current === undefined) return;
      const plan = reloadAll
        ? { kind: "reload" as const }
        : planRefresh(current, cells, { maxCellReads: MAX_CELL_READS });
      reloadAll = false;
      if (plan.kind === "reload") {
        setReloads((n) => n + 1);
        return;
      }
      const reads = await Promise.all(
        plan.cells.map(async (ref) => ({ ref, page: await readCell(ref, filters).catch(() => undefined) })),
      );
      if (stopped) return;
      setMatrix((m) =>
        reads.reduce(
          (acc, r) =>
            acc === undefined || r.page === undefined
              ? acc
              : withCellApplications(acc, { ref: r.ref, applications: r.page.items, filters }),
          m,
        ),
      );
      setVersion((v) => v + 1);
      // The totals count every Application, which one cell's read cannot tell: a quiet re-read settles them.
      clearTimeout(totalsTimer);
      totalsTimer = setTimeout(() => setReloads((n) => n + 1), TOTALS_MS);
    };
    const schedule = () => {
      timer ??= setTimeout(() => void flush(), BATCH_MS);
    };
    const off = fleetEvents.subscribe((e) => {
      if (e.event === "status" || e.event === "deleted") {
        if (filters.appSets.length > 0 && !filters.appSets.includes(e.data.appSet)) return;
        if (filters.clusters.length > 0 && !filters.clusters.includes(e.data.cluster)) return;
        const ref = { appSet: e.data.appSet, cluster: e.data.cluster };
        dirty.set(cellKey(ref), ref);
      } else {
        // A cluster registered or relabelled, a generation written, or events missed: rows and columns change.
        reloadAll = true;
      }
      schedule();
    });
    return () => {
      stopped = true;
      off();
      clearTimeout(timer);
      clearTimeout(totalsTimer);
    };
  }, [filterKey]);

  const setFilters = (f: MatrixFilters) => navigate(paths.matrix(queryFromFilters(f)));
  const open = (ref: CellRef, count: number) => {
    if (count === 0) return;
    if (count > 1) {
      setInspected(ref);
      document.querySelector<HTMLElement>(".cell-details a[href^='/applications/']")?.focus();
      return;
    }
    void readCell(ref, filters).then((page) => {
      const app = page.items.find((a) => a.appSet === ref.appSet);
      if (app !== undefined) navigate(paths.application({ ...ref, application: app.application }));
    });
  };

  const ready = matrix !== undefined && loadedKey === filterKey;
  const totals = matrix?.totals;
  return (
    <main class="page matrix-page">
      <div class="matrix-top">
        <h1>Fleet</h1>
        {totals !== undefined && (
          <p class="totals" data-testid="matrix-totals">
            {totals.applications} Applications · {matrix?.rows.length} ApplicationSets × {matrix?.columns.length}{" "}
            clusters ·{" "}
            {Object.entries(totals.sync)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")}{" "}
            ·{" "}
            {Object.entries(totals.health)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")}
          </p>
        )}
      </div>
      <MatrixFilterBar filters={filters} onChange={setFilters} />
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <Legend />
      <div class="matrix-layout">
        {matrix === undefined ? (
          <div class="matrix-scroll" data-testid="fleet-matrix" data-ready="false">
            <p class="muted">{error === undefined ? "Loading the fleet…" : ""}</p>
          </div>
        ) : (
          <MatrixGrid
            matrix={matrix}
            ready={ready}
            onInspect={(c) => c !== undefined && setInspected(c)}
            onOpen={open}
          />
        )}
        <CellDetails cell={inspected} filters={filters} version={version} />
      </div>
    </main>
  );
}
