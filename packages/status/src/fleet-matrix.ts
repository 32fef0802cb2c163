import { HEALTH_SEVERITY, type HealthStatus } from "@flotilla/kube";
import type { SyncStatus } from "./types.ts";

/** An Application's sync in the matrix: `Unknown` when it is stored (its name owned) but no worker wrote a status. */
export type MatrixSync = SyncStatus | "Unknown";

export const MATRIX_SYNCS: readonly MatrixSync[] = ["Synced", "OutOfSync", "Error", "Unknown"];
export const MATRIX_HEALTHS: readonly HealthStatus[] = ["Healthy", "Progressing", "Degraded", "Missing", "Unknown"];

/** One Application as the matrix counts it: which row it falls in and its two verdicts. */
export interface MatrixApplication {
  appSet: string;
  application: string;
  sync: MatrixSync;
  health: HealthStatus;
}

/** A cluster column; `reachable` is null when nothing says either way (no heartbeat, no recent contact). */
export interface MatrixColumn {
  name: string;
  labels: Record<string, string>;
  reachable: boolean | null;
}

export interface MatrixRow {
  appSet: string;
  /** Two letters per column, sync then health of the cell's worst Application; `..` for an empty cell. */
  cells: string;
  /** Column index → Applications in that cell, only for cells holding more than one. */
  multi: Record<string, number>;
}

export interface MatrixTotals {
  applications: number;
  sync: Partial<Record<MatrixSync, number>>;
  health: Partial<Record<HealthStatus, number>>;
}

/** `GET /api/v1/matrix`: ApplicationSets × clusters in one answer (see the README's fleet matrix section). */
export interface FleetMatrix {
  generatedAt: string;
  columns: MatrixColumn[];
  rows: MatrixRow[];
  totals: MatrixTotals;
}

export interface FleetMatrixInput {
  generatedAt: string;
  /** The clusters chosen (by name or selector), each with its Applications; in any order. */
  clusters: readonly { column: MatrixColumn; applications: readonly MatrixApplication[] }[];
  /** ApplicationSets known to the fleet, so one without Applications still has its (empty) row. */
  knownAppSets?: readonly string[];
  /** Only these rows. @defaultValue every ApplicationSet */
  appSets?: ReadonlySet<string>;
  /** Only Applications with these verdicts; then rows and columns left empty are dropped. */
  sync?: ReadonlySet<MatrixSync>;
  health?: ReadonlySet<HealthStatus>;
}

const SYNC_LETTER: Record<MatrixSync, string> = { Synced: "S", OutOfSync: "O", Error: "E", Unknown: "U" };
const HEALTH_LETTER: Record<HealthStatus, string> = {
  Healthy: "H",
  Progressing: "P",
  Degraded: "D",
  Missing: "M",
  Unknown: "U",
};
// Higher is worse. Sync: Error > OutOfSync > Unknown > Synced; health: packages/kube's order.
const SYNC_RANK: Record<MatrixSync, number> = { Synced: 1, Unknown: 2, OutOfSync: 3, Error: 4 };
const HEALTH_RANK = Object.fromEntries(HEALTH_SEVERITY.map((h, i) => [h, HEALTH_SEVERITY.length - i])) as Record<
  HealthStatus,
  number
>;
const SYNC_BY_RANK = Object.fromEntries(Object.entries(SYNC_RANK).map(([s, r]) => [r, s])) as Record<
  number,
  MatrixSync
>;
const HEALTH_BY_RANK = Object.fromEntries(Object.entries(HEALTH_RANK).map(([h, r]) => [r, h])) as Record<
  number,
  HealthStatus
>;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The fleet matrix from the chosen clusters' Applications. Each cell shows the worst sync and the worst health of
 * its Applications (each verdict on its own, so a cell never hides a problem behind a worse one of the other
 * kind). A sync or health filter leaves other Applications out of cells and totals, and drops what it empties.
 */
export function fleetMatrix(input: FleetMatrixInput): FleetMatrix {
  const filtering = input.sync !== undefined || input.health !== undefined;
  const keep = (a: MatrixApplication): boolean =>
    (input.appSets === undefined || input.appSets.has(a.appSet)) &&
    (input.sync === undefined || input.sync.has(a.sync)) &&
    (input.health === undefined || input.health.has(a.health));
  const clusters = input.clusters
    .map(({ column, applications }) => ({ column, applications: applications.filter(keep) }))
    .filter((c) => !filtering || c.applications.length > 0)
    .sort((a, b) => byName(a.column.name, b.column.name));
  const width = clusters.length;

  const grid = new Map<string, { sync: Uint8Array; health: Uint8Array; count: Uint32Array }>();
  const rowOf = (appSet: string) => {
    let row = grid.get(appSet);
    if (row === undefined) {
      row = { sync: new Uint8Array(width), health: new Uint8Array(width), count: new Uint32Array(width) };
      grid.set(appSet, row);
    }
    return row;
  };
  if (!filtering) {
    for (const appSet of input.knownAppSets ?? []) if (input.appSets?.has(appSet) ?? true) rowOf(appSet);
  }
  const totals: MatrixTotals = { applications: 0, sync: {}, health: {} };
  clusters.forEach(({ applications }, column) => {
    for (const a of applications) {
      const row = rowOf(a.appSet);
      row.count[column] = (row.count[column] ?? 0) + 1;
      row.sync[column] = Math.max(row.sync[column] ?? 0, SYNC_RANK[a.sync]);
      row.health[column] = Math.max(row.health[column] ?? 0, HEALTH_RANK[a.health]);
      totals.applications++;
      totals.sync[a.sync] = (totals.sync[a.sync] ?? 0) + 1;
      totals.health[a.health] = (totals.health[a.health] ?? 0) + 1;
    }
  });

  const rows: MatrixRow[] = [...grid.keys()].sort(byName).map((appSet) => {
    const { sync, health, count } = grid.get(appSet)!;
    const letters: string[] = new Array(width);
    const multi: Record<string, number> = {};
    for (let i = 0; i < width; i++) {
      const n = count[i] ?? 0;
      if (n === 0) {
        letters[i] = "..";
        continue;
      }
      letters[i] = SYNC_LETTER[SYNC_BY_RANK[sync[i]!]!] + HEALTH_LETTER[HEALTH_BY_RANK[health[i]!]!];
      if (n > 1) multi[String(i)] = n;
    }
    return { appSet, cells: letters.join(""), multi };
  });
  return { generatedAt: input.generatedAt, columns: clusters.map((c) => c.column), rows, totals };
}
