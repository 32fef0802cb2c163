import { hasChanges, type Inventory } from "@flotilla/kube";
import type { AppStatus, HistoryEntry, StatusStore } from "@flotilla/status";
import type { Failure } from "../errors/failure.ts";
import { type SyncResult, statusOf } from "../status/status-of.ts";
import { worthRecording } from "../status/worth-recording.ts";
import type { HookProgress } from "./hook-phases.ts";
import type { SyncContext } from "./sync-context.ts";

/** Records a sync that ran every step: status, the inventory it leaves, and a history entry when it earns one. */
export async function writeStatus(
  store: StatusStore,
  ctx: SyncContext,
  last: AppStatus | undefined,
  result: SyncResult,
  inventory: Inventory,
  jobId: string,
): Promise<AppStatus> {
  const status = statusOf(result);
  const changed = hasChanges(result.applied) || hasChanges(result.pruned);
  const history: HistoryEntry = {
    at: result.at.getTime(),
    result: status.sync,
    revision: result.revision,
    fleetRevision: result.fleetRevision,
    bundleDigest: result.bundleDigest,
    jobId,
  };
  await store.record(ctx.ref, { status, inventory, ...(worthRecording(last, status, changed) ? { history } : {}) });
  return status;
}

/** What is known of a sync that stopped at a step, to keep on the failure status. */
export interface PartialSync {
  revision?: string;
  bundleDigest?: string;
  /** What the hooks did before the sync stopped: a failed PreSync Job shows on the status with its reason. */
  hooks?: HookProgress;
}

/**
 * Records a sync that stopped at a step. The previous status's resources stay (they describe the cluster as it
 * still is) and the error says where and why it stopped.
 */
export async function writeFailure(
  store: StatusStore,
  ctx: SyncContext,
  failure: Failure,
  partial: PartialSync,
  at: Date,
  jobId: string,
): Promise<AppStatus> {
  const previous = await store.get(ctx.ref);
  const hooks = partial.hooks;
  const kept = previous?.resources ?? [];
  const status: AppStatus = {
    appSet: ctx.ref.appSet,
    application: ctx.ref.application,
    cluster: ctx.ref.cluster,
    sync: "Error",
    health: previous?.health ?? "Unknown",
    fleetRevision: ctx.job.revision,
    lastSyncAt: at.toISOString(),
    // The hooks' rows are this sync's when it ran hooks; the other rows still describe the cluster as it is.
    resources:
      hooks === undefined
        ? kept
        : [...kept.filter((r) => r.hook === undefined), ...hooks.resources].sort((a, b) => a.id.localeCompare(b.id)),
    lastError: {
      reason: failure.reason,
      message: failure.message,
      at: at.toISOString(),
      retrying: failure.retryable && ctx.finalAttempt !== true,
    },
  };
  if (previous?.healthMessage !== undefined) status.healthMessage = previous.healthMessage;
  const hookRun = hooks?.run ?? previous?.hooks;
  if (hookRun !== undefined) status.hooks = hookRun;
  const revision = partial.revision ?? previous?.revision;
  if (revision !== undefined) status.revision = revision;
  const digest = partial.bundleDigest ?? previous?.bundleDigest;
  if (digest !== undefined) status.bundleDigest = digest;
  const history = {
    at: at.getTime(),
    result: "Error" as const,
    fleetRevision: ctx.job.revision,
    jobId,
    message: failure.message,
  };
  await store.recordFailure(
    ctx.ref,
    status,
    partial.revision === undefined ? history : { ...history, revision: partial.revision },
  );
  return status;
}

/**
 * Records a drift check. History gets an entry only when the sync status changed, so the periodic re-sync of an
 * Application nobody touches does not grow its history.
 */
export async function writeVerified(
  store: StatusStore,
  ctx: SyncContext,
  last: AppStatus,
  status: AppStatus,
  jobId: string,
): Promise<AppStatus> {
  const history =
    last.sync === status.sync
      ? undefined
      : {
          at: Date.parse(status.lastSyncAt),
          result: status.sync,
          ...(status.revision === undefined ? {} : { revision: status.revision }),
          fleetRevision: ctx.job.revision,
          ...(status.bundleDigest === undefined ? {} : { bundleDigest: status.bundleDigest }),
          jobId,
          message: status.sync === "OutOfSync" ? "drift detected" : "back in sync",
        };
  await store.recordVerification(ctx.ref, status, history);
  return status;
}

/**
 * Records the look at a manual Application (see `pendingStatus`): its status, and a history entry when its sync
 * status changed. The inventory is untouched: nothing was applied.
 */
export async function writePending(
  store: StatusStore,
  ctx: SyncContext,
  last: AppStatus | undefined,
  status: AppStatus,
  jobId: string,
): Promise<AppStatus> {
  const history =
    last?.sync === status.sync
      ? undefined
      : {
          at: Date.parse(status.lastSyncAt),
          result: status.sync,
          ...(status.revision === undefined ? {} : { revision: status.revision }),
          fleetRevision: ctx.job.revision,
          jobId,
          message: status.syncMessage ?? "the cluster is as Git says; nothing to apply",
        };
  await store.recordVerification(ctx.ref, status, history);
  return status;
}
