import { describe, expect, it } from "vitest";
import { importReport } from "./report.ts";

const issue = (kind: "invalid" | "unsupported") => ({
  kind,
  file: "a.yaml",
  line: 3,
  column: 5,
  path: "spec.x",
  message: "why",
});
const base = { notes: [], converted: 2, documents: 3, noun: "ApplicationSet", skipped: [] };

describe("importReport", () => {
  it("exit 0 with a summary when everything converted", () => {
    expect(importReport({ ...base, issues: [], failed: 0, converted: 3 })).toEqual({
      stderr: "converted 3 ApplicationSet(s) of 3 document(s)\n",
      exitCode: 0,
    });
  });

  it("exit 1 when some documents did not convert, each issue at file:line:col", () => {
    const report = importReport({ ...base, issues: [issue("unsupported")], failed: 1 });
    expect(report.exitCode).toBe(1);
    expect(report.stderr).toBe(
      "error: a.yaml:3:5: spec.x: why\nconverted 2 ApplicationSet(s) of 3 document(s); 1 document(s) did not convert (errors above)\n",
    );
  });

  it("exit 2 when any input is not valid Argo CD, whatever else converted", () => {
    const report = importReport({ ...base, issues: [issue("unsupported"), issue("invalid")], failed: 2 });
    expect(report.exitCode).toBe(2);
    expect(report.stderr).toContain("nothing printed: the input is not valid Argo CD (2 error(s) above)");
  });

  it("lists notes and skipped documents without changing the exit code", () => {
    const note = { file: "a.yaml", line: 1, column: 1, path: "metadata.namespace", message: "dropped" };
    const report = importReport({
      ...base,
      issues: [],
      failed: 0,
      notes: [note],
      skipped: ["a.yaml:9: cluster Secret"],
    });
    expect(report.exitCode).toBe(0);
    expect(report.stderr).toBe(
      "note: a.yaml:1:1: metadata.namespace: dropped\nskipped: a.yaml:9: cluster Secret\nconverted 2 ApplicationSet(s) of 3 document(s); 1 skipped\n",
    );
  });
});
