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
  RollingSyncStep,
} from "./appset.ts";
export { API_VERSION, APPSET_LABEL } from "./appset.ts";
export type { Cluster } from "./cluster.ts";
export type {
  ClusterIndex,
  DestinationField,
  DestinationRef,
  ResolvedDestination,
} from "./destination.ts";
export { destinationOfStored, indexClusters, normalizeServer, resolveDestination } from "./destination.ts";
export type { ApplicationChange, ApplicationDiff, DeletionGuard, DiffOptions, DiffPolicy } from "./diff.ts";
export { DEFAULT_GUARD_WINDOW_MS, defaultDiffPolicy, diffGenerations, diffPolicyOf, holdReason } from "./diff.ts";
export type { DurationResult } from "./duration.ts";
export { DURATION_EXAMPLES, durationSchema, formatDuration, parseDuration } from "./duration.ts";
export type { ValidationIssue } from "./errors/validation-error.ts";
export { formatIssue, isValidationError, ValidationError } from "./errors/validation-error.ts";
export type { FieldPath } from "./field-path.ts";
export { formatFieldPath } from "./field-path.ts";
export type { ElementError, Generation } from "./generation.ts";
export { firstGoExpression, type GoExpression, handlebarsFormOf } from "./go-template.ts";
export { labelKeyProblem, labelValueProblem } from "./label-syntax.ts";
export { mapLimit } from "./map-limit.ts";
export { clusterNameProblem, dns1123LabelProblem, dns1123SubdomainProblem, isClusterName } from "./names.ts";
export type { Params, ParamValue } from "./params.ts";
export { newParams } from "./params.ts";
export type { LocatedApplicationSet, ParsedApplicationSets } from "./parse-appset.ts";
export { parseApplicationSets } from "./parse-appset.ts";
export { parseClusters } from "./parse-clusters.ts";
export { PhaseClock } from "./phase-clock.ts";
export type { RepoReader, RepoTree } from "./repo.ts";
export {
  checkRetry,
  DEFAULT_RETRY,
  type RetryPolicy,
  type RetryProblem,
  type RetrySpec,
  retryDelayMs,
  retryPolicyOf,
} from "./retry-policy.ts";
export {
  allowedInFlight,
  DEFAULT_MAX_UPDATE,
  isManualGate,
  type MaxUpdate,
  parseMaxUpdate,
  strategyProblems,
} from "./rollout-strategy.ts";
export { applicationSchema, applicationSetSchema, clusterSchema } from "./schema.ts";
export { schemaIssues } from "./schema-issues.ts";
export { Semaphore } from "./semaphore.ts";
export type { SourceFailure } from "./source-failure.ts";
export { failedSourceParams, sourceFailureOf } from "./source-failure.ts";
export { canonicalJson, specDigest } from "./spec-digest.ts";
export { applicationFieldProblems, applicationSetFieldProblems, type FieldProblem } from "./supported-fields.ts";
export {
  defaultSyncOptions,
  SUPPORTED_SYNC_OPTIONS,
  type SyncOptions,
  syncOptionProblem,
  syncOptionsOf,
} from "./sync-options.ts";
export type { ParsedYaml, SourceDocument } from "./yaml-source.ts";
export { MAX_YAML_BYTES, MAX_YAML_DEPTH, parseYamlDocuments } from "./yaml-source.ts";
