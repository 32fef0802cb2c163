import { syncOptionsOf } from "@flotilla/core";
import { type ChangeSet, failures, type Inventory, type InventoryEntry, staleEntries } from "@flotilla/kube";
import type { SyncJob } from "@flotilla/queue";
import { PruneFailed } from "../errors/prune-failed.ts";
import { mergeInventories } from "../status/inventory.ts";
import type { SyncContext } from "./sync-context.ts";

/** The ApplicationSets whose objects a sync may prune: its own, and during a rename the one it takes over from. */
export function appSetsOf(job: Pick<SyncJob, "appSet" | "adoptFrom">): string[] {
  return job.adoptFrom === undefined ? [job.appSet] : [job.appSet, job.adoptFrom];
}

export interface PruneOutcome {
  pruned: ChangeSet;
  /** What left Git and stays, because prune is off: reported as OutOfSync. */
  stale: InventoryEntry[];
  /** What the Application owns after this step. */
  inventory: Inventory;
}

export interface PruneStepOptions {
  /**
   * Whether this sync may delete: the request's `prune` for a requested sync. The sync option `Prune=false`
   * overrides it. @defaultValue `syncPolicy.automated.prune`
   */
  enabled?: boolean;
}

/**
 * Deletes what left Git (the previous inventory less what was just applied). Only reached after an apply
 * without failures: a failed object would look stale and be deleted. With prune off (Argo CD's default) nothing
 * is deleted and the stale objects stay in the inventory, so turning prune on later still finds them.
 */
export async function prune(
  ctx: SyncContext,
  previous: Inventory,
  applied: Inventory,
  options: PruneStepOptions = {},
): Promise<PruneOutcome> {
  const stale = staleEntries(previous, applied);
  const syncOptions = syncOptionsOf(ctx.app.spec.syncPolicy?.syncOptions);
  const enabled = (options.enabled ?? ctx.app.spec.syncPolicy?.automated?.prune === true) && syncOptions.prune;
  if (stale.length === 0) return { pruned: { entries: [] }, stale: [], inventory: applied };
  if (!enabled) return { pruned: { entries: [] }, stale, inventory: mergeInventories(applied, stale) };
  const pruned = await ctx.manager.prune(stale, {
    application: ctx.job.application,
    appSets: appSetsOf(ctx.job),
    propagationPolicy: syncOptions.prunePropagationPolicy,
  });
  const failed = failures(pruned);
  if (failed.length > 0) throw new PruneFailed(failed);
  ctx.log.info({ pruned: pruned.entries.filter((e) => e.action === "deleted").length }, "pruned objects that left Git");
  return { pruned, stale: [], inventory: applied };
}
