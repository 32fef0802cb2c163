/** One problem in an input file, located as precisely as the input allows. */
export interface ValidationIssue {
  file: string;
  /** 1-based; 0 when the input has no position for it (data that did not come from a file). */
  line: number;
  column: number;
  /** Field path inside the document, e.g. `spec.generators[0].list.elements`; empty for the document itself. */
  path: string;
  message: string;
}

export function formatIssue(issue: ValidationIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** An input file (or part of one) that cannot be used. It carries every issue found, not just the first. */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.issues = issues;
  }
}

export function isValidationError(err: unknown): err is ValidationError {
  return err instanceof ValidationError;
}
