import type { ResourceManager } from "@flotilla/kube";
import type { WorkHandler } from "@flotilla/queue";
import type { AppRef } from "@flotilla/status";
import { reconcileDelete } from "./delete-app.ts";
import { type DeletionTracking, trackDeletion } from "./deletions/track-deletion.ts";
import { type ReconcileDeps, reconcileSync } from "./reconcile.ts";

/** Where a cluster's manager comes from: the agent's own kubeconfig, or the registry's stored credentials. */
export type ManagerSource = (cluster: string) => Promise<ResourceManager>;

/** The queue handler: one work item, synced or deleted on its cluster. A failed delete stays owed (`deletions`). */
export function createWorkHandler(
  deps: ReconcileDeps,
  managerFor: ManagerSource,
  deletions: DeletionTracking,
): WorkHandler {
  return async (item, { jobId, signal, log, attempt, attempts }) => {
    const ref: AppRef = { cluster: item.job.cluster, appSet: item.job.appSet, application: item.job.application };
    if (item.kind === "sync") {
      const manager = await managerFor(ref.cluster);
      const finalAttempt = attempt >= attempts;
      await reconcileSync(deps, { ref, job: item.job, app: item.job.app, manager, log, signal, finalAttempt }, jobId);
      return;
    }
    const job = item.job;
    await trackDeletion(deletions, job, { signal, log }, async () => {
      const manager = await managerFor(ref.cluster);
      await reconcileDelete(deps, { ref, job, manager, log }, jobId);
    });
  };
}
