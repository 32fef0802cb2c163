import type { Inventory } from "@flotilla/kube";
import type { Failure } from "../errors/failure.ts";
import { type SyncResult, statusOf } from "../status/status-of.ts";
import type { StatusStore } from "../status/status-store.ts";
import type { AppStatus } from "../status/types.ts";
import type { SyncContext } from "./sync-context.ts";

/** Records a sync that ran every step: status, the inventory it leaves, and a history entry. */
export async function writeStatus(
  store: StatusStore,
  ctx: SyncContext,
  result: SyncResult,
  inventory: Inventory,
  jobId: string,
): Promise<AppStatus> {
  const status = statusOf(result);
  await store.record(ctx.ref, {
    status,
    inventory,
    history: {
      at: result.at.getTime(),
      result: status.sync,
      revision: result.revision,
      fleetRevision: result.fleetRevision,
      bundleDigest: result.bundleDigest,
      jobId,
    },
  });
  return status;
}

/** What is known of a sync that stopped at a step, to keep on the failure status. */
export interface PartialSync {
  revision?: string;
  bundleDigest?: string;
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
  const status: AppStatus = {
    appSet: ctx.ref.appSet,
    application: ctx.ref.application,
    cluster: ctx.ref.cluster,
    sync: "Error",
    health: previous?.health ?? "Unknown",
    fleetRevision: ctx.job.revision,
    lastSyncAt: at.toISOString(),
    resources: previous?.resources ?? [],
    lastError: { reason: failure.reason, message: failure.message, at: at.toISOString(), retrying: failure.retryable },
  };
  if (previous?.healthMessage !== undefined) status.healthMessage = previous.healthMessage;
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
