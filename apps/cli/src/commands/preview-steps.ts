import type { Application, ApplicationSet } from "@flotilla/core";
import { stepMatchers, stepOf } from "@flotilla/rollout";

/** ApplicationSet name → how to name the RollingSync step of one of its Applications. */
export type StepLabels = ReadonlyMap<string, (app: Application) => string>;

/**
 * The preview's STEP column: for each RollingSync ApplicationSet, the step each Application falls in (`2/3`; the
 * first matching step wins) or `last (no step matches)`, as the generator's rollout orders them.
 */
export function stepLabels(appSets: readonly ApplicationSet[]): StepLabels {
  const out = new Map<string, (app: Application) => string>();
  for (const appSet of appSets) {
    const strategy = appSet.spec.strategy;
    if (strategy?.type !== "RollingSync" || strategy.rollingSync === undefined) continue;
    const matchers = stepMatchers(strategy.rollingSync.steps);
    out.set(appSet.metadata.name, (app) => {
      const at = stepOf(matchers, app.metadata.labels ?? {});
      return at === null ? "last (no step matches)" : `${at + 1}/${matchers.length}`;
    });
  }
  return out;
}
