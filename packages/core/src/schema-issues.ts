import type { z } from "zod";
import type { ValidationIssue } from "./errors/validation-error.ts";
import type { FieldPath } from "./field-path.ts";
import type { SourceDocument } from "./yaml-source.ts";

/** Argo CD fields Flotilla has no counterpart for, and what to write instead: a bare "unknown field" would not say. */
const ARGO_CD_ONLY: ReadonlyMap<string, string> = new Map(
  Object.entries({
    goTemplateOptions: "Go templates are not supported (templates are Handlebars); remove it",
    sources: "an Application has one source; write it as source",
    ignoreDifferences:
      "not supported; remove it (a field another controller owns is not applied by Flotilla unless Git sets it)",
    ignoreApplicationDifferences: "not supported; remove it",
    revisionHistoryLimit: "not supported; history is kept per Application and cluster (the last 1000 syncs); remove it",
    plugin: "config management plugins are not supported; render with Helm, Kustomize or plain manifests",
  }),
);

/** Turns schema failures into located issues: one per problem, unknown fields one per key. */
export function schemaIssues(doc: SourceDocument, error: z.ZodError, prefix: FieldPath = []): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        // A Map, not an object: a key from Git such as `__proto__` must not find anything.
        const hint = ARGO_CD_ONLY.get(key);
        out.push(doc.issue([...path, key], `unknown field "${key}"${hint === undefined ? "" : `: ${hint}`}`));
      }
      continue;
    }
    out.push(doc.issue(path, describe(issue)));
  }
  return out;
}

function describe(issue: z.core.$ZodIssue): string {
  const msg = issue.message.replace(/^Invalid input: /, "");
  if (issue.code === "invalid_type" && /received undefined$/.test(msg)) {
    return `required field is missing; expected ${issue.expected}`;
  }
  if (issue.code === "invalid_union") return "expected a string, number, boolean, null, list or map";
  return msg;
}
