export type { ClusterRegistration } from "./cluster-secret.ts";
export { SECRET_TYPE_LABEL } from "./cluster-secret.ts";
export { SUPPORTED_FUNCTIONS } from "./go-template/functions.ts";
export type { ImportedApplicationSet, ImportInput, ImportResult } from "./import-file.ts";
export { importArgoCd, importArgoCdFiles } from "./import-file.ts";
export type { ImportIssue, ImportIssueKind, ImportNote } from "./issues.ts";
