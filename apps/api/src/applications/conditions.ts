import type { Application } from "@flotilla/core";
import type { AppStatus, FailureReason, SyncRequest } from "@flotilla/status";

/** Something an operator should know about an Application, in the words Argo CD users know. */
export interface AppCondition {
  type:
    | "SyncError"
    | "ComparisonError"
    | "OrphanedResourceWarning"
    | "DriftWarning"
    | "ManualSyncPending"
    | "SyncRequested"
    | "NotInGit";
  message: string;
  /** ISO-8601, when the condition has a moment of its own. */
  at?: string;
}

export interface ConditionInput {
  status: AppStatus | undefined;
  /** The Application as stored; undefined when the ApplicationSet no longer generates it for this cluster. */
  spec: Application | undefined;
  request: SyncRequest | undefined;
}

// Failures before anything was compared: Git or the render, or the dry-run itself.
const COMPARISON: readonly FailureReason[] = ["SourceFailed", "RenderFailed", "DriftCheckFailed"];

const listed = (ids: readonly string[]): string =>
  ids.length > 5 ? `${ids.slice(0, 5).join(", ")} and ${ids.length - 5} more` : ids.join(", ");

/** The conditions an Application's status, spec and pending request imply; pure. */
export function conditionsOf(input: ConditionInput): AppCondition[] {
  const { status, spec, request } = input;
  const conditions: AppCondition[] = [];
  const error = status?.lastError;
  if (error !== undefined) {
    conditions.push({
      type: COMPARISON.includes(error.reason) ? "ComparisonError" : "SyncError",
      message: `${error.reason}: ${error.message}${error.retrying ? " (retrying)" : ""}`,
      at: error.at,
    });
  }
  const resources = status?.resources ?? [];
  const stale = resources.filter((r) => r.action === "stale").map((r) => r.id);
  if (stale.length > 0) {
    conditions.push({
      type: "OrphanedResourceWarning",
      message: `${stale.length} object(s) left Git and are still on the cluster (not pruned): ${listed(stale)}`,
    });
  }
  const manual = spec !== undefined && spec.spec.syncPolicy?.automated === undefined;
  const drifted = resources.filter((r) => r.drift !== undefined && r.action !== "stale").map((r) => r.id);
  if (drifted.length > 0 && !manual) {
    conditions.push({
      type: "DriftWarning",
      message: `${drifted.length} object(s) on the cluster differ from Git: ${listed(drifted)}`,
    });
  }
  if (manual && status?.sync === "OutOfSync" && request === undefined) {
    conditions.push({
      type: "ManualSyncPending",
      message: status.syncMessage ?? "manual sync policy: differs from Git; applied only when a sync is requested",
    });
  }
  if (request !== undefined) {
    conditions.push({
      type: "SyncRequested",
      message: `a sync was requested${request.prune ? " with prune" : ""}; it runs when a worker takes the job`,
      at: request.at,
    });
  }
  if (spec === undefined && status !== undefined) {
    conditions.push({
      type: "NotInGit",
      message:
        "the ApplicationSet no longer generates this Application for this cluster; its deletion is pending or held",
    });
  }
  return conditions;
}
