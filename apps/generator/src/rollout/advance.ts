import { advanceRollout, promoteRollout, type Rollout, resumeRollout } from "@flotilla/rollout";
import type { RolloutDeps } from "./deps.ts";
import { releaseChanges } from "./release.ts";

/**
 * One tick of one ApplicationSet's rollout: carries out an operator's request bound to it, reads what the workers
 * report of the Applications in flight, lets the controller decide, releases what it allows and stores the new
 * state last (a crash before that releases the same changes again, which is harmless).
 */
export async function advanceAppSetRollout(deps: RolloutDeps, appSet: string, now: Date): Promise<Rollout | undefined> {
  const log = deps.logger.child({ appset: appSet });
  let rollout = await deps.state.rollouts.get(appSet);
  if (rollout === undefined) return undefined;
  const request = await deps.state.rollouts.request(appSet);
  let acted = false;
  if (request !== undefined) {
    if (request.rollout !== rollout.id) {
      log.warn({ request }, "rollout request for a rollout a newer change set superseded; dropped");
    } else {
      const outcome = request.action === "promote" ? promoteRollout(rollout, now) : resumeRollout(rollout, now);
      if (outcome.ok) {
        rollout = outcome.rollout;
        acted = true;
        log.info({ rollout: rollout.id, action: request.action }, `rollout ${request.action}d by an operator`);
      } else
        log.warn({ rollout: rollout.id, action: request.action, problem: outcome.problem }, "rollout request moot");
    }
  }
  if (rollout.phase === "Completed" && !acted) {
    if (request !== undefined) await deps.state.rollouts.settle(appSet, request);
    return rollout;
  }
  const watched = rollout.applications
    .filter((a) => a.state === "Progressing" || a.state === "Halted")
    .map((a) => ({ application: a.application, cluster: a.cluster, change: a.change }));
  const observed = await deps.state.rollouts.observe(appSet, watched);
  const advanced = advanceRollout(rollout, observed, now);
  await releaseChanges(deps, advanced.rollout, advanced.release);
  if (advanced.changed || acted) await deps.state.rollouts.put(advanced.rollout);
  if (request !== undefined) await deps.state.rollouts.settle(appSet, request);
  report(log, rollout, advanced.rollout);
  return advanced.rollout;
}

/** Every stored rollout, one tick each; one failing ApplicationSet does not stop the others. */
export async function tickRollouts(deps: RolloutDeps, now: () => Date = () => new Date()): Promise<void> {
  for (const appSet of await deps.state.rollouts.appSets()) {
    try {
      await advanceAppSetRollout(deps, appSet, now());
    } catch (err) {
      deps.logger.child({ appset: appSet }).error({ err }, "rollout tick failed; retried at the next tick");
    }
  }
}

function report(log: RolloutDeps["logger"], before: Rollout, after: Rollout): void {
  if (before.phase !== "Halted" && after.phase === "Halted") {
    log.error({ rollout: after.id, condition: after.condition, app: after.condition?.application }, "rollout halted");
  }
  if (before.phase !== "Completed" && after.phase === "Completed") log.info({ rollout: after.id }, "rollout completed");
  after.steps.forEach((step, i) => {
    const was = before.steps[i]?.state;
    if (was === step.state) return;
    log.info(
      {
        rollout: after.id,
        step: i + 1,
        of: after.steps.length,
        index: step.index,
        change: step.change,
        state: step.state,
      },
      `rollout step ${step.state.toLowerCase()}`,
    );
  });
}
