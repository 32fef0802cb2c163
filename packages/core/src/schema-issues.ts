import type { z } from "zod";
import type { ValidationIssue } from "./errors/validation-error.ts";
import type { FieldPath } from "./field-path.ts";
import type { SourceDocument } from "./yaml-source.ts";

/** Turns schema failures into located issues: one per problem, unknown fields one per key. */
export function schemaIssues(doc: SourceDocument, error: z.ZodError, prefix: FieldPath = []): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push(doc.issue([...path, key], `unknown field "${key}"`));
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
