export type { HookRun } from "@flotilla/status";
export { agentReach } from "@flotilla/status";
export { ConfigError, loadWorkerConfig, type WorkerConfig, type WorkerMode } from "./config.ts";
export { type DeleteContext, reconcileDelete } from "./delete-app.ts";
export { type AbandonDeletionDeps, abandonDeletion } from "./deletions/abandon-deletion.ts";
export { changedByOthers, type ManagedFieldsEntry } from "./drift/changed-by-others.ts";
export {
  ClusterWatch,
  type ClusterWatchOptions,
  type DriftHandler,
  defaultClusterWatchOptions,
} from "./drift/cluster-watch.ts";
export { DriftWatcher } from "./drift/drift-watcher.ts";
export { kindKey, type WatchedKind, watchedKinds } from "./drift/watched-kinds.ts";
export { ApplyFailed } from "./errors/apply-failed.ts";
export { DeleteFailed } from "./errors/delete-failed.ts";
export { DriftCheckFailed } from "./errors/drift-check-failed.ts";
export { type Failure, failureOf } from "./errors/failure.ts";
export { HealthCheckFailed } from "./errors/health-check-failed.ts";
export { PruneFailed } from "./errors/prune-failed.ts";
export { RenderFailed } from "./errors/render-failed.ts";
export { SourceFailed } from "./errors/source-failed.ts";
export { isStepFailed, StepFailed } from "./errors/step-failed.ts";
export { createWorkHandler, type ManagerSource } from "./handler.ts";
export { createWorkerLogger, type WorkerLoggerOptions } from "./logger.ts";
export { type Agent, type AgentOptions, startAgent } from "./modes/agent.ts";
export { type BalanceInput, type BalancePlan, fairShare, planBalance } from "./modes/balance.ts";
export { kubeconfigFor } from "./modes/credentials.ts";
export { Membership } from "./modes/membership.ts";
export { type PoolOptions, PoolWorker, startPool } from "./modes/pool.ts";
export { defaultResyncOptions, Resync, type ResyncOptions } from "./modes/resync.ts";
export { defaultReconcileOptions, type ReconcileDeps, type ReconcileOptions, reconcileSync } from "./reconcile.ts";
export { createRuntime, type RunningMode, type RuntimeOptions, type WorkerRuntime } from "./runtime.ts";
export { inventoryOf, mergeInventories, withoutEntries } from "./status/inventory.ts";
export { type PendingCheck, pendingStatus } from "./status/pending-status.ts";
export { type SyncResult, statusOf } from "./status/status-of.ts";
export { unchangedSince, verifiedStatus } from "./status/verified-status.ts";
export { worthRecording } from "./status/worth-recording.ts";
export type { ApplyStepOptions } from "./steps/apply.ts";
export type { HealthStepOptions } from "./steps/check-health.ts";
export type { HookStepOptions } from "./steps/run-hooks.ts";
export type { SyncContext } from "./steps/sync-context.ts";
