export type {
  Application,
  ApplicationSet,
  ApplicationSetSpec,
  ApplicationSource,
  ApplicationSpec,
  ApplicationsSyncPolicy,
  ApplicationTemplate,
  GeneratorKind,
  GeneratorSpec,
  LabelSelector,
} from "./appset.ts";
export { API_VERSION, APPSET_LABEL } from "./appset.ts";
export type { Cluster } from "./cluster.ts";
export type { ApplicationChange, ApplicationDiff, DeletionGuard, DiffOptions, DiffPolicy } from "./diff.ts";
export { DEFAULT_GUARD_WINDOW_MS, defaultDiffPolicy, diffGenerations, diffPolicyOf, holdReason } from "./diff.ts";
export { DURATION_HINT, formatDuration, parseDuration } from "./duration.ts";
export type { ValidationIssue } from "./errors/validation-error.ts";
export { formatIssue, isValidationError, ValidationError } from "./errors/validation-error.ts";
export type { FieldPath } from "./field-path.ts";
export { formatFieldPath } from "./field-path.ts";
export type { ElementError, Generation } from "./generation.ts";
export { mapLimit } from "./map-limit.ts";
export { dns1123LabelProblem, dns1123SubdomainProblem } from "./names.ts";
export type { Params, ParamValue } from "./params.ts";
export { newParams } from "./params.ts";
export type { LocatedApplicationSet, ParsedApplicationSets } from "./parse-appset.ts";
export { parseApplicationSets } from "./parse-appset.ts";
export { parseClusters } from "./parse-clusters.ts";
export type { RepoReader, RepoTree } from "./repo.ts";
export { applicationSchema, applicationSetSchema, clusterSchema } from "./schema.ts";
export { schemaIssues } from "./schema-issues.ts";
export { applicationHash, canonicalJson } from "./spec-hash.ts";
export type { ParsedYaml, SourceDocument } from "./yaml-source.ts";
export { MAX_YAML_BYTES, MAX_YAML_DEPTH, parseYamlDocuments } from "./yaml-source.ts";
