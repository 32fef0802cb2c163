import { type DeleteJob, isClusterThrottledError } from "@flotilla/queue";
import type { PendingDeletionStore } from "@flotilla/store";
import type { Logger } from "pino";

/** Where a failed delete is remembered, and how long to wait before the sweep tries it again. */
export interface DeletionTracking {
  pending: PendingDeletionStore;
  /** The wait after the n-th failed attempt (capped exponential, as the queue's retries). */
  retryDelayMs: (attempts: number) => number;
  now: () => Date;
}

/**
 * Runs one attempt of a delete job and keeps its debt: a failure becomes (or updates) the Application's pending
 * deletion, which outlives the job's own retries, and a success settles it. Whatever the failure (the cluster
 * unreachable, credentials missing, an object refused), nothing in Git will ask for this delete again, so
 * nothing here may drop it. A throttled cluster or a shutdown is not a failed attempt: the job comes back as it is.
 */
export async function trackDeletion(
  tracking: DeletionTracking,
  job: DeleteJob,
  attempt: { signal: AbortSignal; log: Logger },
  run: () => Promise<void>,
): Promise<void> {
  const ref = { cluster: job.cluster, appSet: job.appSet, application: job.application };
  try {
    await run();
  } catch (err) {
    if (isClusterThrottledError(err) || attempt.signal.aborted) throw err;
    const record = await tracking.pending.recordFailure({
      ...ref,
      preserveResources: job.preserveResources,
      ...(job.revision !== undefined && { revision: job.revision }),
      error: err instanceof Error ? err.message : String(err),
      at: tracking.now().getTime(),
      retryDelayMs: tracking.retryDelayMs,
    });
    if (record === undefined) {
      attempt.log.warn("delete failed on a cluster that is no longer registered; nothing is owed there any more");
    } else {
      attempt.log.warn(
        { attempts: record.attempts, nextAttemptAt: new Date(record.nextAttemptAt).toISOString() },
        "delete failed; kept as a pending deletion until it succeeds, its cluster is removed or it is abandoned",
      );
    }
    throw err;
  }
  if (await tracking.pending.settle(ref)) attempt.log.info("pending deletion done");
}
