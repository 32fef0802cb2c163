import type { ValidationIssue } from "@flotilla/core";

/**
 * Why a document did not convert. `invalid`: it is not a well-formed Argo CD resource (the CLI exits 2);
 * `unsupported`: it is valid Argo CD, but something in it has no faithful Flotilla form (the CLI exits 1 and still
 * prints the documents that did convert).
 */
export type ImportIssueKind = "invalid" | "unsupported";

export interface ImportIssue extends ValidationIssue {
  kind: ImportIssueKind;
}

/** Something the conversion dropped or changed on purpose, said so the user can check it (printed on stderr). */
export interface ImportNote {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}
