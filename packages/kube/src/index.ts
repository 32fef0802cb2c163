export { type ApplyOptions, type ApplyRequest, defaultApplyOptions } from "./apply.ts";
export {
  type Action,
  type ChangeSet,
  type ChangeSetEntry,
  failures,
  formatChangeSet,
  hasChanges,
} from "./changeset.ts";
export type { HealthOptions, HealthReport, ObjectHealth } from "./check-health.ts";
export { healthOfApplied } from "./check-health.ts";
export { type DeleteOptions, defaultDeleteOptions, pruneVeto } from "./delete.ts";
export { type DiffOptions, type DriftEntry, defaultDiffOptions } from "./diff.ts";
export {
  comparable,
  type Drift,
  type DriftOptions,
  detectDrift,
  type FieldDifference,
  REDACTED_VALUE,
} from "./drift.ts";
export { ApiError, type ApiStatus, type StatusCause } from "./errors/api-error.ts";
export { ClusterUnreachable } from "./errors/cluster-unreachable.ts";
export { DryRunFailed } from "./errors/dry-run-failed.ts";
export { InvalidSyncAnnotation } from "./errors/invalid-sync-annotation.ts";
export { KubeError } from "./errors/kube-error.ts";
export { ObjectApplyFailed } from "./errors/object-apply-failed.ts";
export { ObjectDeleteFailed } from "./errors/object-delete-failed.ts";
export { isConflict, isImmutableError, isNotFound, isUnknownKind, isUnreachable } from "./errors/predicates.ts";
export { ReadFailed } from "./errors/read-failed.ts";
export { UnknownKind } from "./errors/unknown-kind.ts";
export { WaitTimeout } from "./errors/wait-timeout.ts";
export { aggregateHealth, assessHealth, HEALTH_SEVERITY, type HealthStatus, type HealthVerdict } from "./health.ts";
export {
  ARGOCD_HOOK_ANNOTATION,
  ARGOCD_HOOK_DELETE_POLICY_ANNOTATION,
  HOOK_ANNOTATION,
  HOOK_DELETE_POLICY_ANNOTATION,
  type Hook,
  type HookDeletePolicy,
  type HookPhase,
  isHook,
  type SyncRole,
  syncRoleOf,
} from "./hooks.ts";
export {
  apiVersionOf,
  InvalidInventoryId,
  type Inventory,
  type InventoryEntry,
  newInventory,
  parseId,
  staleEntries,
} from "./inventory.ts";
export { KubeconfigError, loadKubeconfig } from "./kubeconfig.ts";
export {
  APPLICATION_LABEL,
  APPSET_LABEL,
  ARGOCD_SYNC_OPTIONS_ANNOTATION,
  COMMIT_ANNOTATION,
  isOwnedBy,
  type Owner,
  PRESERVE_ANNOTATION,
  PRUNE_ANNOTATION,
  type PrunePolicy,
  prunePolicyOf,
  stampOwnership,
} from "./labels.ts";
export { type ApplyCall, type ManagerOptions, type PruneCall, ResourceManager } from "./manager.ts";
export {
  formatId,
  groupOf,
  idOf,
  type KubeObject,
  type ObjectMeta,
  type ObjectRef,
  refOf,
  subjectOf,
} from "./object.ts";
export { applyStage, sortForApply, sortForDelete, stagesOf } from "./order.ts";
export { ManagerPool, type ManagerPoolOptions } from "./pool.ts";
export { InvalidObject } from "./prepare.ts";
export { compareResourceVersions } from "./resource-version.ts";
export { foundationOf, type HookWave, hookWaves, planSync, resourcesOf, type SyncPlan } from "./sync-plan.ts";
export type { ReachabilityObserver } from "./transport.ts";
export { defaultWaitOptions, type WaitOptions } from "./wait.ts";
export type { WatchDoneHandler, WatchEventHandler, WatchRequest } from "./watch.ts";
export {
  ARGOCD_SYNC_WAVE_ANNOTATION,
  groupByWave,
  liveWaveOf,
  planWaves,
  pruneWaves,
  SYNC_WAVE_ANNOTATION,
  type Wave,
  waveOf,
} from "./waves.ts";
