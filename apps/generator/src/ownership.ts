import type { ApplicationDiff, ElementError, Generation } from "@flotilla/core";
import type { SyncJob } from "@flotilla/queue";
import { type ClaimOutcome, ownerConflictMessage } from "@flotilla/store";
import type { OwnerState } from "./ports.ts";

export interface OwnershipInput {
  appSet: string;
  /** The sync jobs this generation is about to send: each claims its Application name on its cluster. */
  syncs: readonly SyncJob[];
  /** ApplicationSets that left Git in this cycle: a name they own is handed over (a rename), not refused. */
  adoptable: readonly string[];
}

/** Claims each synced name for its ApplicationSet; see `withoutConflicts` for what a refused claim becomes. */
export async function claimNames(owners: OwnerState, input: OwnershipInput): Promise<ClaimOutcome> {
  const names = input.syncs.map((job) => ({ cluster: job.cluster, application: job.application }));
  return await owners.claim(input.appSet, names, input.adoptable);
}

/**
 * The generation and diff once refused claims are taken out: each becomes its element's error (which keeps an
 * Application of that name in force, if this ApplicationSet had one), and gets no job. Pure.
 */
export function withoutConflicts(
  generation: Generation,
  diff: ApplicationDiff,
  conflicts: ClaimOutcome["conflicts"],
): { generation: Generation; diff: ApplicationDiff } {
  if (conflicts.length === 0) return { generation, diff };
  const refused = new Map(conflicts.map((c) => [c.application, c]));
  const errors: ElementError[] = [];
  generation.applications.forEach((application, element) => {
    const conflict = refused.get(application.metadata.name);
    if (conflict === undefined) return;
    errors.push({
      appSet: generation.appSet,
      element,
      application: conflict.application,
      field: "metadata.name",
      params: `cluster=${conflict.cluster}`,
      message: ownerConflictMessage(conflict.application, conflict.cluster, conflict.owner),
    });
  });
  const kept = (change: { application: { metadata: { name: string } } }) =>
    !refused.has(change.application.metadata.name);
  const updatesRefused = diff.updates.filter((u) => !kept(u)).map((u) => u.application.metadata.name);
  return {
    generation: {
      ...generation,
      applications: generation.applications.filter((a) => !refused.has(a.metadata.name)),
      errors: [...generation.errors, ...errors],
    },
    diff: {
      ...diff,
      creates: diff.creates.filter(kept),
      updates: diff.updates.filter(kept),
      // An Application this ApplicationSet already had stays as it was.
      unchanged: [...diff.unchanged, ...updatesRefused],
    },
  };
}
