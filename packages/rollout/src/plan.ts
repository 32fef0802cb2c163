import { DEFAULT_MAX_UPDATE, parseMaxUpdate, type RollingSyncStep } from "@flotilla/core";
import { compileSelector, type LabelMatcher } from "@flotilla/generators";
import type { Rollout, RolloutApp, RolloutChange, RolloutStep } from "./types.ts";

/** A changed Application as the generation has it (an update) or as the store had it (a deletion). */
export interface ChangedApp {
  application: string;
  cluster: string;
  labels: Readonly<Record<string, string>>;
  /** The new desired digest (updates only). */
  desiredDigest?: string;
}

export interface PlanInput {
  id: string;
  appSet: string;
  commit: string;
  /** `spec.strategy.rollingSync.steps`, validated at parse time. */
  steps: readonly RollingSyncStep[];
  updates: readonly ChangedApp[];
  deletes: readonly ChangedApp[];
  now: Date;
}

/**
 * The step each Application falls in: the first step whose matchExpressions all hold on its labels (overlapping
 * steps: the first match wins), or null when none matches (such Applications go last; Argo CD never syncs them).
 */
export function stepOf(matchers: readonly LabelMatcher[], labels: Readonly<Record<string, string>>): number | null {
  const i = matchers.findIndex((matches) => matches(labels));
  return i === -1 ? null : i;
}

export function stepMatchers(steps: readonly RollingSyncStep[]): LabelMatcher[] {
  return steps.map((step, i) =>
    compileSelector({ matchExpressions: step.matchExpressions }, ["spec", "strategy", "rollingSync", "steps", i]),
  );
}

/**
 * A new rollout of a change set, every Application Waiting. Only steps with something to do are kept: updates in
 * step order with the unmatched last, then deletions in the reverse order (dependents go before what they need).
 */
export function planRollout(input: PlanInput): Rollout {
  const matchers = stepMatchers(input.steps);
  const order = (change: RolloutChange): (number | null)[] => {
    const forward = [...input.steps.map((_, i) => i), null];
    return change === "update" ? forward : forward.reverse();
  };
  const steps: RolloutStep[] = [];
  const applications: RolloutApp[] = [];
  for (const [change, apps] of [
    ["update", input.updates],
    ["delete", input.deletes],
  ] as const) {
    const byStep = new Map<number | null, ChangedApp[]>();
    for (const app of apps) {
      const at = stepOf(matchers, app.labels);
      (byStep.get(at) ?? byStep.set(at, []).get(at)!).push(app);
    }
    for (const index of order(change)) {
      const members = byStep.get(index);
      if (members === undefined) continue;
      const written = index === null ? undefined : input.steps[index]!.maxUpdate;
      steps.push({
        index,
        change,
        maxUpdate: index === null ? DEFAULT_MAX_UPDATE : (parseMaxUpdate(written) ?? DEFAULT_MAX_UPDATE),
        state: "Waiting",
      });
      const step = steps.length - 1;
      for (const app of [...members].sort(byName)) {
        applications.push({
          application: app.application,
          cluster: app.cluster,
          change,
          step,
          ...(app.desiredDigest !== undefined && { desiredDigest: app.desiredDigest }),
          state: "Waiting",
        });
      }
    }
  }
  const now = input.now.toISOString();
  return {
    id: input.id,
    appSet: input.appSet,
    commit: input.commit,
    startedAt: now,
    updatedAt: now,
    phase: "Progressing",
    steps,
    applications,
  };
}

const byName = (a: ChangedApp, b: ChangedApp): number =>
  a.application < b.application ? -1 : a.application > b.application ? 1 : a.cluster < b.cluster ? -1 : 1;

/**
 * Whether a generation's change set is the one a rollout carries: every change the generation makes is one the
 * rollout has (same Application, same target), and every change of the rollout the generation does not make is in
 * force already (released: the stored desired digest is its target, or a deleted one is gone). Then the rollout
 * goes on; otherwise a newer commit supersedes it and a new one starts at the first step.
 *
 * @param inForce Application name → the desired digest stored (in force)
 */
export function carriesChangeSet(
  rollout: Rollout,
  changes: { updates: readonly ChangedApp[]; deletes: readonly ChangedApp[] },
  inForce: ReadonlyMap<string, string>,
): boolean {
  const ours = new Map(rollout.applications.map((a) => [`${a.change}\0${a.application}`, a]));
  const seen = new Set<string>();
  for (const [change, apps] of [
    ["update", changes.updates],
    ["delete", changes.deletes],
  ] as const) {
    for (const app of apps) {
      const key = `${change}\0${app.application}`;
      const mine = ours.get(key);
      if (mine === undefined || mine.desiredDigest !== app.desiredDigest) return false;
      seen.add(key);
    }
  }
  for (const [key, app] of ours) {
    if (seen.has(key)) continue;
    const applied =
      app.change === "update" ? inForce.get(app.application) === app.desiredDigest : !inForce.has(app.application);
    if (!applied) return false;
  }
  return true;
}
