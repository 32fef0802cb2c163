import { allowedInFlight, isManualGate } from "@flotilla/core";
import type { Observation, Rollout, RolloutApp, RolloutCondition, RolloutPhase, RolloutStep } from "./types.ts";

/** Which Applications get their new state now: updates to commit and enqueue, deletions to carry out. */
export interface Release {
  updates: string[];
  deletes: string[];
}

export interface Advanced {
  rollout: Rollout;
  release: Release;
  /** Whether anything in the rollout changed (state worth writing). */
  changed: boolean;
}

/** What one observation says of a released Application. */
function judge(app: RolloutApp, seen: Observation | undefined): Pick<RolloutApp, "state" | "message"> {
  if (app.change === "delete") {
    if (seen?.deletionFailed !== undefined)
      return { state: "Halted", message: `delete failed: ${seen.deletionFailed}` };
    return seen?.status === undefined ? { state: "Healthy" } : { state: "Progressing", message: "being deleted" };
  }
  const status = seen?.status;
  // A status from before the release says nothing of the new state: the job has not run yet.
  if (status === undefined || status.desiredDigest !== app.desiredDigest) {
    return { state: "Progressing", message: "waiting for its sync" };
  }
  if (status.sync === "Error" && status.error !== undefined && !status.error.retrying) {
    return { state: "Halted", message: `sync failed: ${status.error.message}` };
  }
  if (status.health === "Degraded") {
    return { state: "Halted", message: `Degraded${status.healthMessage ? `: ${status.healthMessage}` : ""}` };
  }
  if (status.sync === "Synced" && status.health === "Healthy") return { state: "Healthy" };
  const words = status.healthMessage ? `: ${status.healthMessage}` : "";
  return { state: "Progressing", message: `${status.sync}, ${status.health}${words}` };
}

const isDone = (a: RolloutApp): boolean => a.state === "Healthy" || a.waived === true;

/**
 * One step of the rollout controller: reads what the workers report of the released Applications, halts on the
 * first one that fails, and otherwise releases what the current step allows. Exactly one step runs at a time: a
 * step starts when every Application of the earlier steps is done (Synced at its new desired digest and Healthy,
 * or gone for a deletion), and at most its `maxUpdate` are in flight. Pure: the caller stores the result and
 * carries out `release`; releasing twice is harmless (the commit and the enqueue are idempotent).
 */
export function advanceRollout(rollout: Rollout, observed: ReadonlyMap<string, Observation>, now: Date): Advanced {
  const at = now.toISOString();
  const release: Release = { updates: [], deletes: [] };
  if (rollout.phase === "Completed") return { rollout, release, changed: false };
  let changed = false;
  const applications = rollout.applications.map((app): RolloutApp => {
    if (app.state !== "Progressing" && app.state !== "Halted") return app;
    const verdict = judge(app, observed.get(app.application));
    if (verdict.state === app.state && verdict.message === app.message) return app;
    changed = true;
    const next: RolloutApp = { ...app, state: verdict.state };
    if (verdict.message === undefined) delete next.message;
    else next.message = verdict.message;
    if (verdict.state === "Healthy") next.doneAt = at;
    return next;
  });
  const steps = rollout.steps.map((s) => ({ ...s }));
  let phase: RolloutPhase = rollout.phase;
  let condition = rollout.condition;
  const halted = applications.find((a) => a.state === "Halted" && a.waived !== true);
  if (halted !== undefined && phase !== "Halted") {
    phase = "Halted";
    condition = conditionOf(halted, at);
    steps[halted.step]!.state = "Halted";
    changed = true;
  }
  if (phase !== "Halted") {
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const members = applications.filter((a) => a.step === i);
      if (members.every(isDone)) {
        if (step.state !== "Completed") {
          step.state = "Completed";
          step.completedAt = at;
          step.startedAt ??= at;
          changed = true;
        }
        continue;
      }
      if (startStep(step, members, { at, release, applications })) changed = true;
      break;
    }
    if (steps.every((s) => s.state === "Completed")) {
      phase = "Completed";
      changed = true;
    }
  }
  if (!changed) return { rollout, release, changed: false };
  const next: Rollout = { ...rollout, steps, applications, phase, updatedAt: at };
  if (condition === undefined) delete next.condition;
  else next.condition = condition;
  return { rollout: next, release, changed: true };
}

/** Runs the current step: a gate waits for promote; otherwise fill the free slots in name order. */
function startStep(
  step: RolloutStep,
  members: readonly RolloutApp[],
  context: { at: string; release: Release; applications: RolloutApp[] },
): boolean {
  let changed = false;
  const gated = isManualGate(step.maxUpdate) && step.promoted !== true;
  const wanted = gated ? "Gated" : "Progressing";
  if (step.state !== wanted) {
    step.state = wanted;
    changed = true;
  }
  if (!gated) step.startedAt ??= context.at;
  const limit = step.promoted === true ? members.length : allowedInFlight(step.maxUpdate, members.length);
  let inFlight = members.filter((a) => a.state === "Progressing").length;
  for (const app of members) {
    if (app.state !== "Waiting" && app.state !== "Pending") continue;
    const index = context.applications.indexOf(app);
    if (!gated && inFlight < limit) {
      inFlight++;
      context.applications[index] = { ...app, state: "Progressing", releasedAt: context.at, message: "released" };
      (app.change === "update" ? context.release.updates : context.release.deletes).push(app.application);
      changed = true;
    } else if (app.state === "Waiting") {
      const message = gated ? "waiting for promote (manual gate)" : `waiting for a slot (maxUpdate ${limit})`;
      context.applications[index] = { ...app, state: "Pending", message };
      changed = true;
    }
  }
  return changed;
}

function conditionOf(app: RolloutApp, at: string): RolloutCondition {
  const reason =
    app.change === "delete" ? "DeleteFailed" : app.message?.startsWith("sync failed") ? "SyncFailed" : "Degraded";
  return {
    reason,
    application: app.application,
    cluster: app.cluster,
    message: `${app.application} on ${app.cluster}: ${app.message ?? "halted"}; the rollout stops here (fix it with a new commit, or resume past it)`,
    at,
  };
}

/** Which Applications are held back: their new state must not reach a worker yet. */
export function heldBack(rollout: Rollout): RolloutApp[] {
  return rollout.applications.filter((a) => a.state === "Waiting" || a.state === "Pending");
}
