import type { ResourceManager } from "@flotilla/kube";
import type { WorkHandler } from "@flotilla/queue";
import { reconcileDelete } from "./delete-app.ts";
import { type ReconcileDeps, reconcileSync } from "./reconcile.ts";
import type { AppRef } from "./status/keys.ts";

/** Where a cluster's manager comes from: the agent's own kubeconfig, or the registry's stored credentials. */
export type ManagerSource = (cluster: string) => Promise<ResourceManager>;

/** The queue handler: one work item, synced or deleted on its cluster. */
export function createWorkHandler(deps: ReconcileDeps, managerFor: ManagerSource): WorkHandler {
  return async (item, { jobId, signal, log, attempt, attempts }) => {
    const ref: AppRef = { cluster: item.job.cluster, appSet: item.job.appSet, application: item.job.application };
    const manager = await managerFor(ref.cluster);
    if (item.kind === "sync") {
      const finalAttempt = attempt >= attempts;
      await reconcileSync(deps, { ref, job: item.job, app: item.job.app, manager, log, signal, finalAttempt }, jobId);
      return;
    }
    await reconcileDelete(deps, { ref, job: item.job, manager, log, finalAttempt: attempt >= attempts }, jobId);
  };
}
