import { type ChangeSet, failures, type ResourceManager } from "@flotilla/kube";
import type { DeleteJob } from "@flotilla/queue";
import type { AppRef, AppStatus, HistoryEntry, ResourceStatus } from "@flotilla/status";
import type { Logger } from "pino";
import { DeleteFailed } from "./errors/delete-failed.ts";
import type { ReconcileDeps } from "./reconcile.ts";
import { remainingAfterDelete } from "./status/inventory.ts";

export interface DeleteContext {
  ref: AppRef;
  job: DeleteJob;
  manager: ResourceManager;
  log: Logger;
}

/**
 * The Application left Git (or its cluster left the set): its objects go, by its inventory and only those it
 * owns, unless `preserveResources`; then its status and inventory go and history records the deletion.
 *
 * When some objects cannot be deleted, the inventory keeps exactly those, the status says Error with each of them
 * and why, history records the failure, and the job throws, whatever the failure: a refusal (RBAC, an admission
 * webhook, a server error) may be lifted by a later attempt. Nothing in Git will ask for this delete again, so
 * the handler records it as a pending deletion (see `trackDeletion`), which is retried until it succeeds, its
 * cluster is removed or an operator abandons it: the status says it is retrying, and it is.
 */
export async function reconcileDelete(
  deps: Pick<ReconcileDeps, "status" | "now">,
  ctx: DeleteContext,
  jobId: string,
): Promise<void> {
  const at = deps.now();
  const inventory = await deps.status.inventory(ctx.ref);
  let message = "resources preserved";
  if (!ctx.job.preserveResources) {
    const changeSet = await ctx.manager.deleteApplication(inventory, {
      application: ctx.job.application,
      appSets: [ctx.job.appSet],
    });
    const failed = failures(changeSet);
    if (failed.length > 0) {
      const error = new DeleteFailed(failed);
      await deps.status.putInventory(ctx.ref, remainingAfterDelete(inventory, changeSet));
      const previous = await deps.status.get(ctx.ref);
      const failure = deleteFailure(ctx.ref, ctx.job, previous, changeSet, error.message, at);
      await deps.status.recordFailure(ctx.ref, failure.status, { ...failure.history, jobId });
      ctx.log.warn(
        { reason: error.reason, err: error.message, failed: failed.map((e) => e.id) },
        "delete failed; the objects that remain stay in the inventory",
      );
      throw error;
    }
    message = `${changeSet.entries.filter((e) => e.action === "deleted").length} object(s) deleted`;
  }
  const entry = { at: at.getTime(), result: "Deleted" as const, jobId, message };
  await deps.status.recordDeletion(
    ctx.ref,
    ctx.job.revision === undefined ? entry : { ...entry, fleetRevision: ctx.job.revision },
  );
  ctx.log.info({ preserved: ctx.job.preserveResources }, "application deleted");
}

/**
 * The status and history entry of a delete that left objects behind. Its resources are the delete's outcome,
 * object by object, each failed one with its error, so an operator sees what is left and why. A failed delete is
 * always retried (it is a pending deletion until done or abandoned), so the status says so.
 */
export function deleteFailure(
  ref: AppRef,
  job: DeleteJob,
  previous: AppStatus | undefined,
  changeSet: ChangeSet,
  message: string,
  at: Date,
): { status: AppStatus; history: Omit<HistoryEntry, "jobId"> } {
  const healthBefore = new Map(previous?.resources.map((r) => [r.id, r.health]));
  const resources = changeSet.entries
    .map((entry): ResourceStatus => {
      const resource: ResourceStatus = {
        id: entry.id,
        action: entry.action,
        health:
          entry.error !== undefined
            ? (healthBefore.get(entry.id) ?? "Unknown")
            : entry.action === "deleted"
              ? "Missing"
              : "Unknown",
      };
      const why = entry.error?.message ?? entry.reason;
      if (why !== undefined) resource.message = why;
      return resource;
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const status: AppStatus = {
    appSet: ref.appSet,
    application: ref.application,
    cluster: ref.cluster,
    sync: "Error",
    health: previous?.health ?? "Unknown",
    lastSyncAt: at.toISOString(),
    resources,
    lastError: { reason: "DeleteFailed", message, at: at.toISOString(), retrying: true },
  };
  // What last ran stays visible: the objects still there came from it.
  if (previous?.revision !== undefined) status.revision = previous.revision;
  if (previous?.bundleDigest !== undefined) status.bundleDigest = previous.bundleDigest;
  const fleetRevision = job.revision ?? previous?.fleetRevision;
  if (fleetRevision !== undefined) status.fleetRevision = fleetRevision;
  const history: Omit<HistoryEntry, "jobId"> = { at: at.getTime(), result: "Error", message };
  if (job.revision !== undefined) history.fleetRevision = job.revision;
  return { status, history };
}
