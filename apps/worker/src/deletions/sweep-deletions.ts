import type { SyncQueues } from "@flotilla/queue";
import type { ApplicationStore, PendingDeletion, PendingDeletionStore } from "@flotilla/store";
import type { Logger } from "pino";

export interface DeletionSweepDeps {
  pending: PendingDeletionStore;
  applications: ApplicationStore;
  queues: SyncQueues;
  log: Logger;
  now: () => Date;
}

/**
 * Puts every pending deletion of `cluster` whose next attempt is due back on its queue, in the periodic lane (so
 * it is skipped while a job of the Application still waits or retries). A deletion whose Application came back
 * to the generation on this cluster is no longer wanted: it is settled, and the sync the generator enqueued
 * takes over. Returns how many deletes were enqueued.
 */
export async function sweepDeletions(deps: DeletionSweepDeps, cluster: string): Promise<number> {
  const due = await deps.pending.due(cluster, deps.now().getTime());
  let enqueued = 0;
  for (const deletion of due) {
    const log = deps.log.child({ appset: deletion.appSet, app: deletion.application, cluster });
    if (await wantedAgain(deps.applications, deletion)) {
      await deps.pending.settle(deletion);
      log.info("pending deletion dropped: the Application is generated for this cluster again");
      continue;
    }
    const { jobId } = await deps.queues.enqueueDelete(deleteJobOf(deletion), { lane: "periodic" });
    if (jobId === "") continue;
    enqueued++;
    log.info(
      { attempts: deletion.attempts, since: new Date(deletion.since).toISOString() },
      "retrying a pending deletion",
    );
  }
  return enqueued;
}

async function wantedAgain(applications: ApplicationStore, deletion: PendingDeletion): Promise<boolean> {
  const app = await applications.get(deletion.appSet, deletion.application);
  return app !== undefined && app.spec.destination.cluster === deletion.cluster;
}

function deleteJobOf(deletion: PendingDeletion) {
  return {
    appSet: deletion.appSet,
    application: deletion.application,
    cluster: deletion.cluster,
    preserveResources: deletion.preserveResources,
    ...(deletion.revision !== undefined && { revision: deletion.revision }),
  };
}
