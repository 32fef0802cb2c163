import { describe, expect, it } from "vitest";
import { type FaultRow, renderFaultTable, withRow } from "./fault-row.ts";

const row = (id: string, order: number, extra: Partial<FaultRow> = {}): FaultRow => ({
  id,
  order,
  fault: `fault ${id}`,
  expected: "converges",
  observed: "converged",
  recoverySeconds: 1.24,
  outcome: "passed",
  recordedAt: "2026-12-01T15:00:00.000Z",
  ...extra,
});

describe("withRow", () => {
  it("keeps suite order whatever order the rows arrive in", () => {
    const report = [row("c", 3), row("a", 1), row("b", 2)].reduce(withRow, { cores: 2, rows: [] });
    expect(report.rows.map((r) => r.id)).toEqual(["a", "b", "c"]);
  });

  it("replaces the row of a re-run rather than adding a second", () => {
    const once = withRow({ cores: 2, rows: [] }, row("a", 1));
    const twice = withRow(once, row("a", 1, { observed: "again", outcome: "failed" }));
    expect(twice.rows).toEqual([row("a", 1, { observed: "again", outcome: "failed" })]);
  });
});

describe("renderFaultTable", () => {
  it("writes one line per row with the core count and times in seconds", () => {
    const text = renderFaultTable({ cores: 2, rows: [row("a", 1), row("b", 2, { recoverySeconds: null })] });
    expect(text.split("\n")).toEqual([
      "Fault suite (`pnpm exec vitest run --project integration test/faults`), on a machine with 2 cores.",
      "",
      "| fault | expected | observed | time to recover | outcome |",
      "|---|---|---|---|---|",
      "| fault a | converges | converged | 1.2 s | passed |",
      "| fault b | converges | converged | — | passed |",
      "",
    ]);
  });

  it("keeps a hostile message inside its cell: pipes escaped, newlines folded", () => {
    const text = renderFaultTable({ cores: 1, rows: [row("a", 1, { observed: "x | y\nz" })] });
    expect(text).toContain("| x \\| y z |");
    expect(text.trimEnd().split("\n")).toHaveLength(5);
  });
});
