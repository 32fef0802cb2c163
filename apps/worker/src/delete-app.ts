import { failures, type ResourceManager } from "@flotilla/kube";
import type { DeleteJob } from "@flotilla/queue";
import type { Logger } from "pino";
import { DeleteFailed } from "./errors/delete-failed.ts";
import { failureOf } from "./errors/failure.ts";
import type { ReconcileDeps } from "./reconcile.ts";
import { withoutEntries } from "./status/inventory.ts";
import type { AppRef } from "./status/keys.ts";

export interface DeleteContext {
  ref: AppRef;
  job: DeleteJob;
  manager: ResourceManager;
  log: Logger;
}

/**
 * The Application left Git (or its cluster left the set): its objects go, by its inventory and only those it
 * owns, unless `preserveResources`; then its status and inventory go and history records the deletion. Failures
 * keep the remaining inventory so a retry finds what is left; as with syncs, only an unreachable cluster is
 * retried.
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
    const changeSet = await ctx.manager.deleteApplication(inventory, { application: ctx.job.application });
    const failed = failures(changeSet);
    const gone = changeSet.entries.filter((e) => e.error === undefined).map((e) => e.id);
    if (failed.length > 0) {
      await deps.status.putInventory(ctx.ref, withoutEntries(inventory, gone));
      const failure = failureOf(new DeleteFailed(failed));
      ctx.log[failure.retryable ? "warn" : "error"]({ reason: failure.reason, err: failure.message }, "delete failed");
      if (failure.retryable) throw new DeleteFailed(failed);
      message = failure.message;
    } else {
      message = `${changeSet.entries.filter((e) => e.action === "deleted").length} object(s) deleted`;
    }
  }
  const entry = { at: at.getTime(), result: "Deleted" as const, jobId, message };
  await deps.status.recordDeletion(
    ctx.ref,
    ctx.job.revision === undefined ? entry : { ...entry, fleetRevision: ctx.job.revision },
  );
  ctx.log.info({ preserved: ctx.job.preserveResources }, "application deleted");
}
