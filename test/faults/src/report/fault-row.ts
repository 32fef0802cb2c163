/** One fault of the suite as it was measured: what was done, what should happen, what did, how long it took. */
export interface FaultRow {
  /** Stable key: a re-run of the same fault replaces its row. */
  id: string;
  /** Where the row sits in the table, whatever order the files ran in. */
  order: number;
  fault: string;
  expected: string;
  observed: string;
  /** From the end of the fault (or the bad commit) to the state asserted; null when it never got there. */
  recoverySeconds: number | null;
  outcome: "passed" | "failed";
  /** ISO time the row was written. */
  recordedAt: string;
}

export interface FaultReport {
  /** The machine's logical cores: every time in the table is from a machine this size, shared or not. */
  cores: number;
  rows: FaultRow[];
}

/** The report with `row` in it: a row of the same id is replaced, and rows stay in suite order. */
export function withRow(report: FaultReport, row: FaultRow): FaultReport {
  const rows = [...report.rows.filter((r) => r.id !== row.id), row].sort(
    (a, b) => a.order - b.order || a.id.localeCompare(b.id),
  );
  return { ...report, rows };
}

/** A cell's text: one line, pipes escaped, so a message cannot break the table. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").trim();
}

function seconds(value: number | null): string {
  return value === null ? "—" : `${value.toFixed(1)} s`;
}

/** The Markdown table the README shows (`.flotilla/faults.md`). */
export function renderFaultTable(report: FaultReport): string {
  const lines = [
    `Fault suite (\`pnpm exec vitest run --project integration test/faults\`), on a machine with ${report.cores} cores.`,
    "",
    "| fault | expected | observed | time to recover | outcome |",
    "|---|---|---|---|---|",
    ...report.rows.map(
      (r) =>
        `| ${cell(r.fault)} | ${cell(r.expected)} | ${cell(r.observed)} | ${seconds(r.recoverySeconds)} | ${r.outcome} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
