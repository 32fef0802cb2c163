import type { StatusStore } from "@flotilla/status";
import type { DeletionRef, PendingDeletion, PendingDeletionStore } from "@flotilla/store";

export interface AbandonDeletionDeps {
  pending: PendingDeletionStore;
  status: StatusStore;
  now: () => Date;
}

/**
 * An operator gives up on a pending deletion (what the release/dismiss verbs call): nothing retries it, the
 * objects still on the cluster stay there, unmanaged, and Flotilla forgets the Application on that cluster — its
 * status and inventory go, so it no longer shows as failing, and its history records the abandonment with what
 * was left. Returns the record abandoned, undefined when none was pending (then nothing is touched).
 */
export async function abandonDeletion(
  deps: AbandonDeletionDeps,
  ref: DeletionRef,
): Promise<PendingDeletion | undefined> {
  const record = await deps.pending.abandonDeletion(ref);
  if (record === undefined) return undefined;
  const left = (await deps.status.inventory(ref)).entries.length;
  const at = deps.now().getTime();
  await deps.status.recordDeletion(ref, {
    at,
    result: "Abandoned",
    jobId: `abandoned-${at}`,
    message: `deletion abandoned by an operator after ${record.attempts} failed attempt(s); ${left} object(s) left on the cluster, no longer managed (last error: ${record.lastError})`,
    ...(record.revision !== undefined && { fleetRevision: record.revision }),
  });
  return record;
}
