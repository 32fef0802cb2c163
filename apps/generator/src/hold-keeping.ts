import type { ApplicationDiff, ClusterIndex } from "@flotilla/core";
import type { HeldApplication, HoldDecision, HoldRecord } from "@flotilla/store";
import { storedClusters } from "./delete-routes.ts";
import type { GeneratorState } from "./ports.ts";

export interface KeepHoldInput {
  appSet: string;
  diff: ApplicationDiff;
  /** The operator decision this generation carried out, if any. */
  decision?: HoldDecision;
  commit: string;
  time: Date;
  /** The registry, for the clusters the held Applications are on. */
  clusters: ClusterIndex;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((n) => set.has(n));
}

/** The held Applications with the clusters they are on, as a hold record lists them. */
export async function heldApplications(
  state: GeneratorState,
  appSet: string,
  names: readonly string[],
  registry: ClusterIndex,
): Promise<HeldApplication[]> {
  const clusters = storedClusters(await state.destinations(appSet, names), registry);
  return [...names].sort().map((application) => {
    const cluster = clusters.get(application);
    return cluster === undefined ? { application } : { application, cluster };
  });
}

/**
 * Makes the stored hold match what the guard held in this generation: a record while deletions are held (its
 * `since` kept while the same Applications stay held), none once they are not. A dismissed set of names is kept
 * in force without a record; a hold that differs from it (another Application became due) is reported again, whole.
 */
export async function keepShrinkHold(state: GeneratorState, input: KeepHoldInput): Promise<void> {
  const { appSet, diff, decision } = input;
  const holds = state.holds;
  const held = diff.held?.deletes ?? [];
  const existing = await holds.get(appSet);
  let dismissed = await holds.dismissed(appSet);
  if (decision?.action === "dismiss") {
    dismissed = decision.applications.filter((n) => held.includes(n));
    await holds.setDismissed(appSet, dismissed);
  }
  if (held.length === 0 || sameNames(dismissed, held)) {
    if (existing !== undefined) await holds.clear(appSet);
    if (held.length === 0 && dismissed.length > 0) await holds.setDismissed(appSet, []);
  } else {
    if (dismissed.length > 0) await holds.setDismissed(appSet, []);
    const names = existing?.applications.map((a) => a.application) ?? [];
    const record: HoldRecord = {
      appSet,
      kind: "shrink",
      reason: diff.held!.reason,
      applications: await heldApplications(state, appSet, held, input.clusters),
      since: existing?.kind === "shrink" && sameNames(names, held) ? existing.since : input.time.toISOString(),
      commit: input.commit,
    };
    await holds.put(record);
  }
  if (decision !== undefined) await holds.settle(appSet, decision);
}
