import type { HealthStatus, MatrixRow, SyncStatus } from "../api/types.ts";

// The matrix's cell codes (the `GET /api/v1/matrix` contract): two characters per column, sync then health.

export const SYNC_CODES: Readonly<Record<string, SyncStatus>> = {
  S: "Synced",
  O: "OutOfSync",
  E: "Error",
  U: "Unknown",
};
export const HEALTH_CODES: Readonly<Record<string, HealthStatus>> = {
  H: "Healthy",
  P: "Progressing",
  D: "Degraded",
  M: "Missing",
  U: "Unknown",
};

const SYNC_LETTER: Readonly<Record<SyncStatus, string>> = { Synced: "S", OutOfSync: "O", Error: "E", Unknown: "U" };
const HEALTH_LETTER: Readonly<Record<HealthStatus, string>> = {
  Healthy: "H",
  Progressing: "P",
  Degraded: "D",
  Missing: "M",
  Unknown: "U",
};

/** Worst first, as packages/kube's SEVERITY orders them. */
const SYNC_RANK: Readonly<Record<SyncStatus, number>> = { Error: 3, OutOfSync: 2, Unknown: 1, Synced: 0 };
const HEALTH_RANK: Readonly<Record<HealthStatus, number>> = {
  Degraded: 4,
  Missing: 3,
  Unknown: 2,
  Progressing: 1,
  Healthy: 0,
};

export interface CellVerdict {
  sync: SyncStatus;
  health: HealthStatus;
}

/** The colour family a cell is drawn in; its letters and title say the same in words. */
export type CellTone = "healthy" | "progressing" | "outofsync" | "missing" | "degraded" | "error" | "unknown" | "empty";

export const EMPTY_CODE = "..";

/** One cell's two characters → its verdict; undefined for an empty cell or characters the contract does not have. */
export function decodeCell(code: string): CellVerdict | undefined {
  const sync = SYNC_CODES[code.charAt(0)];
  const health = HEALTH_CODES[code.charAt(1)];
  return sync === undefined || health === undefined || code.length !== 2 ? undefined : { sync, health };
}

export function encodeCell(verdict: CellVerdict | undefined): string {
  return verdict === undefined ? EMPTY_CODE : SYNC_LETTER[verdict.sync] + HEALTH_LETTER[verdict.health];
}

/** The code of column `index` in a row; `..` past its end (a short row from a hostile or older server). */
export function cellCode(row: Pick<MatrixRow, "cells">, index: number): string {
  const code = row.cells.slice(index * 2, index * 2 + 2);
  return code.length === 2 ? code : EMPTY_CODE;
}

/** How many Applications a cell holds: `multi` names cells of more than one, a non-empty cell holds one. */
export function cellCount(row: Pick<MatrixRow, "cells" | "multi">, index: number): number {
  if (decodeCell(cellCode(row, index)) === undefined) return 0;
  const n = row.multi[String(index)];
  return typeof n === "number" && Number.isInteger(n) && n > 1 ? n : 1;
}

/** The worse of two verdicts on each axis, as a cell shows the worst Application in it. */
export function worst(a: CellVerdict, b: CellVerdict): CellVerdict {
  return {
    sync: SYNC_RANK[a.sync] >= SYNC_RANK[b.sync] ? a.sync : b.sync,
    health: HEALTH_RANK[a.health] >= HEALTH_RANK[b.health] ? a.health : b.health,
  };
}

export function worstOf(verdicts: readonly CellVerdict[]): CellVerdict | undefined {
  return verdicts.reduce<CellVerdict | undefined>((acc, v) => (acc === undefined ? v : worst(acc, v)), undefined);
}

/**
 * The tone says what needs a person first: a failed sync, then broken health, then drift from Git, then health
 * still settling; Synced and Healthy is the only green.
 */
export function cellTone(verdict: CellVerdict | undefined): CellTone {
  if (verdict === undefined) return "empty";
  if (verdict.sync === "Error") return "error";
  if (verdict.health === "Degraded") return "degraded";
  if (verdict.sync === "OutOfSync") return "outofsync";
  if (verdict.health === "Missing") return "missing";
  if (verdict.sync === "Unknown" || verdict.health === "Unknown") return "unknown";
  if (verdict.health === "Progressing") return "progressing";
  return "healthy";
}

/** The words a cell's title and screen readers get: the colour is never the only signal. */
export function cellLabel(input: { appSet: string; cluster: string; verdict: CellVerdict | undefined; count: number }) {
  const where = `${input.appSet} on ${input.cluster}`;
  if (input.verdict === undefined) return `${where}: no Application`;
  const apps = input.count === 1 ? "1 Application" : `${input.count} Applications, worst`;
  return `${where}: ${apps} ${input.verdict.sync}, ${input.verdict.health}`;
}

/** Replaces column `index`'s code in a row's cells string. */
export function withCell(cells: string, index: number, code: string): string {
  const padded = cells.length < (index + 1) * 2 ? cells.padEnd((index + 1) * 2, ".") : cells;
  return padded.slice(0, index * 2) + code + padded.slice(index * 2 + 2);
}

/** The legend: each tone with what it means, in the order a person triages. */
export const LEGEND: readonly { tone: CellTone; letters: string; meaning: string }[] = [
  { tone: "error", letters: "E·", meaning: "sync failed" },
  { tone: "degraded", letters: "·D", meaning: "degraded" },
  { tone: "outofsync", letters: "O·", meaning: "out of sync with Git" },
  { tone: "missing", letters: "·M", meaning: "objects missing" },
  { tone: "unknown", letters: "U·", meaning: "no status yet / unknown" },
  { tone: "progressing", letters: "·P", meaning: "progressing" },
  { tone: "healthy", letters: "SH", meaning: "synced and healthy" },
  { tone: "empty", letters: "··", meaning: "no Application" },
];
