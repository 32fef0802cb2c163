import { formatIssue } from "@flotilla/core";
import type { ImportIssue, ImportNote } from "@flotilla/import";
import { ExitCode } from "../../exit-codes.ts";

/** What went to stderr and which exit code it means: 2 when any input is not valid Argo CD, 1 when some did not convert. */
export function importReport(init: {
  issues: readonly ImportIssue[];
  notes: readonly ImportNote[];
  converted: number;
  documents: number;
  failed: number;
  noun: string;
  skipped: readonly string[];
}): { stderr: string; exitCode: ExitCode } {
  const lines: string[] = [];
  for (const issue of init.issues) lines.push(`error: ${formatIssue(issue)}`);
  for (const note of init.notes) lines.push(`note: ${formatIssue({ ...note })}`);
  for (const skipped of init.skipped) lines.push(`skipped: ${skipped}`);
  const { failed } = init;
  const invalid = init.issues.some((i) => i.kind === "invalid");
  const summary = invalid
    ? `nothing printed: the input is not valid Argo CD (${init.issues.length} error(s) above)`
    : `converted ${init.converted} ${init.noun}(s) of ${init.documents} document(s)` +
      (failed > 0 ? `; ${failed} document(s) did not convert (errors above)` : "") +
      (init.skipped.length > 0 ? `; ${init.skipped.length} skipped` : "");
  lines.push(summary);
  const exitCode = invalid ? ExitCode.InvalidInput : failed > 0 ? ExitCode.ElementErrors : ExitCode.Ok;
  return { stderr: `${lines.join("\n")}\n`, exitCode };
}
