import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FaultReport, type FaultRow, renderFaultTable, withRow } from "./fault-row.ts";

/** The repository's `.flotilla/`, where the benchmarks write too (ignored by Git). */
export const reportDir = fileURLToPath(new URL("../../../../.flotilla/", import.meta.url));
export const reportJson = join(reportDir, "faults.json");
export const reportTable = join(reportDir, "faults.md");

export interface FaultSpec {
  id: string;
  order: number;
  fault: string;
  expected: string;
}

export interface FaultResult {
  observed: string;
  recoverySeconds: number;
}

export function readReport(): FaultReport {
  try {
    const parsed = JSON.parse(readFileSync(reportJson, "utf8")) as Partial<FaultReport>;
    return { cores: availableParallelism(), rows: Array.isArray(parsed.rows) ? parsed.rows : [] };
  } catch {
    // None yet, or cut off mid-write by a killed run: start afresh rather than fail the fault being recorded.
    return { cores: availableParallelism(), rows: [] };
  }
}

/** Writes the report and its table; each through a rename, so a reader never sees half a file. */
export function writeReport(report: FaultReport): void {
  mkdirSync(reportDir, { recursive: true });
  for (const [file, text] of [
    [reportJson, `${JSON.stringify(report, null, 2)}\n`],
    [reportTable, renderFaultTable(report)],
  ] as const) {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  }
}

function writeRow(row: FaultRow): void {
  writeReport(withRow(readReport(), row));
}

/**
 * Runs one fault's test body and records its row, passed or failed: a fault that did not recover is a row too,
 * saying what went wrong. Rows merge by id into `.flotilla/faults.json`, so the files may run in any order.
 */
export async function recordFault(spec: FaultSpec, body: () => Promise<FaultResult>): Promise<void> {
  const recordedAt = () => new Date().toISOString();
  try {
    const result = await body();
    writeRow({ ...spec, ...result, outcome: "passed", recordedAt: recordedAt() });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    writeRow({
      ...spec,
      observed: `did not hold: ${message.slice(0, 300)}`,
      recoverySeconds: null,
      outcome: "failed",
      recordedAt: recordedAt(),
    });
    throw error;
  }
}
