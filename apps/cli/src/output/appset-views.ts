import type { AppSetDetail, AppSetSummary, DiffItem, HoldDecisionAnswer } from "@flotilla/api-contract/types";
import { stringify } from "yaml";
import { describeElementError } from "./element-error.ts";
import { plainTable } from "./table.ts";

/** One word for where an ApplicationSet stands, worst first. */
export function appSetStatus(a: AppSetSummary): string {
  if (a.removed) return "Removed";
  if (a.frozen) return "Frozen";
  if (a.held > 0) return "Held";
  if (a.counts.errors > 0) return "Errors";
  return "OK";
}

const shortCommit = (commit: string) => commit.slice(0, 12);

/** `flotilla appset list`. */
export function appSetTable(items: readonly AppSetSummary[]): string {
  return plainTable(
    ["NAME", "FILE", "COMMIT", "APPLICATIONS", "ERRORS", "HELD", "LAST GENERATION", "STATUS"],
    items.map((a) => [
      a.name,
      a.file ?? "",
      shortCommit(a.commit),
      String(a.counts.applications),
      String(a.counts.errors),
      String(a.held),
      a.lastGeneration,
      appSetStatus(a),
    ]),
  );
}

/** `flotilla appset get`: the record as a person reads it, kubectl-describe style. */
export function describeAppSet(a: AppSetDetail): string {
  const lines: string[] = [];
  const field = (name: string, value: string) => lines.push(`${`${name}:`.padEnd(18)}${value}`);
  const c = a.counts;
  field("Name", a.name);
  field("File", a.file ?? "(unknown)");
  field("Commit", a.commit);
  field("Last generation", a.lastGeneration);
  field("Status", appSetStatus(a));
  field(
    "Applications",
    `${c.applications} (${c.creates} created, ${c.updates} updated, ${c.deletes} deleted, ${c.unchanged} unchanged)`,
  );
  if (a.generatorError !== undefined) field("Generator error", a.generatorError);
  if (a.spec !== undefined) {
    lines.push(`Generators (read at ${shortCommit(a.specCommit ?? "")}):`);
    lines.push(indent(stringify(a.spec.spec.generators, { lineWidth: 0 })));
    const policy = a.spec.spec.syncPolicy;
    if (policy === undefined) field("Sync policy", "(defaults)");
    else {
      lines.push("Sync policy:");
      lines.push(indent(stringify(policy, { lineWidth: 0 })));
    }
    const strategy = a.spec.spec.strategy;
    if (strategy !== undefined) {
      lines.push("Strategy:");
      lines.push(indent(stringify(strategy, { lineWidth: 0 })));
    }
  }
  const errors = a.lastGenerationRecord.errors;
  field("Element errors", String(c.errors));
  for (const err of errors) lines.push(`  ${describeElementError(err)}`);
  if (a.lastGenerationRecord.errorsTruncated) lines.push(`  (and ${c.errors - errors.length} more)`);
  if (a.hold === undefined) field("Held deletions", "none");
  else {
    const what = a.hold.kind === "removed" ? "the ApplicationSet left Git" : "shrink";
    field(
      "Held deletions",
      `${a.hold.applications.length} (${what}) since ${a.hold.since}, at ${shortCommit(a.hold.commit)}`,
    );
    lines.push(`  Reason: ${a.hold.reason}`);
    lines.push(
      indent(
        plainTable(
          ["APPLICATION", "CLUSTER"],
          a.hold.applications.map((h) => [h.application, h.cluster ?? ""]),
        ),
      ),
    );
    lines.push(`  Release: flotilla appset release ${a.name}   Dismiss: flotilla appset dismiss ${a.name}`);
  }
  if (a.pendingDecision !== undefined) {
    const d = a.pendingDecision;
    field("Pending decision", `${d.action} of ${d.applications} Application(s) at ${d.at}, waiting for the generator`);
  }
  if (a.dismissed.length > 0) field("Dismissed", a.dismissed.join(", "));
  return `${lines.join("\n")}\n`;
}

/** `flotilla appset diff`, table form: change lines (stdout) and failures (stderr), per ApplicationSet. */
export function diffReport(items: readonly DiffItem[]): { stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  for (const item of items) {
    const where = `${item.file}:${item.line}: ApplicationSet "${item.appSet}"`;
    stdout += `ApplicationSet ${item.appSet} (${item.file}:${item.line})${item.stored ? "" : ", new"}\n`;
    for (const c of item.creates) stdout += `+ create ${c.application} on ${c.cluster}\n`;
    for (const u of item.updates) stdout += `~ update ${u.application} on ${u.cluster} (${u.fields.join(", ")})\n`;
    for (const d of item.deletes) {
      stdout += `- delete ${d.application} on ${d.cluster ?? "(unknown cluster)"}${d.held ? " (held by the deletion guard)" : ""}\n`;
    }
    if (item.held !== undefined) stdout += `held: ${item.held.reason}\n`;
    const deleted = item.deletes.filter((d) => !d.held).length;
    const held = item.deletes.length - deleted;
    stdout +=
      `${item.appSet}: ${item.creates.length} to create, ${item.updates.length} to update, ${deleted} to delete, ` +
      `${held} held, ${item.unchanged} unchanged, ${item.errors.length} element error(s)\n`;
    if (item.generatorError !== undefined) {
      stderr += `error: ${where}: ${item.generatorError}; nothing would change\n`;
    }
    for (const err of item.errors) stderr += `error: ${where}: ${describeElementError(err)}\n`;
  }
  return { stdout, stderr };
}

/** `flotilla appset release|dismiss`: what will happen, and to which Applications. */
export function decisionReport(answer: HoldDecisionAnswer): string {
  const table = plainTable(
    ["APPLICATION", "CLUSTER"],
    answer.applications.map((a) => [a.application, a.cluster ?? ""]),
  );
  return `ApplicationSet ${answer.appSet}: ${answer.message}\n${table}\n`;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
