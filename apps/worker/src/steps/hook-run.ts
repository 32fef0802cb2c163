import type { HookPhase } from "@flotilla/kube";
import type { AppStatus, HookRun } from "@flotilla/status";

/** The desired state hooks are counted against: the rendered bundle and the job's desired digest. */
export interface DesiredState {
  desiredDigest: string;
  bundleDigest: string;
}

/** Which hook phases this sync runs, from what already ran for the same desired state. */
export interface HooksDue {
  /** The record this sync continues (a fresh one when the desired state is new or a sync was requested). */
  run: HookRun;
  preSync: boolean;
  postSync: boolean;
  /** SyncFail hooks, if the sync fails for good. */
  syncFail: boolean;
  /** A phase that failed for this desired state before: the sync fails again without running anything. */
  failedBefore?: HookPhase;
}

function sameState(run: HookRun, state: DesiredState): boolean {
  return run.desiredDigest === state.desiredDigest && run.bundleDigest === state.bundleDigest;
}

/**
 * Hooks run once per desired state: a periodic re-sync of the same bundle runs none, a new bundle or desired
 * digest runs them all, and a requested sync (an operator's explicit operation, as in Argo CD) runs them again.
 * Phases that ended for this state are not run again, so a retry after a failed wave goes on from there.
 */
export function hooksDue(
  last: Pick<AppStatus, "hooks"> | undefined,
  state: DesiredState,
  options: { requested: boolean; at: Date },
): HooksDue {
  const previous = last?.hooks;
  const run: HookRun =
    previous !== undefined && sameState(previous, state) && !options.requested
      ? previous
      : { ...state, phases: {}, at: options.at.toISOString() };
  const failedBefore = (["PreSync", "PostSync"] as const).find((phase) => run.phases[phase] === "Failed");
  return {
    run,
    preSync: failedBefore === undefined && run.phases.PreSync === undefined,
    postSync: failedBefore === undefined && run.phases.PostSync === undefined,
    syncFail: run.phases.SyncFail === undefined,
    ...(failedBefore === undefined ? {} : { failedBefore }),
  };
}

/** The record after a phase ended. */
export function phaseEnded(
  run: HookRun,
  phase: HookPhase,
  outcome: { failed: boolean; message?: string; at: Date },
): HookRun {
  const next: HookRun = {
    ...run,
    phases: { ...run.phases, [phase]: outcome.failed ? "Failed" : "Succeeded" },
    at: outcome.at.toISOString(),
  };
  if (outcome.failed && outcome.message !== undefined) next.message = outcome.message;
  return next;
}
