export { agentReach } from "./agent-reach.ts";
export { type AppRef, fieldOf, refOf, statusKeyPatterns, statusWriteOnlyKeys } from "./app-ref.ts";
export { type AppSummary, appSummaryOf, isUnwell } from "./app-summary.ts";
export {
  type PoolWorker,
  REACHABILITIES,
  type Reachability,
  type ReachabilityOptions,
  reachabilityOf,
  servedClusters,
} from "./cluster-reachability.ts";
export {
  type FleetMatrix,
  type FleetMatrixInput,
  fleetMatrix,
  MATRIX_HEALTHS,
  MATRIX_SYNCS,
  type MatrixApplication,
  type MatrixColumn,
  type MatrixRow,
  type MatrixSync,
  type MatrixTotals,
} from "./fleet-matrix.ts";
export {
  appKey,
  applicationsOf,
  type ClusterProblem,
  DEFAULT_HEARTBEAT_STALE_MS,
  DEFAULT_POOL_WORKER_TTL_MS,
  DEFAULT_SUMMARY_LIMIT,
  type FleetState,
  type FleetSummary,
  type FleetSummaryOptions,
  fleetSummary,
  generationNeedsAttention,
  listedUnwell,
} from "./fleet-summary.ts";
export { entryAt, revisionAt } from "./history.ts";
export { type MatrixReadDeps, matrixApplicationsOf, readMatrixApplications } from "./matrix-applications.ts";
export { readPoolWorkers } from "./pool-workers.ts";
export {
  type AppVerdict,
  type StatusEventKind,
  StatusStore,
  type StatusStoreOptions,
  type SyncInputs,
  type SyncRecord,
  verdictsOf,
} from "./status-store.ts";
export {
  honoursSyncRequests,
  type RefreshOutcome,
  requestRefresh,
  requestSync,
  type SyncRequestInput,
  type SyncRequestOutcome,
  type SyncRequestTarget,
} from "./sync-request.ts";
export { type SyncRequest, SyncRequests } from "./sync-requests.ts";
export type {
  AppStatus,
  FailureReason,
  HistoryEntry,
  HistoryResult,
  HookRun,
  LastError,
  ResourceStatus,
  SyncStatus,
} from "./types.ts";
